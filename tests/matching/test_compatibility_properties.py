"""Compatibility of random classes (hypothesis): pairs, the graph and groups agree with the
rules."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.rules.codes import cefr_rank
from app.matching.rules.compatibility import compatibility_graph, group_check, prepare
from app.matching.rules.types import (
    ClassProfile,
    Compatibility,
    Language,
    MatchingOptions,
    Refusal,
    UnmatchedReason,
    Weights,
    Window,
)
from tests.matching.test_compatibility import (
    OPTIONS,
    ZONES,
    check,
    clock,
    length,
)


@st.composite
def windows(draw: st.DrawFn) -> Window:
    """Anywhere in the week, or in school hours, or the one slot many classes share."""
    step = draw(st.sampled_from([1, 5, 15, 30, 60]))
    kind = draw(st.sampled_from(["anywhere", "school", "shared"]))
    if kind == "shared":
        return Window(1, time(9), time(12))
    if kind == "anywhere":
        day, start = draw(st.integers(0, 6)), draw(st.integers(0, 1439 // step)) * step
    else:
        day, start = draw(st.integers(0, 4)), draw(st.integers(420 // step, 840 // step)) * step
    end = min(1440, start + draw(st.integers(1, 480 // step)) * step)
    return Window(day, clock(start), clock(end))


@st.composite
def profiles(draw: st.DrawFn, id: str, country: str) -> ClassProfile:
    start = date(2025, 8, 1) + timedelta(days=draw(st.integers(0, 120)))
    age_min = draw(st.integers(14, 20))
    level = st.sampled_from(["B1", "A2", "B2", "A1", "C1", "C2"])
    codes = draw(st.sets(st.sampled_from(["fr", "de"]), max_size=1)) | {"en"}
    return ClassProfile(
        id=id,
        organisation_id=f"org-{id}",
        country=country,
        timezone=ZONES[country],
        field=draw(st.sampled_from(["0413", "0414", "0411", "0715", "1013"])),
        eqf_level=draw(st.integers(2, 5)),
        learner_count=draw(st.integers(1, 35)),
        age_min=age_min,
        age_max=age_min + draw(st.integers(0, 5)),
        languages=tuple(Language(code, draw(level)) for code in sorted(codes)),
        availability=tuple(draw(st.lists(windows(), min_size=1, max_size=4))),
        term_start=start,
        term_end=start
        + timedelta(days=draw(st.one_of(st.integers(200, 330), st.integers(30, 330)))),
    )


def classes(count: int, places: str = "".join(ZONES)) -> st.SearchStrategy[list[ClassProfile]]:
    """`count` classes, mostly from different countries (of `places`, "FRFI...")."""
    pool = sorted(places[i : i + 2] for i in range(0, len(places), 2))
    distinct = st.permutations(pool).map(lambda cs: cs[:count])
    countries = st.lists(st.sampled_from(pool), min_size=count, max_size=count)
    return (
        st.one_of(distinct, distinct, countries)
        .flatmap(lambda cs: st.tuples(*(profiles(f"c{i}", c) for i, c in enumerate(cs))))
        .map(list)
    )


options = st.builds(
    MatchingOptions,
    min_language_level=st.sampled_from(["A1", "A2", "B1"]),
    min_overlap_minutes=st.sampled_from([1, 30, 60, 90]),
    weights=st.builds(Weights, *[st.integers(0, 50)] * 4, st.integers(1, 50)),
)
PROPERTY = settings(max_examples=200, deadline=None, database=None)


def covered(profile: ClassProfile, start: datetime, minutes: int) -> bool:
    """Whether `minutes` from `start` lie inside the profile's windows, in its own time."""
    free = [False] * 10080
    for w in profile.availability:
        first = w.weekday * 1440 + w.start.hour * 60 + w.start.minute
        free[first : first + length(w.start, w.end)] = [True] * length(w.start, w.end)
    local = start.astimezone(ZoneInfo(profile.timezone))
    first = local.weekday() * 1440 + local.hour * 60 + local.minute
    return all(free[(first + k) % 10080] for k in range(minutes))


def qualifying(profile: ClassProfile, minimum: str) -> set[str]:
    return {x.code for x in profile.languages if cefr_rank(x.level) >= cefr_rank(minimum)}


@PROPERTY
@given(classes(2), options)
def test_pair_properties(pair: list[ClassProfile], opts: MatchingOptions) -> None:
    a, b = pair
    result = check(a, b, opts)
    assert check(b, a, opts) == result
    if not isinstance(result, Compatibility):
        return
    assert a.country != b.country
    assert qualifying(a, opts.min_language_level) & qualifying(b, opts.min_language_level)
    assert 0 <= result.score <= 1000
    assert result.score == sum(result.breakdown.values())
    assert list(result.breakdown) == ["field", "language", "age", "size", "availability"]
    assert result.overlap_minutes >= opts.min_overlap_minutes
    for window in result.common_windows:  # checked on a date well inside its period
        days = (
            window.valid_from + timedelta(days=k)
            for k in range(2, (window.valid_to - window.valid_from).days - 1)
        )
        sample = next((d for d in days if d.weekday() == window.weekday), None)
        if sample is not None:
            start = datetime.combine(sample, window.start_utc, tzinfo=UTC)
            assert covered(a, start, length(window.start_utc, window.end_utc))
            assert covered(b, start, length(window.start_utc, window.end_utc))


@settings(PROPERTY, max_examples=100)
@given(st.integers(1, 7).flatmap(classes))
def test_graph_agrees_with_every_pair(profiles: list[ClassProfile]) -> None:
    pairs, reasons = compatibility_graph(profiles, OPTIONS)
    expected: list[Compatibility] = []
    refused: dict[str, list[UnmatchedReason]] = {p.id: [] for p in profiles}
    for x, y in itertools.combinations(profiles, 2):
        result = check(x, y)
        if isinstance(result, Compatibility):
            expected.append(result)
        elif isinstance(result, Refusal) and result.reason != "no_partner_country":
            refused[x.id].append(result.reason)
            refused[y.id].append(result.reason)
    assert pairs == sorted(expected, key=lambda p: (p.a, p.b))
    order: list[UnmatchedReason] = ["no_language_in_common", "no_time_in_common", "no_joint_term"]
    for profile in profiles:
        counts = refused[profile.id]
        if any(profile.id in (p.a, p.b) for p in pairs):
            assert reasons[profile.id] is None
        elif not counts:
            assert reasons[profile.id] == "no_partner_country"
        else:
            assert reasons[profile.id] == max(
                order, key=lambda r: (counts.count(r), -order.index(r))
            )


@PROPERTY
@given(st.integers(3, 4).flatmap(lambda n: classes(n, "FRFIPTDETR")), st.booleans())
def test_group_properties(profiles: list[ClassProfile], easy: bool) -> None:
    opts = MatchingOptions(min_overlap_minutes=1, min_joint_weeks=1) if easy else OPTIONS
    shared = Window(1, time(9), time(12))
    profiles = [replace(p, availability=(*p.availability, shared)) for p in profiles]
    result = group_check([prepare(p, opts) for p in reversed(profiles)], opts)
    if isinstance(result, Refusal):
        return
    assert result.members == tuple(sorted(p.id for p in profiles))
    assert len({p.country for p in profiles}) == len(profiles)
    assert set(result.shared_languages) == set.intersection(
        *(qualifying(p, "A2") for p in profiles)
    )
    assert 0 <= result.score <= 1000
    assert result.score == sum(result.breakdown.values())
    assert result.overlap_minutes >= opts.min_overlap_minutes
