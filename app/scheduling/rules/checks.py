"""Checking given intervals (a proposed slot or an expanded series) against the members'
calendars: `find_conflicts` (what forbids booking them) and `find_warnings` (what deserves a
look first). Pure, like `app.scheduling.rules.slots`, whose calendars it reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.scheduling.rules.holidays import holiday_name, normalise_region
from app.scheduling.rules.recurrence import epoch_minutes, local_day_spans, zone
from app.scheduling.rules.slots import (
    WEEKDAYS,
    Conflict,
    MemberCalendar,
    ScheduleWarning,
    day_minutes,
)


def _utc(intervals: Sequence[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    checked = []
    for s, e in intervals:
        epoch_minutes(s), epoch_minutes(e)  # both aware
        if e <= s:
            raise ValueError("every interval must end after it starts")
        checked.append((s.astimezone(UTC), e.astimezone(UTC)))
    return checked


def _local_dates(s: datetime, e: datetime, tz: ZoneInfo) -> list[date]:
    """The local dates [s, e) touches."""
    first, last = s.astimezone(tz).date(), (e - timedelta(microseconds=1)).astimezone(tz).date()
    return [date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1)]


def _clock(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M}"


def find_conflicts(
    intervals: Sequence[tuple[datetime, datetime]], members: Sequence[MemberCalendar]
) -> list[Conflict]:
    """Why intervals (aware, e.g. from `recurrence.utc_intervals`) cannot be booked: one
    Conflict per (interval, member, reason), `booked` first, in the order given."""
    conflicts: list[Conflict] = []
    for index, (s, e) in enumerate(_utc(intervals)):
        for m in members:
            tz = zone(m.timezone)
            clash = next((b for b in sorted(m.busy) if b[0] < e and s < b[1]), None)
            if clash:
                detail = (
                    f"overlaps a booking from {_clock(clash[0].astimezone(tz))} "
                    f"to {_clock(clash[1].astimezone(tz))} ({m.timezone})"
                )
                conflicts.append(Conflict(index, m.class_id, s, e, "booked", detail))
            outside = [d for d in _local_dates(s, e, tz) if not m.term_start <= d <= m.term_end]
            if outside:
                detail = f"{outside[0]} is outside the term {m.term_start} to {m.term_end}"
                conflicts.append(Conflict(index, m.class_id, s, e, "outside_term", detail))
    return conflicts


def find_warnings(
    intervals: Sequence[tuple[datetime, datetime]], members: Sequence[MemberCalendar]
) -> list[ScheduleWarning]:
    """What deserves a look before booking intervals: outside a member's weekly availability
    on that local date (DST-exact, as in `find_slots`), or on a member's public holiday."""
    warnings: list[ScheduleWarning] = []
    for index, (s, e) in enumerate(_utc(intervals)):
        for m in members:
            tz = zone(m.timezone)
            local_start, local_end = s.astimezone(tz), e.astimezone(tz)
            day = local_start.date()
            windows = day_minutes(m.availability, day.weekday())
            spans = local_day_spans(m.timezone, day.toordinal(), windows)
            low, high = epoch_minutes(s), epoch_minutes(e, up=True)
            if not any(a <= low and high <= b for a, b in spans):
                name = WEEKDAYS[day.weekday()]
                offered = ", ".join(
                    f"{a // 60:02}:{a % 60:02}-{b // 60:02}:{b % 60:02}" for a, b in windows
                )
                detail = (
                    f"{name} {day} {local_start:%H:%M}-{local_end:%H:%M} ({m.timezone}) is "
                    + (
                        f"outside the class's availability ({offered})"
                        if offered
                        else "not a day the class is available"
                    )
                )
                warnings.append(
                    ScheduleWarning(index, m.class_id, s, e, "outside_availability", detail, day)
                )
            for d in _local_dates(s, e, tz):
                holiday = holiday_name(m.country, m.region, d)
                if holiday:
                    region = normalise_region(m.country, m.region)
                    where = f"{m.country}-{region}" if region else m.country
                    detail = f"{d} is {holiday}, a public holiday in {where}"
                    warnings.append(ScheduleWarning(index, m.class_id, s, e, "holiday", detail, d))
    return warnings
