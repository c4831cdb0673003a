"""Time maths for matching: UTC offsets per date, DST periods, weekly availability as bitmasks.

A week is 10,080 minutes, Monday 00:00 = minute 0. A class's weekly availability is a Python
`int` with one bit per `unit` minutes of the week, set when the class is free then, so the
overlap of two classes is `(a & b).bit_count() * unit` and moving a week into UTC is a bit
rotation. `unit` is the coarsest of 60, 30, 15, 5 and 1 minutes that divides every window bound
and zone offset involved, so nothing is lost and typical masks are 336 bits, not 10,080.

Offsets are read from `zoneinfo`, never assumed. A date's offset is the one in force at local
noon of that date: transitions happen at night, so a date belongs wholly to the period that
starts on the day of a change (a window between midnight and the change hour on that very day
is taken at the new offset; school classes do not meet then). Offsets are probed once per day
and cached per (zone, year), then per (zone, first date, last date).

Dates are handled as proleptic ordinals (`date.toordinal()`), which makes ranges plain ints.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from app.matching.rules.types import CommonWindow, Window

MINUTES_PER_DAY = 1440
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
ALL_WEEKDAYS = 0b1111111
UNITS = (60, 30, 15, 5, 1)  # each divides the one before, so any two have their gcd among them

Segments = tuple[tuple[int, int], ...]
"""(first ordinal, UTC offset in minutes) pairs, sorted; each runs until the next one starts."""


def weekday_of(ordinal: int) -> int:
    """Monday = 0, as `date.fromordinal(ordinal).weekday()` (ordinal 1 is a Monday)."""
    return (ordinal + 6) % 7


def _offset_at_noon(zone: ZoneInfo, day: date) -> int:
    offset = datetime.combine(day, time(12), tzinfo=zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds()) // 60


@lru_cache(maxsize=4096)
def _year_segments(zone_name: str, year: int) -> Segments:
    """The offsets of `zone_name` over one calendar year, probed every day at local noon."""
    zone = ZoneInfo(zone_name)
    day = date(year, 1, 1)
    last = date(year, 12, 31)
    one_day = timedelta(days=1)
    segments = [(day.toordinal(), _offset_at_noon(zone, day))]
    while day < last:
        day += one_day
        offset = _offset_at_noon(zone, day)
        if offset != segments[-1][1]:
            segments.append((day.toordinal(), offset))
    return tuple(segments)


@lru_cache(maxsize=65536)
def zone_segments(zone_name: str, start: date, end: date) -> Segments:
    """The offsets of `zone_name` from `start` to `end` (inclusive); the first segment starts
    on `start`. Empty when `end < start`."""
    if end < start:
        return ()
    first, last = start.toordinal(), end.toordinal()
    segments: list[tuple[int, int]] = []
    for year in range(start.year, end.year + 1):
        for from_ordinal, offset in _year_segments(zone_name, year):
            if from_ordinal > last:
                break
            from_ordinal = max(from_ordinal, first)
            if segments and segments[-1][1] == offset:
                continue
            if segments and segments[-1][0] == from_ordinal:
                segments[-1] = (from_ordinal, offset)
            else:
                segments.append((from_ordinal, offset))
    return tuple(segments)


@lru_cache(maxsize=4096)
def zone_timeline(
    zones: tuple[str, ...], first_year: int, last_year: int
) -> tuple[tuple[int, ...], tuple[tuple[int, ...], ...]]:
    """Every date (ordinal) from which the offsets of `zones` over whole years hold, and those
    offsets, one per zone: the periods of any date range within those years."""
    schedules = [
        zone_segments(zone, date(first_year, 1, 1), date(last_year, 12, 31)) for zone in zones
    ]
    starts = tuple(sorted({f for segments in schedules for f, _ in segments}))
    offsets = tuple(tuple(offset_on(segments, f) for segments in schedules) for f in starts)
    return starts, offsets


@lru_cache(maxsize=1 << 16)
def zone_periods(
    zones: tuple[str, ...], first: int, last: int, first_year: int, last_year: int
) -> tuple[tuple[int, int, tuple[int, ...]], ...]:
    """Split [first, last] (ordinals, within the given years) where any zone changes offset:
    (from, to, offsets of the zones) triples. Cached: school terms repeat a lot."""
    starts, offsets = zone_timeline(zones, first_year, last_year)
    index = bisect.bisect_right(starts, first) - 1
    count = len(starts)
    found = []
    while index < count and starts[index] <= last:
        start = starts[index]
        index += 1
        end = starts[index] - 1 if index < count else last
        found.append(
            (start if start > first else first, end if end < last else last, offsets[index - 1])
        )
    return tuple(found)


def offset_on(segments: Segments, ordinal: int) -> int:
    """The offset of the segment holding `ordinal` (which must not precede the first one)."""
    index = bisect.bisect_right(segments, (ordinal, MINUTES_PER_WEEK)) - 1
    return segments[index][1]


def weekdays_mask(first: int, last: int) -> int:
    """Bit d set when some date of [first, last] falls on weekday d."""
    if last - first >= 6:
        return ALL_WEEKDAYS
    mask = 0
    for ordinal in range(first, last + 1):
        mask |= 1 << weekday_of(ordinal)
    return mask


def _minute(value: time, *, end: bool) -> int:
    if end and value == time.max:
        return MINUTES_PER_DAY
    return value.hour * 60 + value.minute


def window_minutes(windows: Iterable[Window]) -> tuple[tuple[int, int], ...]:
    """Windows as half-open (start, end) minutes of the local week; empty ones dropped."""
    found = []
    for window in windows:
        start = _minute(window.start, end=False)
        end = _minute(window.end, end=True)
        if end > start and 0 <= window.weekday <= 6:
            base = window.weekday * MINUTES_PER_DAY
            found.append((base + start, base + end))
    return tuple(found)


def coarsest_unit(minutes: Iterable[int]) -> int:
    """The largest of UNITS dividing every value: masks in that unit lose nothing."""
    values = list(minutes)
    return next(unit for unit in UNITS if all(value % unit == 0 for value in values))


def local_day_masks(windows: Iterable[tuple[int, int]], unit: int) -> tuple[int, ...]:
    """Seven local week masks (one bit per `unit` minutes), one per weekday, from windows
    given as week minutes that `unit` divides."""
    days = [0] * 7
    for start, end in windows:
        days[start // MINUTES_PER_DAY] |= ((1 << ((end - start) // unit)) - 1) << (start // unit)
    return tuple(days)


def to_utc(local_mask: int, offset: int, unit: int) -> int:
    """Rotate a local week mask into UTC for a zone `offset` minutes east of UTC."""
    size = MINUTES_PER_WEEK // unit
    shift = (offset // unit) % size
    if not shift:
        return local_mask
    return ((local_mask >> shift) | (local_mask << (size - shift))) & ((1 << size) - 1)


def runs(mask: int) -> list[tuple[int, int]]:
    """The maximal runs of set bits of `mask` as half-open (start, end) bit intervals."""
    found = []
    while mask:
        low = (mask & -mask).bit_length() - 1
        carried = mask + (1 << low)
        high = (carried & -carried).bit_length() - 1
        found.append((low, high))
        mask &= ~((1 << high) - 1)
    return found


def _clock(minute: int) -> time:
    return time.max if minute == MINUTES_PER_DAY else time(minute // 60, minute % 60)


@lru_cache(maxsize=1 << 16)
def common_windows(mask: int, unit: int, first: int, last: int) -> tuple[CommonWindow, ...]:
    """A UTC week mask as CommonWindows (split at UTC midnight) valid from `first` to `last`."""
    valid_from, valid_to = date.fromordinal(first), date.fromordinal(last)
    windows: list[CommonWindow] = []
    for low_bit, high_bit in runs(mask):
        low, high = low_bit * unit, high_bit * unit
        for day in range(low // MINUTES_PER_DAY, (high - 1) // MINUTES_PER_DAY + 1):
            base = day * MINUTES_PER_DAY
            start, end = max(low, base) - base, min(high, base + MINUTES_PER_DAY) - base
            windows.append(CommonWindow(day, _clock(start), _clock(end), valid_from, valid_to))
    return tuple(windows)
