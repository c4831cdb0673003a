"""The array compatibility graph equals the scalar reference, edge for edge and reason for
reason; no database needed."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.matching.rules.compatibility import compatibility_graph
from app.matching.rules.pair_graph import compatible_pairs
from app.matching.rules.types import ClassProfile, MatchingOptions, Weights
from bench.generator import generate
from tests.matching.test_compatibility import make
from tests.matching.test_compatibility_properties import classes

OPTIONS = MatchingOptions()


def assert_same(profiles: list[ClassProfile], options: MatchingOptions) -> None:
    reference, reasons = compatibility_graph(profiles, options)
    fast = compatible_pairs(profiles, options)
    assert fast.edges() == [(c.a, c.b, c.score) for c in reference]
    assert fast.reasons == reasons
    assert list(fast.reasons) == [p.id for p in profiles]


@pytest.mark.parametrize(("n", "seed"), [(120, 1), (400, 2), (400, 3)])
def test_equals_the_scalar_graph_on_generated_classes(n: int, seed: int) -> None:
    assert_same(generate(n, seed), OPTIONS)


def test_equals_the_scalar_graph_with_other_options() -> None:
    profiles = generate(250, 5)
    weights = Weights(field=1, language=7, age=3, size=0, availability=11)
    for options in (
        MatchingOptions(min_language_level="B1", min_overlap_minutes=90, weights=weights),
        MatchingOptions(min_language_level="A1", min_overlap_minutes=1, min_joint_weeks=0),
        MatchingOptions(min_joint_weeks=20),
    ):
        assert_same(profiles, options)


def test_short_joint_terms_take_the_scalar_path() -> None:
    """Joint terms of a few days across a change of offset: no period holds a full week."""
    october = (date(2025, 10, 22), date(2025, 10, 29))  # Paris changes on 26 October
    profiles = [
        make("a", "FR", "1 09:00-12:00", "4 09:00-12:00", term=october),
        make("b", "TR", "1 09:00-12:00", "4 10:00-13:00", term=october),
        make("c", "US", "1 03:00-06:00", "4 03:00-09:00", term=october),
        make("d", "NP", "1 13:30-15:00", term=(date(2025, 10, 25), date(2025, 10, 27))),
    ]
    assert_same(profiles, MatchingOptions(min_joint_weeks=0, min_overlap_minutes=30))


@settings(max_examples=150, deadline=None, database=None)
@given(st.integers(1, 12).flatmap(classes), st.sampled_from([0, 1, 6]), st.sampled_from([1, 60]))
def test_equals_the_scalar_graph_on_random_classes(
    profiles: list[ClassProfile], weeks: int, minutes: int
) -> None:
    assert_same(profiles, MatchingOptions(min_joint_weeks=weeks, min_overlap_minutes=minutes))


def test_empty_and_repeated() -> None:
    empty = compatible_pairs([], OPTIONS)
    assert (empty.edges(), empty.reasons) == ([], {})
    with pytest.raises(ValueError, match="unique"):
        compatible_pairs([make("a"), make("a", "FI")], OPTIONS)
