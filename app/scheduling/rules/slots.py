"""Scheduling live sessions between 2-4 classes in different countries and time zones.

Pure: members' calendars in, dated slots, conflicts and warnings out; `now` is a parameter.

Time is handled as whole minutes since 1970-01-01 00:00 UTC ("epoch minutes"). A member's
availability on a local date D is the set of instants whose wall-clock time in its zone, on
date D, lies inside one of its weekly windows for D's weekday (`time.max` = 24:00), read from
`zoneinfo` date by date, so daylight-saving changes move the UTC slots. Around a change this
set is exact: wall times the clock skips do not exist (a 02:00-03:00 window on the Paris
spring-forward night is empty, 01:30-02:30 holds the real half hour 01:30-02:00 before the
jump), and wall times the clock repeats count twice (02:00-03:00 on the autumn night holds two
real hours). Windows touching or overlapping on one date are merged; a slot must lie within one
such stretch of one local date for every member (it never straddles local midnight).

Ranking. For member i, margin m_i = min(minutes from its stretch's start to the slot start,
minutes from the slot end to its stretch's end). With c_i = min(m_i, 120) / 120 (two hours
from either edge counts as fully comfortable):

    score = 0.7 * min_i c_i + 0.3 * (1 - (max_i c_i - min_i c_i))

so the slot farthest from everyone's edges ranks first, and a slot where one class is at the
very edge of its day while the others are comfortable is penalised (score 0). Ties by time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, get_args

from app.classes.rules import WeeklyWindow
from app.scheduling.rules.holidays import holiday_name
from app.scheduling.rules.recurrence import (
    DAY,
    EPOCH_ORDINAL,
    MINUTE,
    epoch_minutes,
    from_minutes,
    local_day_spans,
    zone,
)

EmptyReason = Literal[
    "no_common_availability", "outside_term", "holidays", "booked", "duration", "past"
]
EMPTY_REASONS: tuple[EmptyReason, ...] = get_args(EmptyReason)  # in the order checked
ConflictReason = Literal["booked", "outside_term"]
WarningKind = Literal["outside_availability", "holiday"]

COMFORT_MINUTES = 120
MIN_MARGIN_WEIGHT = 0.7
FAIRNESS_WEIGHT = 0.3


@dataclass(frozen=True)
class MemberCalendar:
    """One class of the group. `busy` holds aware (UTC) intervals already booked for the class
    or any of its teachers; `region` is a `holidays` subdivision (`"BY"` or `"DE-BY"`)."""

    class_id: str
    country: str  # ISO 3166-1 alpha-2
    region: str | None
    timezone: str  # IANA
    availability: tuple[WeeklyWindow, ...]
    term_start: date
    term_end: date
    busy: tuple[tuple[datetime, datetime], ...] = ()


@dataclass(frozen=True)
class LocalTime:
    """A slot on one member's wall clock (aware datetimes carrying that zone's offset)."""

    class_id: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    score: float  # 0..1, see the module docstring
    local: tuple[LocalTime, ...]  # in the members' order


@dataclass(frozen=True)
class SlotSearch:
    """The best slots first. `counts` has `candidates` (grid start times in the range), one
    key per EmptyReason (the candidates that constraint removed, checked in EMPTY_REASONS
    order) and `available` (those left, of which at most `limit` are in `items`)."""

    items: list[Slot]
    empty_reason: EmptyReason | None
    counts: dict[str, int]


@dataclass(frozen=True)
class Conflict:
    """Interval `index` cannot be booked for `class_id`."""

    index: int
    class_id: str
    starts_at: datetime
    ends_at: datetime
    reason: ConflictReason
    detail: str


@dataclass(frozen=True)
class ScheduleWarning:
    """Interval `index` can be booked for `class_id`, but someone should look at it."""

    index: int
    class_id: str
    starts_at: datetime
    ends_at: datetime
    kind: WarningKind
    detail: str
    local_date: date


def day_minutes(windows: Sequence[WeeklyWindow], weekday: int) -> tuple[tuple[int, int], ...]:
    """The windows of `weekday` as merged (start, end) minutes of the local day."""
    spans = sorted(
        (
            w.start.hour * 60 + w.start.minute,
            DAY if w.end == time.max else w.end.hour * 60 + w.end.minute,
        )
        for w in windows
        if w.weekday == weekday
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


# --- members ------------------------------------------------------------------------------

Span = tuple[int, int, int, int]
"""(UTC start, UTC end, local date ordinal, block): block 0 = bookable, 1 = outside the term,
2 = a public holiday; start and end in epoch minutes."""

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _weekly(member: MemberCalendar) -> tuple[tuple[tuple[int, int], ...], ...]:
    return tuple(day_minutes(member.availability, weekday) for weekday in range(7))


def member_spans(member: MemberCalendar, first: int, last: int) -> list[Span]:
    """The member's availability on local dates `first`..`last` (ordinals), sorted."""
    zone(member.timezone)  # fail early on an unknown zone
    weekly = _weekly(member)
    term = (member.term_start.toordinal(), member.term_end.toordinal())
    found: list[Span] = []
    for ordinal in range(first, last + 1):
        spans = local_day_spans(member.timezone, ordinal, weekly[(ordinal + 6) % 7])
        if not spans:
            continue
        if not term[0] <= ordinal <= term[1]:
            block = 1
        elif holiday_name(member.country, member.region, date.fromordinal(ordinal)):
            block = 2
        else:
            block = 0
        found.extend((a, b, ordinal, block) for a, b in spans)
    return found


def _busy(members: Sequence[MemberCalendar]) -> list[tuple[int, int]]:
    """Every member's busy intervals as merged epoch minutes (widened to whole minutes)."""
    raw = sorted(
        (epoch_minutes(s), epoch_minutes(e, up=True)) for m in members for s, e in m.busy if e > s
    )
    merged: list[tuple[int, int]] = []
    for a, b in raw:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _whole_minutes(value: timedelta, name: str) -> int:
    minutes, rest = divmod(value, MINUTE)
    if rest or minutes < 1:
        raise ValueError(f"{name} must be a positive whole number of minutes")
    return minutes


def score(margins: Sequence[int]) -> float:
    """The module docstring's formula, for the members' margins in minutes."""
    comfort = [min(margin, COMFORT_MINUTES) / COMFORT_MINUTES for margin in margins]
    low, high = min(comfort), max(comfort)
    return round(MIN_MARGIN_WEIGHT * low + FAIRNESS_WEIGHT * (1 - (high - low)), 6)


# --- the search ---------------------------------------------------------------------------


def find_slots(
    members: Sequence[MemberCalendar],
    *,
    start: datetime,
    end: datetime,
    duration: timedelta,
    now: datetime,
    step: timedelta = timedelta(minutes=15),
    limit: int = 50,
) -> SlotSearch:
    """Dated slots of `duration` in [start, end) that every member can attend, best first.

    Candidates start on a UTC grid of `step` (which must divide a day: aligned to UTC
    midnight, hence to the hour when it divides an hour). Each candidate is dropped by the
    first constraint it fails, in EMPTY_REASONS order: its start lies outside some member's
    availability on every date (`no_common_availability`), on a local date outside a term
    (`outside_term`) or on a member's public holiday (`holidays`); the slot overlaps a busy
    interval (`booked`); it does not fit before the end of some member's window or of the range
    (`duration`); it starts before `now` (`past`). When nothing is left, `empty_reason` is the
    constraint that removed the last candidates ("duration" also when the range holds no grid
    start). Raises ValueError on naive datetimes, bad durations, steps or zones."""
    if not members:
        raise ValueError("at least one member is needed")
    if limit < 1:
        raise ValueError("limit must be at least 1")
    window = _window(start=start, end=end, duration=duration, now=now, step=step)
    spans = [member_spans(member, *window.days) for member in members]
    found, counts = _scan(spans, _busy(members), window)
    total = (window.stop - window.first) // window.grid if window.stop > window.first else 0
    found.sort(key=lambda item: (-item[0], item[1]))
    items = [_slot(members, t, t + window.length, value) for value, t in found[:limit]]
    counts = {"candidates": total, **counts, "available": len(found)}
    return SlotSearch(items, None if found else _empty_reason(total, counts), counts)


@dataclass(frozen=True)
class _Window:
    """The search in epoch minutes: grid starts in [first, stop), every `grid` minutes."""

    first: int
    stop: int
    grid: int
    length: int
    range_end: int
    not_before: int
    days: tuple[int, int]  # the ordinals of the dates whose spans can matter


def _window(
    *,
    start: datetime,
    end: datetime,
    duration: timedelta,
    now: datetime,
    step: timedelta,
) -> _Window:
    """The range and grid checked, in epoch minutes."""
    length = _whole_minutes(duration, "duration")
    grid = _whole_minutes(step, "step")
    if DAY % grid:
        raise ValueError("step must divide a day (5, 10, 15, 20, 30, 60 minutes...)")
    low, high = epoch_minutes(start, up=True), epoch_minutes(end, up=True)
    range_end, not_before = epoch_minutes(end), epoch_minutes(now, up=True)
    if start >= end:
        raise ValueError("start must be before end")
    return _Window(
        first=-(-low // grid) * grid,
        stop=-(-high // grid) * grid,
        grid=grid,
        length=length,
        range_end=range_end,
        not_before=not_before,
        days=(low // DAY + EPOCH_ORDINAL - 1, high // DAY + EPOCH_ORDINAL + 1),
    )


def _scan(
    spans: list[list[Span]], busy: list[tuple[int, int]], window: _Window
) -> tuple[list[tuple[float, int]], dict[str, int]]:
    """One pass along the grid: `(score, start)` of every slot found, and how many candidates
    each constraint removed. Members' spans and the busy intervals are walked with pointers."""
    grid, stop, length = window.grid, window.stop, window.length
    range_end, not_before = window.range_end, window.not_before
    counts: dict[str, int] = dict.fromkeys(EMPTY_REASONS, 0)
    found: list[tuple[float, int]] = []
    pointers = [0] * len(spans)
    booked_at = 0
    t = window.first
    while t < stop:
        target = t
        current: list[Span] = []
        for k, own in enumerate(spans):
            i = pointers[k]
            while i < len(own) and own[i][1] <= t:
                i += 1
            pointers[k] = i
            if i == len(own):
                target = stop
                break
            if own[i][0] > t:
                target = max(target, own[i][0])
            else:
                current.append(own[i])
        if target > t:  # jump to where the member missing latest becomes available
            target = min(-(-target // grid) * grid, stop)
            counts["no_common_availability"] += (target - t) // grid
            t = target
            continue
        finish = t + length
        while booked_at < len(busy) and busy[booked_at][1] <= t:
            booked_at += 1
        if any(span[3] == 1 for span in current):
            counts["outside_term"] += 1
        elif any(span[3] == 2 for span in current):
            counts["holidays"] += 1
        elif booked_at < len(busy) and busy[booked_at][0] < finish:
            counts["booked"] += 1
        elif finish > range_end or any(span[1] < finish for span in current):
            counts["duration"] += 1
        elif t < not_before:
            counts["past"] += 1
        else:
            margins = [min(t - span[0], span[1] - finish) for span in current]
            found.append((score(margins), t))
        t += grid
    return found, counts


def _slot(members: Sequence[MemberCalendar], low: int, high: int, value: float) -> Slot:
    starts_at, ends_at = from_minutes(low), from_minutes(high)
    local = tuple(
        LocalTime(
            m.class_id, starts_at.astimezone(zone(m.timezone)), ends_at.astimezone(zone(m.timezone))
        )
        for m in members
    )
    return Slot(starts_at, ends_at, value, local)


def _empty_reason(total: int, counts: dict[str, int]) -> EmptyReason:
    remaining = total
    for reason in EMPTY_REASONS:
        remaining -= counts[reason]
        if remaining <= 0 and counts[reason]:
            return reason
    return "duration"  # the range holds no grid start at all
