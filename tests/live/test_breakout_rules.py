"""Breakout groups: properties over any room (hypothesis), and a few rooms worked by hand."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from app.live.rules.breakout import Person, group_count, make_groups, mixing_possible

COUNTRIES = ["FR", "FI", "IT", "DE", "ES"]


@st.composite
def rooms(draw: st.DrawFn) -> tuple[list[Person], int, int]:
    countries = draw(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=60))
    people = [Person(f"p{i}", c) for i, c in enumerate(countries)]
    return people, draw(st.integers(min_value=2, max_value=12)), draw(st.integers())


def _mixed(group: list[Person]) -> bool:
    return len({p.country for p in group}) >= 2


@given(rooms())
def test_everyone_is_placed_once_in_groups_that_differ_by_at_most_one(
    room: tuple[list[Person], int, int],
) -> None:
    people, size, seed = room
    groups = make_groups(people, size, seed=seed)
    placed = [p.id for g in groups for p in g]
    assert sorted(placed) == sorted(p.id for p in people)
    assert len(groups) == group_count(len(people), size)
    sizes = [len(g) for g in groups]
    assert max(sizes) - min(sizes) <= 1
    assert max(sizes) <= max(size, 3)  # groups of two may take a third rather than leave one
    if len(people) >= 2:
        assert min(sizes) >= 2  # nobody alone


def test_three_learners_in_groups_of_two_make_one_group_of_three() -> None:
    people = [Person("a", "FR"), Person("b", "IT"), Person("c", "FR")]
    groups = make_groups(people, 2, seed=7)
    assert [sorted(p.id for p in g) for g in groups] == [["a", "b", "c"]]
    five = make_groups([Person(str(i), "FR" if i % 2 else "IT") for i in range(5)], 2, seed=1)
    assert sorted(len(g) for g in five) == [2, 3]


@given(rooms())
def test_each_country_is_spread_evenly(room: tuple[list[Person], int, int]) -> None:
    people, size, seed = room
    groups = make_groups(people, size, seed=seed)
    for country in {p.country for p in people}:
        per_group = [sum(p.country == country for p in g) for g in groups]
        assert max(per_group) - min(per_group) <= 1, (country, per_group)


@given(rooms())
def test_groups_hold_two_countries_whenever_the_room_allows(
    room: tuple[list[Person], int, int],
) -> None:
    people, size, seed = room
    groups = make_groups(people, size, seed=seed)
    counts = Counter(p.country for p in people)
    if len(counts) < 2:
        return  # one country: nothing to mix
    if mixing_possible(people, len(groups)):
        assert all(_mixed(g) for g in groups if len(g) >= 2), groups
    else:
        # Too few people outside the largest country: each of them mixes a group of its own,
        # which is the most groups any placement could mix.
        outside = len(people) - max(counts.values())
        assert sum(_mixed(g) for g in groups) == outside


@given(
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=2, max_value=8),
)
def test_two_countries_in_any_balance_mix_every_group_they_can(
    french: int, finnish: int, size: int
) -> None:
    people = [Person(f"fr{i}", "FR") for i in range(french)]
    people += [Person(f"fi{i}", "FI") for i in range(finnish)]
    groups = make_groups(people, size, seed=french * 31 + finnish)
    # A mixed group needs a member of the smaller class and two members: no placement into
    # these groups mixes more than this many, and this one mixes exactly that many.
    best = min(french, finnish, len(groups), len(people) - len(groups))
    assert sum(_mixed(g) for g in groups) == best


def test_a_class_of_fifteen_meets_a_class_of_fifteen_in_groups_of_four() -> None:
    people = [Person(f"fr{i}", "FR") for i in range(15)] + [
        Person(f"fi{i}", "FI") for i in range(15)
    ]
    groups = make_groups(people, 4, seed=7)
    assert sorted(len(g) for g in groups) == [3, 3, 4, 4, 4, 4, 4, 4]
    assert all({p.country for p in g} == {"FR", "FI"} for g in groups)
    assert make_groups(people, 4, seed=7) == groups  # a seed gives the same round
    assert make_groups(people, 4, seed=8) != groups


def test_small_rooms() -> None:
    assert make_groups([], 4) == []
    alone = [Person("a", "FR")]
    assert make_groups(alone, 4) == [alone]
    three = [Person("a", "FR"), Person("b", "FR"), Person("c", "FI")]
    assert [sorted(p.id for p in g) for g in make_groups(three, 5)] == [["a", "b", "c"]]
