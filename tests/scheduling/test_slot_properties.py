"""`find_slots` on random calendars (hypothesis), against a brute-force check."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.classes.rules import WeeklyWindow
from app.scheduling.rules.slots import EMPTY_REASONS, MemberCalendar, find_slots

ZONES = {
    "Europe/Paris": "FR",
    "Europe/Helsinki": "FI",
    "Europe/Lisbon": "PT",
    "Europe/Berlin": "DE",
    "Europe/Istanbul": "TR",  # UTC+3 all year
    "Atlantic/Reykjavik": "IS",  # UTC all year
}
ANCHORS = (date(2027, 3, 20), date(2027, 10, 25), date(2027, 5, 1), date(2027, 12, 20))


def _window(weekday: int, start: int, end: int) -> WeeklyWindow:
    start, end = max(start, 0), min(end, 1440)
    return WeeklyWindow(
        weekday,
        time(start // 60, start % 60),
        time.max if end == 1440 else time(end // 60, end % 60),
    )


@st.composite
def calendars(
    draw: st.DrawFn, first: date, days: int, core: tuple[int, int, int]
) -> MemberCalendar:
    """A member in a random European zone. Most members also hold a window around a shared
    `core` (weekday, UTC start and end minutes, shifted to local time on a fixed offset so it
    often overlaps the others'), so the searches are not all empty."""
    zone = draw(st.sampled_from(sorted(ZONES)))
    country = ZONES[zone]
    region = draw(st.sampled_from([None, "BY", "BE"])) if country == "DE" else None
    windows = []
    for _ in range(draw(st.integers(0 if draw(st.booleans()) else 1, 3))):
        start = draw(st.integers(0, 47)) * 30
        windows.append(
            _window(draw(st.integers(0, 6)), start, start + draw(st.integers(1, 20)) * 30)
        )
    if not windows or draw(st.integers(0, 9)):
        weekday, low, high = core
        offset = datetime.combine(first, time(12), ZoneInfo(zone)).utcoffset() or timedelta()
        shift = offset // timedelta(minutes=1)
        low -= draw(st.integers(0, 4)) * 30 - shift
        high += draw(st.integers(0, 4)) * 30 + shift
        windows.append(_window(weekday, low, high))
    if draw(st.integers(0, 3)):  # usually a whole school year
        term_start, term_end = first - timedelta(days=90), first + timedelta(days=days + 90)
    else:
        term_start = first + timedelta(days=draw(st.integers(-5, days)))
        term_end = term_start + timedelta(days=draw(st.integers(0, days + 5)))
    origin = datetime.combine(first, time(), UTC)
    busy = []
    for _ in range(draw(st.integers(0, 3))):
        at = origin + timedelta(minutes=draw(st.integers(0, days * 1440)))
        busy.append((at, at + timedelta(minutes=draw(st.integers(1, 300)))))
    return MemberCalendar(
        f"c{draw(st.integers(0, 10**6))}",
        country,
        region,
        zone,
        tuple(windows),
        term_start,
        term_end,
        tuple(busy),
    )


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[MemberCalendar], dict[str, object]]:
    first = draw(st.sampled_from(ANCHORS)) + timedelta(days=draw(st.integers(-3, 3)))
    days = draw(st.integers(2, 14))
    start = draw(st.integers(2, 40)) * 30
    weekday = (first + timedelta(days=draw(st.integers(0, days - 1)))).weekday()
    core = (weekday, start, start + draw(st.integers(1, 8)) * 30)
    members = draw(st.lists(calendars(first, days, core), min_size=2, max_size=4))
    origin = datetime.combine(first, time(), UTC)
    args: dict[str, object] = {
        "start": origin + timedelta(minutes=draw(st.integers(0, 120))),
        "end": origin + timedelta(days=days),
        "duration": timedelta(minutes=draw(st.integers(1, 12)) * 15),
        "now": origin + timedelta(minutes=draw(st.integers(-1440, days * 1440))),
        "step": timedelta(minutes=draw(st.sampled_from([15, 30, 60]))),
    }
    return members, args


HOLIDAYS: dict[tuple[str, str | None, int], holidays.HolidayBase] = {}


def _is_holiday(country: str, region: str | None, day: date) -> bool:
    key = (country, region, day.year)
    if key not in HOLIDAYS:
        HOLIDAYS[key] = holidays.country_holidays(country, subdiv=region, years=day.year)
    return day in HOLIDAYS[key]


def _valid_for(calendar: MemberCalendar, s: datetime, e: datetime) -> bool:
    """The brute-force rule, checked every 15 minutes (window bounds, offsets and changes
    all fall on that grid here): one local date, inside a window of it, in the term, not a
    holiday, not booked."""
    zone = ZoneInfo(calendar.timezone)
    day = s.astimezone(zone).date()
    if not _inside(calendar, zone, day, s, e):
        return False
    if not calendar.term_start <= day <= calendar.term_end:
        return False
    if any(b0 < e and s < b1 for b0, b1 in calendar.busy):
        return False
    return not _is_holiday(calendar.country, calendar.region, day)


def _inside(calendar: MemberCalendar, zone: ZoneInfo, day: date, s: datetime, e: datetime) -> bool:
    point = s
    while point < e:
        local = point.astimezone(zone)
        clock = local.time().replace(fold=0)
        inside = any(
            w.weekday == day.weekday() and w.start <= clock and (clock < w.end or w.end == time.max)
            for w in calendar.availability
        )
        if local.date() != day or not inside:
            return False
        point += timedelta(minutes=15)
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_slot_respects_every_constraint_and_none_is_missed(
    problem: tuple[list[MemberCalendar], dict[str, object]],
) -> None:
    members, args = problem
    found = find_slots(members, limit=10_000, **args)  # type: ignore[arg-type]

    start, end, now = args["start"], args["end"], args["now"]
    duration, step = args["duration"], args["step"]
    assert isinstance(start, datetime)
    assert isinstance(end, datetime)
    assert isinstance(now, datetime)
    assert isinstance(duration, timedelta)
    assert isinstance(step, timedelta)
    for slot in found.items:
        assert start <= slot.starts_at
        assert slot.ends_at <= end
        assert slot.starts_at >= now
        assert slot.ends_at - slot.starts_at == duration
        assert all(_valid_for(m, slot.starts_at, slot.ends_at) for m in members)
        assert 0.0 <= slot.score <= 1.0
    keys = [(-s.score, s.starts_at) for s in found.items]
    assert keys == sorted(keys)
    counts = found.counts
    assert counts["candidates"] == sum(counts[r] for r in EMPTY_REASONS) + counts["available"]
    assert (found.empty_reason is None) == bool(found.items)

    # Completeness: a brute-force pass over the same grid finds the same starts.
    expected = set()
    grid = start.replace(minute=0)
    while grid < end:
        if (
            grid >= start
            and grid >= now
            and grid + duration <= end
            and all(_valid_for(m, grid, grid + duration) for m in members)
        ):
            expected.add(grid)
        grid += step
    assert {s.starts_at for s in found.items} == expected


@settings(max_examples=25, deadline=None)
@given(problems())
def test_items_are_the_best_of_the_full_list(
    problem: tuple[list[MemberCalendar], dict[str, object]],
) -> None:
    members, args = problem
    everything = find_slots(members, limit=10_000, **args)  # type: ignore[arg-type]
    top = find_slots(members, limit=5, **args)  # type: ignore[arg-type]

    assert top.items == everything.items[:5]
    assert top.counts == everything.counts
