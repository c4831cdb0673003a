"""Session slots across countries: DST, public holidays, terms, bookings, ranking, reasons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

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
