"""Recurrence expansion off the event loop, bounded in time.

`expand_rrule` is pure and CPU-bound; the checks in `rules/recurrence_bounds` refuse the rules
known to keep dateutil busy, and this shell runs whatever remains in a small dedicated thread
pool so a slow rule never stalls the process's other requests and sockets, and answers 422 after
`EXPANSION_TIMEOUT_SECONDS` at most. A timed-out expansion is abandoned (a thread cannot be
stopped); the pool's size bounds how many such threads can ever run at once.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from app.core.errors import InvalidInput
from app.scheduling.rules.recurrence import RecurrenceError, expand_rrule

EXPANSION_TIMEOUT_SECONDS = 2.0
EXPANSION_THREADS = 2
_FIELD = "body.recurrence.rrule"
_pool = ThreadPoolExecutor(max_workers=EXPANSION_THREADS, thread_name_prefix="rrule")


async def expand(rrule: str, first_start_local: datetime) -> list[datetime]:
    """The series' local start times, or InvalidInput (422) for a rule that is refused, cannot
    be expanded or takes longer than the time limit."""
    loop = asyncio.get_running_loop()
    job = loop.run_in_executor(_pool, expand_rrule, rrule, first_start_local)
    try:
        return await asyncio.wait_for(job, EXPANSION_TIMEOUT_SECONDS)
    except RecurrenceError as exc:
        raise InvalidInput(_FIELD, str(exc)) from exc
    except TimeoutError as exc:
        raise InvalidInput(_FIELD, "the rule takes too long to expand; give a simpler one") from exc
