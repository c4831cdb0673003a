"""Groups of three or four: exact on small instances, the heuristic close to it, invariants."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import pytest

from app.matching.rules.groups import GroupResult, solve_groups
from app.matching.rules.packing import pair_mean_bound


@dataclass
class Instance:
    """Classes with a country and languages; a group works when its members share a language
    and avoid one "clash" (standing in for no common time); it scores its pairs' mean."""

    nodes: list[str]
    countries: dict[str, str]
    pair_weight: dict[tuple[str, str], int]
    languages: dict[str, set[str]]
    clashes: set[frozenset[str]]
    calls: list[tuple[str, ...]] = field(default_factory=list)

    def group_ok(self, members: tuple[str, ...]) -> int | None:
        self.calls.append(members)
        return self.score(members)

    def score(self, members: tuple[str, ...]) -> int | None:
        if set.intersection(*(self.languages[m] for m in members)) == set():
            return None
        if any(frozenset(pair) in self.clashes for pair in itertools.combinations(members, 2)):
            return None
        pairs = [self.pair_weight[pair] for pair in itertools.combinations(sorted(members), 2)]
        return (2 * sum(pairs) + len(pairs)) // (2 * len(pairs))


def make_instance(seed: int, n: int, countries: int, density: float = 0.7) -> Instance:
    rng = random.Random(seed)
    nodes = [f"k{i:02d}" for i in range(n)]
    country = {node: "ABCDE"[rng.randrange(countries)] for node in nodes}
    languages = {node: {"en"} if rng.random() < 0.8 else {"de", "fr"} for node in nodes}
    weights = {}
    for a, b in itertools.combinations(nodes, 2):
        if country[a] != country[b] and rng.random() < density:
            weights[a, b] = rng.randint(200, 1000)
    clashes = {frozenset(pair) for pair in rng.sample(sorted(weights), len(weights) // 10)}
    return Instance(nodes, country, weights, languages, clashes)


def brute_force(instance: Instance, size: int) -> int:
    """The best total over disjoint feasible groups, by recursion over the first free class."""
    index = {node: i for i, node in enumerate(instance.nodes)}
    groups: list[tuple[int, int]] = []
    for members in itertools.combinations(instance.nodes, size):
        pairs = itertools.combinations(members, 2)
        if all(pair in instance.pair_weight for pair in pairs):
            score = instance.score(members)
            if score is not None:
                groups.append((sum(1 << index[m] for m in members), score))

    @cache
    def best(free: int) -> int:
        if free == 0:
            return 0
        low = free & -free
        value = best(free ^ low)  # the lowest free class stays out of every group
        for mask, score in groups:
            if mask & low and mask & free == mask:
                value = max(value, score + best(free & ~mask))
        return value

    return best((1 << len(instance.nodes)) - 1)


def check_result(result: GroupResult, instance: Instance, size: int) -> None:
    checked = instance.calls[:]
    instance.calls.clear()
    assert len(checked) == len(set(checked))  # group_ok is asked once per group
    assert result.evaluations == len(checked)
    seen: set[str] = set()
    for members, score in result.groups:
        assert len(members) == size
        assert list(members) == sorted(members)
        assert len({instance.countries[m] for m in members}) == size
        assert instance.score(members) == score
        assert seen.isdisjoint(members)
        seen.update(members)
    assert result.objective == sum(score for _, score in result.groups)
    paired = {m for a, b, _ in result.pairs.pairs for m in (a, b)}
    assert seen.isdisjoint(paired)
    assert seen | paired | set(result.pairs.unmatched) == set(instance.nodes)
    for a, b, _ in result.pairs.pairs:
        assert (a, b) in instance.pair_weight
    if result.best_bound is not None:
        assert result.best_bound >= result.objective


CASES = [(seed, 9 + seed % 7, 3 + seed % 3) for seed in range(16)]


@pytest.mark.parametrize(("seed", "n", "countries"), CASES)
def test_exact_and_heuristic_on_small_instances(seed: int, n: int, countries: int) -> None:
    size = 3 if seed % 4 else 4
    instance = make_instance(seed, n, countries)
    optimum = brute_force(instance, size)
    exact = solve_groups(
        instance.nodes, instance.countries, instance.pair_weight, size, instance.group_ok, 5, seed
    )
    check_result(exact, instance, size)
    assert exact.exact
    assert exact.objective == optimum
    assert exact.gap == 0
    heuristic = solve_groups(
        instance.nodes,
        instance.countries,
        instance.pair_weight,
        size,
        instance.group_ok,
        5,
        seed,
        exact_limit=0,
        max_rounds=5,
    )
    check_result(heuristic, instance, size)
    assert not heuristic.exact
    assert heuristic.best_bound is None
    assert heuristic.objective >= 0.95 * optimum


def test_greedy_and_local_search_alone_stay_close() -> None:
    total = best = 0
    for seed in range(10):
        instance = make_instance(100 + seed, 15, 5)
        best += brute_force(instance, 3)
        result = solve_groups(
            instance.nodes,
            instance.countries,
            instance.pair_weight,
            3,
            instance.group_ok,
            5,
            0,
            exact_limit=0,
            max_rounds=0,
        )
        check_result(result, instance, 3)
        total += result.objective
    assert total >= 0.9 * best


def test_pair_mean_bound_holds() -> None:
    for seed in range(8):
        instance = make_instance(200 + seed, 14, 4)
        size = 3 + seed % 2
        optimum = brute_force(instance, size)
        assert pair_mean_bound(instance.pair_weight, size) >= optimum
        result = solve_groups(
            instance.nodes,
            instance.countries,
            instance.pair_weight,
            size,
            instance.group_ok,
            5,
            seed,
            exact_limit=0,
            max_rounds=2,
            scores_are_pair_means=True,
        )
        check_result(result, instance, size)
        assert result.best_bound is not None
        assert result.best_bound >= optimum
        assert result.gap == pytest.approx(
            (result.best_bound - result.objective) / result.best_bound
        )


def ticking(step: float) -> Callable[[], float]:
    now = [0.0]

    def clock() -> float:
        now[0] += step
        return now[0]

    return clock


def test_an_injected_clock_ends_the_search() -> None:
    instance = make_instance(42, 60, 5, density=0.5)
    result = solve_groups(
        instance.nodes,
        instance.countries,
        instance.pair_weight,
        3,
        instance.group_ok,
        50.0,
        1,
        clock=ticking(1.0),
        exact_limit=0,
    )
    check_result(result, instance, 3)
    assert result.groups


def test_same_seed_same_result() -> None:
    instance = make_instance(9, 40, 4)
    runs = [
        solve_groups(
            instance.nodes,
            instance.countries,
            instance.pair_weight,
            3,
            instance.group_ok,
            1.0,
            seed,
            exact_limit=0,
            max_rounds=5,
        )
        for seed in (1, 1)
    ]
    assert runs[0].groups == runs[1].groups


def test_no_groups_possible() -> None:
    instance = make_instance(1, 6, 2)  # two countries: no group of three
    result = solve_groups(
        instance.nodes, instance.countries, instance.pair_weight, 3, instance.group_ok, 1.0, 0
    )
    check_result(result, instance, 3)
    assert (result.groups, result.objective, result.exact, result.best_bound) == ([], 0, True, 0)
    assert result.pairs.pairs
    empty = solve_groups([], {}, {}, 4, instance.group_ok, 1.0, 0)
    assert (empty.groups, empty.pairs.pairs, empty.exact) == ([], [], True)


def test_rejects_bad_input() -> None:
    def ok(members: tuple[str, ...]) -> int:
        return 1

    with pytest.raises(ValueError, match="3 or 4"):
        solve_groups(["a", "b"], {"a": "FR", "b": "DE"}, {}, 2, ok, 1.0, 0)
    with pytest.raises(ValueError, match="two countries"):
        solve_groups(["a", "b"], {"a": "FR", "b": "FR"}, {("a", "b"): 5}, 3, ok, 1.0, 0)
    with pytest.raises(ValueError, match="no country"):
        solve_groups(["a", "b"], {"a": "FR"}, {}, 3, ok, 1.0, 0)
