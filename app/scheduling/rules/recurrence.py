"""Recurring sessions: RFC 5545 RRULEs expanded in the organiser's time zone.

The rule is expanded on the organiser's LOCAL wall clock (dateutil works on naive datetimes
here), and the zone is attached to each occurrence afterwards, so "every Tuesday at 10:00
Europe/Paris" stays 10:00 in Paris across daylight-saving changes while its UTC instant moves.
Wall-clock times the zone skips or repeats are read as RFC 5545 section 3.3.5 says: a time in a
spring-forward gap takes the offset in force before the gap (02:30 on the night clocks jump from
02:00 to 03:00 becomes 03:30 summer time; occurrences are returned normalised, showing the real
wall time), and a repeated time in the autumn is its first occurrence (summer time).

Only bounded series are accepted: the rule must carry COUNT or UNTIL (not both) and yield at
most `max_occurrences` occurrences. DTSTART is `first_start_local`, never part of the rule text.
As in dateutil, `first_start_local` is itself an occurrence only when it matches the rule.

The second half holds the wall-clock arithmetic the scheduler shares: which UTC instants make
up a local date's windows, exact around offset changes (see `local_day_spans`), with the
offsets probed once per (zone, year) and each (zone, date, windows) cached.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

from app.scheduling.rules.recurrence_bounds import feasibility_problem


class RecurrenceError(ValueError):
    """A recurrence rule that cannot be expanded into a bounded series; the message says why."""


_DATE = re.compile(r"\d{8}")
_LOCAL = re.compile(r"\d{8}T\d{6}")
_UTC = re.compile(r"\d{8}T\d{6}Z")
_STAMP = "%Y%m%dT%H%M%S"


def _parts(rule: str) -> dict[str, str]:
    """NAME -> VALUE of an RRULE, upper-cased, with an optional `RRULE:` prefix dropped."""
    body = rule.strip().upper()
    if "DTSTART" in body:
        raise RecurrenceError(
            "DTSTART must not appear in the rule text: the first start is given separately"
        )
    if not body:
        raise RecurrenceError("the rule is empty")
    if "\n" in body or "\r" in body:
        raise RecurrenceError("give a single RRULE line (no EXDATE, RDATE or other lines)")
    body = body.removeprefix("RRULE:")
    parts: dict[str, str] = {}
    for item in body.split(";"):
        name, sep, value = (piece.strip() for piece in item.partition("="))
        if not sep or not name or not value:
            raise RecurrenceError(f"cannot parse the rule {rule!r}: {item!r} is not NAME=VALUE")
        if name in parts:
            raise RecurrenceError(f"cannot parse the rule {rule!r}: {name} appears twice")
        parts[name] = value
    if "FREQ" not in parts:
        raise RecurrenceError(f"cannot parse the rule {rule!r}: it has no FREQ")
    return parts


def _until(value: str, tz: ZoneInfo) -> tuple[datetime, datetime | None]:
    """A naive local bound for dateutil and, for a UTC UNTIL, the exact aware bound to apply
    afterwards (the naive one is then a day late, to be safe around offset changes)."""
    if _DATE.fullmatch(value):
        day = datetime.strptime(value, "%Y%m%d").date()
        return datetime.combine(day, time(23, 59, 59)), None  # the whole local date counts
    if _UTC.fullmatch(value):
        instant = datetime.strptime(value[:-1], _STAMP).replace(tzinfo=UTC)
        local = instant.astimezone(tz).replace(tzinfo=None)
        return local + timedelta(days=1), instant
    if _LOCAL.fullmatch(value):  # a floating date-time: the organiser's wall clock
        return datetime.strptime(value, _STAMP), None  # floating, on purpose
    raise RecurrenceError(
        f"UNTIL={value} is neither a date (YYYYMMDD) nor a date-time (YYYYMMDDTHHMMSS[Z])"
    )


def _normalised(naive: datetime, tz: ZoneInfo) -> datetime:
    """The wall time `naive` in `tz` (fold 0), moved out of any spring-forward gap."""
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def expand_rrule(
    rrule: str, first_start_local: datetime, *, max_occurrences: int = 100
) -> list[datetime]:
    """The start times of the series `rrule` (e.g. `"FREQ=WEEKLY;COUNT=8"`, optionally
    prefixed `RRULE:`) beginning at `first_start_local`, an aware datetime whose tzinfo is
    the organiser's ZoneInfo. Returns aware local datetimes in that zone, in order.

    UNTIL may be a date (the whole local date included), a UTC date-time (`...Z`, compared as
    an instant) or a floating date-time (the organiser's wall clock). Raises RecurrenceError
    for unparseable text, DTSTART in the text, no COUNT/UNTIL or both, COUNT below 1, more
    than `max_occurrences` occurrences, a rule that yields no occurrence at all, and before any
    expansion, a rule refused by `recurrence_bounds` (minutely or secondly, or filters no
    calendar day meets)."""
    tz = first_start_local.tzinfo
    if not isinstance(tz, ZoneInfo):
        raise RecurrenceError("first_start_local must be an aware datetime in a ZoneInfo zone")
    if max_occurrences < 1:
        raise RecurrenceError("max_occurrences must be at least 1")
    parts = _parts(rrule)
    problem = feasibility_problem(parts)
    if problem is not None:
        raise RecurrenceError(problem)
    if "COUNT" in parts and "UNTIL" in parts:
        raise RecurrenceError("the rule has both COUNT and UNTIL; RFC 5545 allows only one")
    exact_until: datetime | None = None
    if "COUNT" in parts:
        if not parts["COUNT"].isdigit() or int(parts["COUNT"]) < 1:
            raise RecurrenceError(f"COUNT={parts['COUNT']} is not a positive whole number")
        if int(parts["COUNT"]) > max_occurrences:
            raise RecurrenceError(
                f"COUNT={parts['COUNT']} is more than the {max_occurrences} occurrences allowed"
            )
    elif "UNTIL" in parts:
        naive_until, exact_until = _until(parts["UNTIL"], tz)
        parts["UNTIL"] = naive_until.strftime(_STAMP)
    else:
        raise RecurrenceError(
            "the rule has neither COUNT nor UNTIL: an open-ended series cannot be scheduled"
        )
    text = ";".join(f"{name}={value}" for name, value in parts.items())
    start = first_start_local.replace(tzinfo=None)
    try:
        rule = rrulestr(text, dtstart=start)
        naive = list(islice(iter(rule), max_occurrences + 1))
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise RecurrenceError(f"cannot parse the rule {rrule!r}: {exc}") from exc
    found = [_normalised(value, tz) for value in naive]
    if exact_until is not None:
        found = [value for value in found if value <= exact_until]
    if len(found) > max_occurrences:
        raise RecurrenceError(f"the rule yields more than {max_occurrences} occurrences")
    if not found:
        raise RecurrenceError("the rule yields no occurrence from the first start on")
    return found


def utc_intervals(
    local_starts: Iterable[datetime], duration: timedelta
) -> list[tuple[datetime, datetime]]:
    """Occurrences as UTC (start, end) intervals lasting `duration` of real time each."""
    return [(s.astimezone(UTC), s.astimezone(UTC) + duration) for s in local_starts]


# --- wall-clock days as UTC instants (used by scheduling) -------------------------------

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = EPOCH.date().toordinal()
MINUTE = timedelta(minutes=1)
DAY = 1440
PROBE = 180  # offsets are probed every 3 hours, then bisected to the minute


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def epoch_minutes(value: datetime, *, up: bool = False) -> int:
    """An aware datetime as epoch minutes, rounded down (or up)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetimes must be aware")
    whole, rest = divmod(value - EPOCH, MINUTE)
    return whole + (1 if up and rest else 0)


def from_minutes(minutes: int) -> datetime:
    return EPOCH + timedelta(minutes=minutes)


def _offset(tz: ZoneInfo, minutes: int) -> int:
    offset = from_minutes(minutes).astimezone(tz).utcoffset()
    assert offset is not None
    return offset // MINUTE


@lru_cache(maxsize=1024)
def _year_offsets(zone_name: str, year: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The offsets of `zone_name` over UTC year `year` (and a day either side): the epoch
    minutes from which each holds, and the offsets. Assumes no two changes within 3 hours."""
    tz = zone(zone_name)
    first = (date(year, 1, 1).toordinal() - EPOCH_ORDINAL - 1) * DAY
    last = (date(year + 1, 1, 1).toordinal() - EPOCH_ORDINAL + 1) * DAY
    starts, offsets = [first], [_offset(tz, first)]
    for probe in range(first + PROBE, last + 1, PROBE):
        offset = _offset(tz, probe)
        if offset != offsets[-1]:
            low, high = probe - PROBE, probe  # offset(low) is the old one, offset(high) new
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if _offset(tz, middle) == offsets[-1] else (low, middle)
            starts.append(high)
            offsets.append(offset)
    return tuple(starts), tuple(offsets)


def _offset_pieces(zone_name: str, low: int, high: int) -> list[tuple[int, int, int]]:
    """UTC [low, high) cut where the offset of `zone_name` changes: (from, to, offset)."""
    pieces: list[tuple[int, int, int]] = []
    for year in range(from_minutes(low).year, from_minutes(high - 1).year + 1):
        starts, offsets = _year_offsets(zone_name, year)
        year_start = (date(year, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY
        year_end = (date(year + 1, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY
        cursor = max(low, year_start)
        index = bisect.bisect_right(starts, cursor) - 1
        while cursor < min(high, year_end):
            stop = starts[index + 1] if index + 1 < len(starts) else year_end
            stop = min(stop, high, year_end)
            if pieces and pieces[-1][2] == offsets[index] and pieces[-1][1] == cursor:
                pieces[-1] = (pieces[-1][0], stop, offsets[index])
            else:
                pieces.append((cursor, stop, offsets[index]))
            cursor, index = stop, index + 1
    return pieces


@lru_cache(maxsize=1 << 16)
def local_day_spans(
    zone_name: str, ordinal: int, day_windows: tuple[tuple[int, int], ...]
) -> tuple[tuple[int, int], ...]:
    """The instants (UTC epoch-minute intervals, merged) whose wall time in `zone_name` on the
    local date `ordinal` lies inside one of `day_windows` (minutes of that local day)."""
    if not day_windows:
        return ()
    midnight = (ordinal - EPOCH_ORDINAL) * DAY  # the wall-clock minute of local 00:00
    spans: list[tuple[int, int]] = []
    for low, high, offset in _offset_pieces(
        zone_name, midnight - 15 * 60, midnight + DAY + 15 * 60
    ):
        for start, end in day_windows:
            a, b = max(low, midnight + start - offset), min(high, midnight + end - offset)
            if a < b:
                spans.append((a, b))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return tuple(merged)
