"""Pair and group compatibility: hard filters, DST periods, the score; no database needed."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.matching.rules.availability import zone_periods
from app.matching.rules.compatibility import check_pair, compatibility_graph, group_check, prepare
from app.matching.rules.score import CRITERIA, field_score
from app.matching.rules.types import (
    ClassProfile,
    Compatibility,
    GroupCompatibility,
    Language,
    MatchingOptions,
    Refusal,
    Weights,
    Window,
)

OPTIONS = MatchingOptions()
_PLACES = """FR Europe/Paris  FI Europe/Helsinki  PT Europe/Lisbon  TR Europe/Istanbul
DE Europe/Berlin  US America/New_York  IN Asia/Kolkata  NP Asia/Kathmandu  AU Australia/Adelaide"""
ZONES = dict(zip(_PLACES.split()[::2], _PLACES.split()[1::2], strict=True))
SCHOOL_YEAR = (date(2025, 9, 1), date(2026, 6, 30))
WINTER = (date(2025, 11, 3), date(2026, 3, 20))


def clock(minute: int) -> time:
    return time.max if minute == 1440 else time(minute // 60, minute % 60)


def slots(*spec: str) -> tuple[Window, ...]:
    """`"1 09:00-11:00"` is Tuesday from 09:00 to 11:00 local time."""
    found = []
    for item in spec:
        day, hours = item.split()
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in hours.split("-"))
        found.append(Window(int(day), clock(start), clock(end)))
    return tuple(found)


def make(
    id: str,
    country: str = "FR",
    *spec: str,
    languages: str = "en:B2",
    term: tuple[date, date] = SCHOOL_YEAR,
    field: str = "0413",
    eqf: int = 4,
    learners: int = 20,
    ages: tuple[int, int] = (16, 18),
) -> ClassProfile:
    """A class; `spec` as for `slots` (default Tuesday 09:00-12:00), `languages` "en:B2 fr:C2"."""
    return ClassProfile(
        id=id,
        organisation_id=f"org-{id}",
        country=country,
        timezone=ZONES[country],
        field=field,
        eqf_level=eqf,
        learner_count=learners,
        age_min=ages[0],
        age_max=ages[1],
        languages=tuple(Language(*item.split(":")) for item in languages.split()),
        availability=slots(*(spec or ("1 09:00-12:00",))),
        term_start=term[0],
        term_end=term[1],
    )


def check(a: ClassProfile, b: ClassProfile, opts: MatchingOptions = OPTIONS) -> object:
    return check_pair(prepare(a, opts), prepare(b, opts), opts)


def ok(a: ClassProfile, b: ClassProfile, opts: MatchingOptions = OPTIONS) -> Compatibility:
    result = check(a, b, opts)
    assert isinstance(result, Compatibility), result
    return result


def reason(a: ClassProfile, b: ClassProfile, opts: MatchingOptions = OPTIONS) -> str | None:
    result = check(a, b, opts)
    return result.reason if isinstance(result, Refusal) else None


def points(*values: int) -> dict[str, int]:
    return dict(zip(CRITERIA, values, strict=True))


def length(start: time, end: time) -> int:
    stop = 1440 if end == time.max else end.hour * 60 + end.minute
    return stop - start.hour * 60 - start.minute


def test_paris_and_helsinki_share_the_same_instants_all_year() -> None:
    result = ok(make("a", "FR", "1 09:00-11:00"), make("b", "FI", "1 10:00-12:00"))
    assert result.overlap_minutes == 120
    assert [(w.valid_from, w.valid_to, w.start_utc) for w in result.common_windows] == [
        (date(2025, 9, 1), date(2025, 10, 25), time(7)),
        (date(2025, 10, 26), date(2026, 3, 28), time(8)),
        (date(2026, 3, 29), date(2026, 6, 30), time(7)),
    ]
    assert {(w.weekday, length(w.start_utc, w.end_utc)) for w in result.common_windows} == {
        (1, 120)
    }


def test_istanbul_keeps_its_offset_so_summer_loses_the_slot() -> None:
    paris = "1 10:00-11:00"  # 09:00 UTC in winter, 08:00 in summer
    istanbul = "1 12:00-13:00"  # 09:00 UTC all year
    winter = ok(make("a", "FR", paris, term=WINTER), make("b", "TR", istanbul, term=WINTER))
    assert winter.overlap_minutes == 60
    spring = (date(2026, 1, 5), date(2026, 6, 26))  # spans the change of 29 March
    assert reason(make("a", "FR", paris, term=spring), make("b", "TR", istanbul, term=spring)) == (
        "no_time_in_common"
    )
    assert reason(make("a", "FR", paris), make("b", "TR", istanbul)) == "no_time_in_common"


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (date(2026, 6, 26), "no_time_in_common"),
        # Ending Wednesday 11 March, the 4 days after New York's change hold no full week: they
        # do not count (and give no common window).
        (date(2026, 3, 11), None),
        # Ending Saturday 14 March, that period is a full week and counts.
        (date(2026, 3, 14), "no_time_in_common"),
    ],
)
def test_new_york_changes_three_weeks_before_paris(last: date, expected: str | None) -> None:
    # 14:00 UTC for both in winter and 13:00 in summer, but from 8 to 28 March 2026 New York
    # is on summer time and Paris is not.
    term = (date(2026, 1, 5), last)
    paris, new_york = (
        make("a", "FR", "1 15:00-16:00", term=term),
        make("b", "US", "1 09:00-10:00", term=term),
    )
    assert reason(paris, new_york) == expected
    if expected is None:
        result = ok(paris, new_york)
        assert result.overlap_minutes == 60
        assert [w.valid_to for w in result.common_windows] == [date(2026, 3, 7)]


@pytest.mark.parametrize(("start", "expected"), [("08:00", None), ("08:01", "no_time_in_common")])
def test_sixty_minutes_pass_and_fifty_nine_fail(start: str, expected: str | None) -> None:
    paris, lisbon = make("a", "FR", "2 09:00-10:00"), make("b", "PT", f"2 {start}-09:00")
    assert reason(paris, lisbon) == expected
    if expected is None:
        assert ok(paris, lisbon).overlap_minutes == 60


@pytest.mark.parametrize(("end", "expected"), [(23, "no_joint_term"), (30, None)])
def test_five_joint_weeks_are_refused_six_accepted(end: int, expected: str | None) -> None:
    helsinki = make("b", "FI", "1 10:00-13:00", term=(date(2026, 5, 20), date(2026, 6, end)))
    assert reason(make("a", "FR"), helsinki) == expected


def test_same_country_is_never_a_pair() -> None:
    assert reason(make("a", "FR"), make("b", "FR")) == "no_partner_country"


def test_languages_must_be_held_at_the_minimum_level() -> None:
    finnish = make("b", "FI", "1 10:00-13:00", languages="fi:C2 sv:B2")
    assert reason(make("a", "FR", languages="fr:C2"), finnish) == "no_language_in_common"
    beginner = make("b", "FI", "1 10:00-13:00", languages="en:A1")
    assert reason(make("a", "FR"), beginner) == "no_language_in_common"
    a1 = MatchingOptions(min_language_level="A1")
    assert ok(make("a", "FR"), beginner, a1).breakdown["language"] == 50


def test_identical_classes_across_countries_score_1000() -> None:
    result = ok(make("a", "FR"), make("b", "PT", "1 08:00-11:00"))
    assert result.score == 1000 == sum(result.breakdown.values())
    assert result.breakdown == points(350, 250, 100, 100, 200)
    assert result.shared_languages == ("en",)
    assert result.overlap_minutes == 180


def test_score_criteria() -> None:
    a = make("a", "FR", learners=10, ages=(16, 19), languages="en:C1 de:B1")
    b = make("b", "PT", "1 08:00-09:30", languages="en:B1 de:B2", field="0411", eqf=6)
    b = replace(b, learner_count=20, age_min=18, age_max=25)
    # field: same narrow field 041, two EQF levels apart: 0.7 * 0.8 * 350 = 196; language, B1
    # at best: 0.8 * 250; ages 18-19 of the smaller range 16-19: 0.5 * 100; size 10 / 20 * 100;
    # availability 90 / 180 * 200.
    result = ok(a, b)
    assert result.breakdown == points(196, 200, 50, 50, 100)
    assert result.score == 596
    assert result.shared_languages == ("de", "en")


def test_breakdown_adds_up_with_thirds() -> None:
    thirds = MatchingOptions(weights=Weights(field=1, language=1, age=1, size=0, availability=0))
    result = ok(make("a", "FR"), make("b", "PT", "1 08:00-11:00"), thirds)
    assert result.breakdown == points(334, 333, 333, 0, 0)
    assert result.score == 1000


@pytest.mark.parametrize(
    ("other", "value"), [("0413", 1.0), ("0414", 0.7), ("0421", 0.4), ("0713", 0.0)]
)
def test_field_levels(other: str, value: float) -> None:
    assert field_score(make("a"), make("b", field=other)) == value


def test_common_windows_are_split_at_utc_midnight() -> None:
    helsinki = make("a", "FI", "0 00:00-03:00", term=WINTER)  # Sunday 22:00 to Monday 01:00 UTC
    lisbon = make("b", "PT", "6 21:00-24:00", "0 00:00-02:00", term=WINTER)
    result = ok(helsinki, lisbon)
    assert [(w.weekday, w.start_utc, w.end_utc) for w in result.common_windows] == [
        (0, time(0), time(1)),
        (6, time(22), time.max),
    ]
    assert result.overlap_minutes == 180


@pytest.mark.parametrize(
    ("zones", "count"),
    [(("Europe/Paris", "America/New_York"), 5), (("Australia/Adelaide", "Europe/Istanbul"), 3)],
)
def test_periods_follow_every_change_of_either_zone(zones: tuple[str, str], count: int) -> None:
    first, last = date(2025, 8, 1), date(2026, 7, 31)
    found = zone_periods(zones, first.toordinal(), last.toordinal(), 2025, 2026)
    day, expected = first, list[tuple[int, int, tuple[int, ...]]]()
    while day <= last:
        noon = [datetime.combine(day, time(12), ZoneInfo(z)).utcoffset() for z in zones]
        offsets = tuple(int(o.total_seconds()) // 60 for o in noon if o is not None)
        since = expected.pop()[0] if expected and expected[-1][2] == offsets else day.toordinal()
        expected.append((since, day.toordinal(), offsets))
        day += timedelta(days=1)
    assert list(found) == expected
    assert len(found) == count


def test_graph_reasons() -> None:
    profiles = [
        make("fr", "FR"),
        make("fi", "FI", "1 10:00-13:00"),
        make("de", "DE", languages="de:C2"),
        make("late", "PT", "1 20:00-21:00"),
    ]
    pairs, reasons = compatibility_graph(profiles, OPTIONS)
    assert [(p.a, p.b) for p in pairs] == [("fi", "fr")]
    assert reasons == {
        "fr": None,
        "fi": None,
        "de": "no_language_in_common",
        "late": "no_time_in_common",
    }
    alone = compatibility_graph([make("x", "FR"), make("y", "FR")], OPTIONS)
    assert alone == ([], {"x": "no_partner_country", "y": "no_partner_country"})


def test_graph_ties_favour_language_then_time() -> None:
    profiles = [
        make("a", "FR"),
        make("b", "PT", languages="pt:C2"),
        make("c", "FI", "4 10:00-13:00"),
        make("d", "DE", term=(date(2025, 9, 1), date(2025, 9, 30))),
    ]
    assert compatibility_graph(profiles, OPTIONS)[1]["a"] == "no_language_in_common"  # 1-1-1
    profiles[1] = make("b", "PT", "3 10:00-13:00")
    assert compatibility_graph(profiles, OPTIONS)[1]["a"] == "no_time_in_common"  # 0-2-1


def test_group_of_three_sharing_english_and_a_slot() -> None:
    trio = (make("c", "PT", "1 08:00-10:00"), make("a", "FR"), make("b", "FI", "1 10:00-13:00"))
    members = [prepare(p, OPTIONS) for p in trio]
    result = group_check(members, OPTIONS)
    assert isinstance(result, GroupCompatibility)
    assert (result.members, result.overlap_minutes) == (("a", "b", "c"), 120)
    scores = [ok(x, y).score for x, y in itertools.combinations(trio, 2)]
    assert result.score == round(sum(scores) / 3) == sum(result.breakdown.values())
    four = group_check([*members, prepare(make("d", "TR", "1 10:00-13:00"), OPTIONS)], OPTIONS)
    assert isinstance(four, GroupCompatibility)
    assert (four.members, four.overlap_minutes) == (("a", "b", "c", "d"), 120)
    late = prepare(make("d", "TR", "1 12:00-13:00"), OPTIONS)  # 09:00 UTC: not with c in summer
    assert group_check([*members, late], OPTIONS) == Refusal("c", "d", "no_time_in_common")


def test_group_refusals() -> None:
    fr = make("a", "FR", languages="en:B2 fr:C2")
    fi = make("b", "FI", "1 10:00-13:00", languages="en:B2 de:B1")
    pt = make("c", "PT", "1 08:00-10:00", languages="fr:B1 de:B1")

    def group(*profiles: ClassProfile) -> object:
        return group_check([prepare(p, OPTIONS) for p in profiles], OPTIONS)

    assert group(fr, fi, pt) == Refusal("a", "b", "no_language_in_common")  # no language for all
    lone = make("c", "PT", "1 08:00-10:00", languages="pt:C2")
    assert group(fr, fi, lone) == Refusal("a", "c", "no_language_in_common")  # a pair fails
    # Every pair shares an hour, the three never do.
    trio = (
        make("a", "FR", "1 09:00-11:00"),
        make("b", "FI", "1 11:00-13:00"),
        make("c", "PT", "1 08:00-09:00", "1 10:00-11:00"),
    )
    assert group(*trio) == Refusal("a", "b", "no_time_in_common")
    assert group(make("a", "FR"), make("b", "FR"), make("c", "PT")) == Refusal(
        "a", "b", "no_partner_country"
    )
