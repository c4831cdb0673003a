"""A solver that takes its time, for the tests of runs changed while they run. Module level:
the worker process imports it by name."""

from __future__ import annotations

import time

from app.matching.run_data import MatchingInstance, MatchingOutcome
from app.matching.worker import run_matching

SECONDS = 2.0


def slow_run_matching(instance: MatchingInstance) -> MatchingOutcome:
    time.sleep(SECONDS)
    return run_matching(instance)
