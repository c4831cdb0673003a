"""Check-ins while abroad: when the next one falls due, when one is missed, and which answers
are a concern for the tutors."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final, Literal

CheckinStatus = Literal["due", "answered", "missed"]
DEFAULT_EVERY_DAYS: Final = 7
LOW_WELLBEING: Final = 2  # 1-2 on the 1-5 scale alerts the tutors at once


def first_due(departed_at: datetime, every_days: int) -> datetime:
    """The first scheduled check-in of a mobility that went abroad at `departed_at`."""
    return departed_at + timedelta(days=every_days)


def due_now(next_due: datetime, every_days: int, now: datetime) -> tuple[datetime | None, datetime]:
    """(the check-in to create now or None, the next due instant). When the sweep ran late
    across several periods only the latest period's check-in is created: a learner is not
    asked about weeks already past."""
    if next_due > now:
        return None, next_due
    period = timedelta(days=every_days)
    periods_late = (now - next_due) // period
    due = next_due + periods_late * period
    return due, due + period


def is_missed(due_at: datetime, grace: timedelta, now: datetime) -> bool:
    """Unanswered past its grace period."""
    return now >= due_at + grace


def is_concern(wellbeing: int, placement_ok: bool) -> bool:
    """A low wellbeing or a placement that is not going well."""
    return wellbeing <= LOW_WELLBEING or not placement_ok
