"""The time the live rooms and attendance read. `utcnow` in production; tests hand
`create_app` a clock they move, to play a whole session through real sockets in seconds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from app.core.tables import utcnow

Clock = Callable[[], datetime]

system_clock: Clock = utcnow


class ManualClock:
    """A clock that stands still until set or moved (for tests and benchmarks)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at

    def advance(self, by: timedelta) -> None:
        self.at += by
