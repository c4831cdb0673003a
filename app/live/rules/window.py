"""When a session's live room is open: pure time arithmetic, `now` given by the caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

RoomPhase = Literal["cancelled", "ended", "early", "open", "over"]


@dataclass(frozen=True)
class RoomWindow:
    """A room opens `opens_before` its start and closes `grace` after its end."""

    opens_before: timedelta
    grace: timedelta


def room_phase(
    *, status: str, starts_at: datetime, ends_at: datetime, now: datetime, window: RoomWindow
) -> RoomPhase:
    """`open` from `starts_at - opens_before` until `ends_at + grace` for a session that is
    neither cancelled nor ended; `early` before, `over` after."""
    if status == "cancelled":
        return "cancelled"
    if status == "ended":
        return "ended"
    if now < starts_at - window.opens_before:
        return "early"
    if now >= ends_at + window.grace:
        return "over"
    return "open"
