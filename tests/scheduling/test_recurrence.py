"""RRULE expansion on the organiser's wall clock, and local days as UTC instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.scheduling.rules.recurrence import (
    RecurrenceError,
    epoch_minutes,
    expand_rrule,
    from_minutes,
    local_day_spans,
    utc_intervals,
)

PARIS = ZoneInfo("Europe/Paris")
HELSINKI = ZoneInfo("Europe/Helsinki")


def test_weekly_series_keeps_paris_wall_time_across_the_spring_change() -> None:
    starts = expand_rrule("FREQ=WEEKLY;COUNT=8", datetime(2027, 3, 16, 10, tzinfo=PARIS))

    assert len(starts) == 8
    assert [s.date() for s in starts] == [date(2027, 3, 16) + timedelta(weeks=k) for k in range(8)]
    assert all((s.hour, s.minute) == (10, 0) and s.tzinfo is PARIS for s in starts)
    # Both zones move on the same UTC instant (01:00 UTC, 28 March): Salo stays 11:00.
    assert {s.astimezone(HELSINKI).hour for s in starts} == {11}
    assert [s.astimezone(UTC).hour for s in starts] == [9, 9, 8, 8, 8, 8, 8, 8]


def test_weekly_series_keeps_wall_time_across_the_autumn_change() -> None:
    starts = expand_rrule("RRULE:FREQ=WEEKLY;COUNT=4", datetime(2027, 10, 19, 10, tzinfo=PARIS))

    assert all(s.hour == 10 for s in starts)
    assert [s.astimezone(UTC).hour for s in starts] == [8, 8, 9, 9]


def test_until_as_a_date_includes_that_whole_local_date() -> None:
    first = datetime(2027, 3, 16, 10, tzinfo=PARIS)

    starts = expand_rrule("FREQ=WEEKLY;UNTIL=20270406", first)

    assert starts[-1] == datetime(2027, 4, 6, 10, tzinfo=PARIS)
    assert len(starts) == 4


def test_until_in_utc_is_compared_as_an_instant() -> None:
    first = datetime(2027, 3, 16, 10, tzinfo=PARIS)  # 6 April 10:00 Paris = 08:00 UTC

    assert len(expand_rrule("FREQ=WEEKLY;UNTIL=20270406T080000Z", first)) == 4
    assert len(expand_rrule("FREQ=WEEKLY;UNTIL=20270406T075959Z", first)) == 3


def test_floating_until_is_the_organisers_wall_clock() -> None:
    first = datetime(2027, 3, 16, 10, tzinfo=PARIS)

    assert len(expand_rrule("freq=weekly;until=20270406T100000", first)) == 4
    assert len(expand_rrule("FREQ=WEEKLY;UNTIL=20270406T095959", first)) == 3


def test_a_skipped_wall_time_moves_forward_and_a_repeated_one_is_summer_time() -> None:
    spring = expand_rrule("FREQ=DAILY;COUNT=3", datetime(2027, 3, 27, 2, 30, tzinfo=PARIS))
    autumn = expand_rrule("FREQ=DAILY;COUNT=1", datetime(2027, 10, 31, 2, 30, tzinfo=PARIS))

    assert [s.isoformat() for s in spring] == [
        "2027-03-27T02:30:00+01:00",
        "2027-03-28T03:30:00+02:00",  # 02:30 does not exist that night
        "2027-03-29T02:30:00+02:00",
    ]
    assert autumn[0].isoformat() == "2027-10-31T02:30:00+02:00"


def test_utc_intervals_last_the_real_duration() -> None:
    starts = expand_rrule("FREQ=WEEKLY;COUNT=3", datetime(2027, 3, 23, 10, tzinfo=PARIS))

    intervals = utc_intervals(starts, timedelta(minutes=90))

    assert intervals[1] == (
        datetime(2027, 3, 30, 8, tzinfo=UTC),
        datetime(2027, 3, 30, 9, 30, tzinfo=UTC),
    )
    assert all(s.tzinfo is UTC for s, _ in intervals)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=WEEKLY", "neither COUNT nor UNTIL"),
        ("FREQ=WEEKLY;BYDAY=TU", "neither COUNT nor UNTIL"),
        ("FREQ=WEEKLY;COUNT=101", "COUNT=101 is more than the 100"),
        ("FREQ=DAILY;UNTIL=20280101", "more than 100 occurrences"),
        ("garbage", "cannot parse"),
        ("FREQ=WEEKLY;COUNT=x", "not a positive whole number"),
        ("FREQ=WEEKLY;COUNT=0", "not a positive whole number"),
        ("FREQ=FORTNIGHTLY;COUNT=2", "cannot parse"),
        ("FREQ=WEEKLY;COUNT=2;COLOUR=RED", "cannot parse"),
        ("COUNT=2", "no FREQ"),
        ("FREQ=WEEKLY;COUNT=2;COUNT=3", "appears twice"),
        ("FREQ=WEEKLY;COUNT=2;UNTIL=20270501", "both COUNT and UNTIL"),
        ("FREQ=WEEKLY;UNTIL=2027-05-01", "UNTIL=2027-05-01 is neither"),
        ("FREQ=WEEKLY;UNTIL=20200101", "no occurrence"),
        ("DTSTART:20270316T100000\nRRULE:FREQ=WEEKLY;COUNT=2", "DTSTART"),
        ("FREQ=WEEKLY;COUNT=2;DTSTART=20270316T100000", "DTSTART"),
        ("RRULE:FREQ=WEEKLY;COUNT=2\nEXDATE:20270323T100000", "single RRULE"),
        ("   ", "empty"),
    ],
)
def test_refused_rules_say_why(rule: str, message: str) -> None:
    with pytest.raises(RecurrenceError, match=message):
        expand_rrule(rule, datetime(2027, 3, 16, 10, tzinfo=PARIS))


def test_the_occurrence_cap_is_a_parameter_and_recurrence_errors_are_value_errors() -> None:
    first = datetime(2027, 3, 16, 10, tzinfo=PARIS)

    assert len(expand_rrule("FREQ=DAILY;COUNT=100", first)) == 100
    with pytest.raises(ValueError, match="COUNT=11 is more than the 10"):
        expand_rrule("FREQ=DAILY;COUNT=11", first, max_occurrences=10)


@pytest.mark.parametrize(
    "first",
    [datetime(2027, 3, 16, 10), datetime(2027, 3, 16, 10, tzinfo=UTC)],
)
def test_the_first_start_must_carry_a_zoneinfo_zone(first: datetime) -> None:
    with pytest.raises(RecurrenceError, match="ZoneInfo"):
        expand_rrule("FREQ=WEEKLY;COUNT=2", first)


def _local_spans(zone: str, day: date, start: int, end: int) -> list[tuple[str, str]]:
    spans = local_day_spans(zone, day.toordinal(), ((start * 60, end * 60),))
    return [(f"{from_minutes(a):%H:%M}", f"{from_minutes(b):%H:%M}") for a, b in spans]


def test_local_days_around_the_changes_hold_exactly_the_wall_times_that_exist() -> None:
    spring, autumn = date(2027, 3, 28), date(2027, 10, 31)
    paris = "Europe/Paris"

    assert _local_spans(paris, spring, 2, 3) == []  # 02:00-03:00 is skipped
    assert _local_spans(paris, spring, 1, 4) == [("00:00", "02:00")]  # two real hours
    assert _local_spans(paris, autumn, 2, 3) == [("00:00", "02:00")]  # lived twice
    assert _local_spans(paris, autumn, 9, 12) == [("08:00", "11:00")]
    assert _local_spans("Europe/Istanbul", spring, 9, 12) == [("06:00", "09:00")]
    assert _local_spans("Atlantic/Reykjavik", spring, 0, 24) == [("00:00", "00:00")]


def test_epoch_minutes_round_as_asked_and_refuse_naive_datetimes() -> None:
    moment = datetime(1970, 1, 1, 0, 1, 30, tzinfo=UTC)

    assert (epoch_minutes(moment), epoch_minutes(moment, up=True)) == (1, 2)
    with pytest.raises(ValueError, match="aware"):
        epoch_minutes(datetime(2027, 1, 1))
