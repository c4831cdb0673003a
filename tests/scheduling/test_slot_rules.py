"""Session slots across countries: DST, public holidays, terms, bookings, ranking, reasons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.classes.rules import WeeklyWindow
from app.scheduling.rules.checks import find_conflicts, find_warnings
from app.scheduling.rules.recurrence import expand_rrule, utc_intervals
from app.scheduling.rules.slots import EMPTY_REASONS, MemberCalendar, SlotSearch, find_slots, score

TUESDAY, WEDNESDAY, THURSDAY = 1, 2, 3
YEAR_2027 = (date(2026, 9, 1), date(2027, 12, 17))
HOUR = timedelta(hours=1)
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def window(weekday: int, start: str, end: str) -> WeeklyWindow:
    return WeeklyWindow(
        weekday, time.fromisoformat(start), time.max if end == "24:00" else time.fromisoformat(end)
    )


def member(
    class_id: str,
    country: str,
    zone: str,
    *windows: WeeklyWindow,
    region: str | None = None,
    term: tuple[date, date] = YEAR_2027,
    busy: tuple[tuple[datetime, datetime], ...] = (),
) -> MemberCalendar:
    return MemberCalendar(class_id, country, region, zone, windows, term[0], term[1], busy)


PARIS = member("paris", "FR", "Europe/Paris", window(TUESDAY, "09:00", "12:00"))
SALO = member("salo", "FI", "Europe/Helsinki", window(TUESDAY, "10:00", "13:00"))


def search(
    members: Sequence[MemberCalendar],
    start: datetime,
    end: datetime,
    *,
    duration: timedelta = HOUR,
    now: datetime = LONG_AGO,
    limit: int = 500,
) -> SlotSearch:
    return find_slots(members, start=start, end=end, duration=duration, now=now, limit=limit)


def assert_inside_windows(found: SlotSearch, members: Sequence[MemberCalendar]) -> None:
    for slot in found.items:
        for calendar, local in zip(members, slot.local, strict=True):
            zone = ZoneInfo(calendar.timezone)
            assert local.class_id == calendar.class_id
            assert local.starts_at == slot.starts_at
            assert local.starts_at.utcoffset() == slot.starts_at.astimezone(zone).utcoffset()
            assert local.starts_at.date() == local.ends_at.date()
            assert any(
                w.weekday == local.starts_at.weekday()
                and w.start <= local.starts_at.time()
                and local.ends_at.time() <= w.end
                for w in calendar.availability
            )


@pytest.mark.parametrize(
    ("start", "end", "before", "after"),
    [
        (utc(2027, 3, 15), utc(2027, 4, 10), 9, 8),  # 28 March: both zones spring forward
        (utc(2027, 10, 18), utc(2027, 11, 13), 8, 9),  # 31 October: both fall back
    ],
)
def test_france_finland_slots_follow_both_clocks_across_dst(
    start: datetime, end: datetime, before: int, after: int
) -> None:
    found = search([PARIS, SALO], start, end)

    assert found.empty_reason is None
    assert_inside_windows(found, [PARIS, SALO])
    change = utc(start.year, start.month, 28 if start.month == 3 else 31, 1)
    earlier = [s for s in found.items if s.starts_at < change]
    later = [s for s in found.items if s.starts_at > change]
    assert earlier
    assert later
    # The best slot of each Tuesday is 10:00-11:00 Paris = 11:00-12:00 Salo, in the middle.
    best = [s for s in found.items if s.score == found.items[0].score]
    assert len(best) == 4
    assert {(s.local[0].starts_at.hour, s.local[1].starts_at.hour) for s in best} == {(10, 11)}
    assert {s.starts_at.hour for s in best if s.starts_at < change} == {before}
    assert {s.starts_at.hour for s in best if s.starts_at > change} == {after}
    # Salo's 10:00-13:00 is Paris's 09:00-12:00 all year: nine 15-minute starts a Tuesday.
    assert found.counts["available"] == 4 * 9


def test_a_public_holiday_of_one_of_three_countries_removes_that_date_only() -> None:
    republic_day = date(2027, 6, 2)  # a Wednesday
    assert republic_day in holidays.country_holidays("IT", years=2027)
    assert republic_day not in holidays.country_holidays("FR", years=2027)
    assert republic_day not in holidays.country_holidays("DE", years=2027)
    group = [
        member("lyon", "FR", "Europe/Paris", window(WEDNESDAY, "09:00", "12:00")),
        member("koeln", "DE", "Europe/Berlin", window(WEDNESDAY, "10:00", "13:00")),
        member("torino", "IT", "Europe/Rome", window(WEDNESDAY, "08:30", "12:30")),
    ]

    found = search(group, utc(2027, 5, 24), utc(2027, 6, 20))

    dates = {slot.starts_at.date() for slot in found.items}
    assert dates == {date(2027, 5, 26), date(2027, 6, 9), date(2027, 6, 16)}
    assert found.counts["holidays"] == 8  # 10:00-12:00 local in common, every 15 minutes
    assert found.counts["available"] == 3 * 5
    assert_inside_windows(found, group)


@pytest.mark.parametrize(
    ("region", "corpus_christi"), [(None, True), ("BY", False), ("DE-BY", False)]
)
def test_a_regional_holiday_counts_only_for_that_region(
    region: str | None, corpus_christi: bool
) -> None:
    group = [
        member("lille", "FR", "Europe/Paris", window(THURSDAY, "09:00", "11:00")),
        member("munich", "DE", "Europe/Berlin", window(THURSDAY, "09:00", "11:00"), region=region),
    ]

    found = search(group, utc(2027, 5, 24), utc(2027, 5, 29))

    assert bool(found.items) is corpus_christi  # 27 May 2027, a holiday in Bavaria
    assert found.empty_reason == (None if corpus_christi else "holidays")


def test_a_double_booked_teacher_blocks_overlapping_slots_and_is_reported() -> None:
    booking = (utc(2027, 3, 23, 9, 30), utc(2027, 3, 23, 10, 30))  # 10:30-11:30 Paris
    salo = member(
        "salo", "FI", "Europe/Helsinki", window(TUESDAY, "10:00", "13:00"), busy=(booking,)
    )

    found = search([PARIS, salo], utc(2027, 3, 15), utc(2027, 3, 27))

    assert found.items
    assert all(s.ends_at <= booking[0] or s.starts_at >= booking[1] for s in found.items)
    assert found.counts["booked"] == 7  # starts 08:45-10:15 UTC; 08:00-08:30 are left
    assert {s.starts_at.date() for s in found.items} == {date(2027, 3, 16), date(2027, 3, 23)}

    series = utc_intervals(
        expand_rrule(
            "FREQ=WEEKLY;COUNT=2", datetime(2027, 3, 16, 10, tzinfo=ZoneInfo("Europe/Paris"))
        ),
        HOUR,
    )
    conflicts = find_conflicts(series, [PARIS, salo])
    assert [(c.index, c.class_id, c.reason) for c in conflicts] == [(1, "salo", "booked")]
    assert "overlaps a booking from 2027-03-23 11:30 to 2027-03-23 12:30" in conflicts[0].detail
    assert conflicts[0].starts_at == utc(2027, 3, 23, 9)


def test_conflicts_outside_a_term_name_the_date_and_the_term() -> None:
    short = member(
        "salo",
        "FI",
        "Europe/Helsinki",
        window(TUESDAY, "10:00", "13:00"),
        term=(date(2027, 1, 10), date(2027, 3, 20)),
    )

    conflicts = find_conflicts([(utc(2027, 3, 23, 9), utc(2027, 3, 23, 10))], [PARIS, short])

    assert [(c.class_id, c.reason) for c in conflicts] == [("salo", "outside_term")]
    assert conflicts[0].detail == "2027-03-23 is outside the term 2027-01-10 to 2027-03-20"


def test_warnings_flag_times_outside_availability_and_name_the_holiday() -> None:
    intervals = [
        (utc(2027, 3, 30, 8), utc(2027, 3, 30, 9)),  # inside both windows (after the change)
        (utc(2027, 3, 30, 9, 30), utc(2027, 3, 30, 10, 30)),  # past 12:00 in Paris
        (utc(2027, 3, 29, 8), utc(2027, 3, 29, 9)),  # Easter Monday, no window on Mondays
    ]

    warnings = find_warnings(intervals, [PARIS, SALO])

    assert [(w.index, w.class_id, w.kind) for w in warnings] == [
        (1, "paris", "outside_availability"),
        (1, "salo", "outside_availability"),
        (2, "paris", "outside_availability"),
        (2, "paris", "holiday"),
        (2, "salo", "outside_availability"),
        (2, "salo", "holiday"),
    ]
    assert warnings[0].detail == (
        "Tuesday 2027-03-30 11:30-12:30 (Europe/Paris) is outside the class's availability "
        "(09:00-12:00)"
    )
    assert warnings[2].detail == (
        "Monday 2027-03-29 10:00-11:00 (Europe/Paris) is not a day the class is available"
    )
    assert warnings[3].detail == "2027-03-29 is Easter Monday, a public holiday in FR"
    assert warnings[3].local_date == date(2027, 3, 29)


def test_ranking_prefers_margin_and_penalises_one_class_at_the_edge() -> None:
    assert score([120, 120]) == 1.0
    assert score([0, 0]) == 0.3
    assert score([0, 240]) == 0.0
    assert score([60, 60]) == pytest.approx(0.65)
    assert score([60, 120]) == pytest.approx(0.5)
    # In UTC: Porto 08:00-11:00, Paris 08:00-16:00; one hour. 09:00 is the middle of Porto's
    # window; 08:45 leaves both classes 45 minutes, 09:15 leaves Porto 45 but Paris 75: less
    # fair, so it ranks below 08:45 although its smallest margin is the same.
    porto = member("porto", "PT", "Europe/Lisbon", window(TUESDAY, "08:00", "11:00"))
    paris = member("paris", "FR", "Europe/Paris", window(TUESDAY, "09:00", "17:00"))

    found = search([porto, paris], utc(2027, 3, 1), utc(2027, 3, 3), limit=3)

    assert [(s.starts_at, s.score) for s in found.items] == [
        (utc(2027, 3, 2, 9), 0.65),
        (utc(2027, 3, 2, 8, 45), 0.5625),
        (utc(2027, 3, 2, 9, 15), 0.4875),
    ]
    assert found.counts["available"] == 9


def test_no_slot_starts_before_now() -> None:
    found = search([PARIS, SALO], utc(2027, 3, 15), utc(2027, 3, 27), now=utc(2027, 3, 16, 9))

    on_16 = sorted(s.starts_at for s in found.items if s.starts_at.day == 16)
    assert on_16 == [utc(2027, 3, 16, 9) + k * timedelta(minutes=15) for k in range(5)]
    assert found.counts["past"] == 4


def test_nonexistent_and_repeated_hours_on_change_nights() -> None:
    night = member("paris", "FR", "Europe/Paris", window(6, "02:00", "03:00"))

    spring = search([night], utc(2027, 3, 27), utc(2027, 3, 29))
    autumn = search([night], utc(2027, 10, 30), utc(2027, 11, 1), duration=2 * HOUR)

    assert spring.empty_reason == "no_common_availability"  # 02:00-03:00 does not exist
    assert [(s.starts_at, s.ends_at) for s in autumn.items] == [
        (utc(2027, 10, 31, 0), utc(2027, 10, 31, 2))  # 02:00 summer time to 02:00 winter time
    ]


WEDNESDAY_SALO = replace(SALO, availability=(window(WEDNESDAY, "10:00", "13:00"),))
EARLY_SALO = replace(SALO, term_end=date(2027, 2, 1))
BUSY_SALO = replace(SALO, busy=((utc(2027, 3, 1), utc(2027, 4, 1)),))
TOO_SHORT = {"start": utc(2027, 3, 16, 9, 1), "end": utc(2027, 3, 16, 9, 14)}


@pytest.mark.parametrize(
    ("members", "kwargs", "reason"),
    [
        ([PARIS, WEDNESDAY_SALO], {}, "no_common_availability"),
        (
            [PARIS, SALO],
            {"start": utc(2027, 3, 29), "end": utc(2027, 3, 30)},
            "no_common_availability",
        ),
        ([PARIS, EARLY_SALO], {}, "outside_term"),
        ([PARIS, BUSY_SALO], {}, "booked"),
        ([PARIS, SALO], {"duration": 4 * HOUR}, "duration"),
        ([PARIS, SALO], TOO_SHORT, "duration"),  # no grid start in the range
        ([PARIS, SALO], {"now": utc(2027, 6, 1)}, "past"),
    ],
)
def test_empty_reasons_name_the_constraint_that_emptied_the_search(
    members: list[MemberCalendar], kwargs: dict[str, object], reason: str
) -> None:
    args: dict[str, object] = {
        "start": utc(2027, 3, 15),
        "end": utc(2027, 3, 27),
        "duration": HOUR,
        "now": LONG_AGO,
    } | kwargs
    found = find_slots(members, **args)  # type: ignore[arg-type]

    assert found.items == []
    assert found.empty_reason == reason
    counts = found.counts
    assert counts["candidates"] == sum(counts[r] for r in EMPTY_REASONS) + counts["available"]


def test_holidays_reason_when_only_holidays_were_left() -> None:
    group = [
        member("lyon", "FR", "Europe/Paris", window(WEDNESDAY, "09:00", "12:00")),
        member("torino", "IT", "Europe/Rome", window(WEDNESDAY, "09:00", "12:00")),
    ]

    found = search(group, utc(2027, 5, 31), utc(2027, 6, 6))

    assert found.empty_reason == "holidays"
    assert found.counts["holidays"] == 12  # every start in 07:00-10:00 UTC, before duration


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": datetime(2027, 3, 15)}, "aware"),
        ({"end": utc(2027, 3, 1)}, "before end"),
        ({"duration": timedelta(0)}, "duration"),
        ({"duration": timedelta(seconds=90)}, "duration"),
        ({"step": timedelta(minutes=7)}, "divide a day"),
        ({"limit": 0}, "limit"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "start": utc(2027, 3, 15),
        "end": utc(2027, 3, 27),
        "duration": HOUR,
        "now": LONG_AGO,
    } | kwargs
    with pytest.raises(ValueError, match=message):
        find_slots([PARIS, SALO], **args)  # type: ignore[arg-type]


def test_an_unknown_zone_or_country_is_refused() -> None:
    lost = member("x", "FR", "Europe/Atlantis", window(TUESDAY, "09:00", "12:00"))
    nowhere = member("y", "XX", "Europe/Paris", window(TUESDAY, "09:00", "12:00"))

    with pytest.raises(ValueError, match="unknown time zone"):
        search([PARIS, lost], utc(2027, 3, 15), utc(2027, 3, 27))
    with pytest.raises(ValueError, match="no public holiday calendar for XX"):
        search([PARIS, nowhere], utc(2027, 3, 15), utc(2027, 3, 27))


# --- properties ---------------------------------------------------------------------------

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
