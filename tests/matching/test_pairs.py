"""Optimal pairs: exact against networkx and CP-SAT, the bound, edge cases; no database needed."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
from ortools.sat.python import cp_model
from scipy.optimize import linear_sum_assignment

from app.matching.rules.pairs import PairResult, solve_pairs

Edge = tuple[str, str, int]


def random_instance(rng: random.Random, n: int, density: float) -> tuple[list[str], list[Edge]]:
    nodes = [f"n{i:03d}" for i in range(n)]
    palette = rng.choice(["wide", "ties", "zeros"])
    edges = []
    for i in range(n):
        for j in range(i + 1, n):
            if rng.random() < density:
                if palette == "wide":
                    weight = rng.randint(0, 1000)
                elif palette == "ties":
                    weight = rng.choice((100, 500, 1000))
                else:
                    weight = rng.choice((0, 0, 1, 1000))
                edges.append((nodes[i], nodes[j], weight))
    return nodes, edges


def check_shape(result: PairResult, nodes: list[str], edges: list[Edge]) -> None:
    weights = {(min(a, b), max(a, b)): w for a, b, w in edges}
    seen: set[str] = set()
    for a, b, weight in result.pairs:
        assert a < b
        assert weights[a, b] == weight
        assert a not in seen
        assert b not in seen
        seen.update((a, b))
    assert result.pairs == sorted(result.pairs)
    assert result.objective == sum(w for _, _, w in result.pairs)
    assert sorted(set(nodes) - seen) == result.unmatched
    assert result.upper_bound >= result.objective
    expected_gap = (
        (result.upper_bound - result.objective) / result.upper_bound if result.upper_bound else 0.0
    )
    assert result.gap == pytest.approx(expected_gap)


def networkx_optimum(nodes: list[str], edges: list[Edge]) -> tuple[int, int]:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from(edges)
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    return len(matching), sum(graph[a][b]["weight"] for a, b in matching)


def dense_bound(nodes: list[str], edges: list[Edge]) -> float:
    """Half the best assignment, with scipy's dense solver and non-edges forbidden."""
    index = {node: i for i, node in enumerate(nodes)}
    matrix = np.full((len(nodes), len(nodes)), -1e9)
    np.fill_diagonal(matrix, 0.0)
    for a, b, w in edges:
        matrix[index[a], index[b]] = matrix[index[b], index[a]] = w
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return float(matrix[rows, cols].sum()) / 2


def test_equals_networkx_on_random_graphs() -> None:
    rng = random.Random(20240601)
    for case in range(120):
        n = rng.randint(0, 60 if case % 4 == 0 else 24)
        nodes, edges = random_instance(rng, n, rng.choice((0.05, 0.15, 0.4, 0.9)))
        result = solve_pairs(nodes, edges)
        check_shape(result, nodes, edges)
        assert (len(result.pairs), result.objective) == networkx_optimum(nodes, edges)
        if n:
            assert result.upper_bound == pytest.approx(dense_bound(nodes, edges))


def test_equals_a_cp_sat_model_on_200_classes() -> None:
    rng = random.Random(7)
    nodes, edges = random_instance(rng, 200, 0.04)
    edges = [(a, b, rng.randint(0, 1000)) for a, b, _ in edges]
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"e{k}") for k in range(len(edges))]
    for node in nodes:
        model.add_at_most_one(
            x for x, (a, b, _) in zip(chosen, edges, strict=True) if node in (a, b)
        )
    big = 1000 * len(nodes) + 1  # one more pair outweighs any difference of weight
    model.maximize(sum((big + w) * x for x, (_, _, w) in zip(chosen, edges, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 60
    assert solver.solve(model) == cp_model.OPTIMAL
    best = round(solver.objective_value)
    result = solve_pairs(nodes, edges)
    check_shape(result, nodes, edges)
    assert (len(result.pairs), result.objective) == divmod(best, big)


def test_planted_partners_are_found() -> None:
    rng = random.Random(3)
    nodes = [f"c{i:02d}" for i in range(40)]
    shuffled = rng.sample(nodes, len(nodes))
    planted = {tuple(sorted(shuffled[k : k + 2])) for k in range(0, 40, 2)}
    edges = [(a, b, 1000) for a, b in planted]
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            if (a, b) not in planted and rng.random() < 0.5:
                edges.append((a, b, rng.randint(0, 499)))
    result = solve_pairs(nodes, edges)
    assert {(a, b) for a, b, _ in result.pairs} == planted
    assert result.objective == 20_000
    assert result.upper_bound == 20_000
    assert result.gap == 0


def test_cardinality_comes_before_weight() -> None:
    edges = [("a", "b", 1), ("b", "c", 1000), ("c", "d", 1)]
    result = solve_pairs(["a", "b", "c", "d"], edges)
    assert result.pairs == [("a", "b", 1), ("c", "d", 1)]
    assert result.objective == 2
    assert result.upper_bound == 1000  # the bound ignores the cardinality rule
    assert result.gap == pytest.approx(0.998)


def test_odd_number_of_nodes() -> None:
    edges = [("x", "y", 300), ("y", "z", 700), ("x", "z", 500)]
    result = solve_pairs(["z", "y", "x"], edges)
    assert result.pairs == [("y", "z", 700)]
    assert result.unmatched == ["x"]
    assert result.upper_bound == 750  # the triangle, half of each edge
    nodes, edges = random_instance(random.Random(5), 31, 0.8)
    result = solve_pairs(nodes, edges)
    assert len(result.pairs) == 15
    assert len(result.unmatched) == 1


def test_empty_graphs() -> None:
    assert solve_pairs([], []) == PairResult([], 0, 0.0, 0.0, [])
    result = solve_pairs(["a", "b"], [])
    assert (result.pairs, result.objective, result.gap, result.unmatched) == (
        [],
        0,
        0.0,
        ["a", "b"],
    )
    zero = solve_pairs(["a", "b"], [("b", "a", 0)])
    assert zero.pairs == [("a", "b", 0)]
    assert (zero.upper_bound, zero.gap) == (0.0, 0.0)


def test_components_and_repeated_edges() -> None:
    edges = [("a", "b", 10), ("b", "a", 40), ("c", "d", 5), ("e", "f", 7), ("f", "g", 9)]
    result = solve_pairs(list("abcdefgh"), edges)
    assert result.pairs == [("a", "b", 40), ("c", "d", 5), ("f", "g", 9)]
    assert result.unmatched == ["e", "h"]


@pytest.mark.parametrize(
    ("nodes", "edges"),
    [
        (["a", "a"], []),
        (["a", "b"], [("a", "z", 1)]),
        (["a", "b"], [("a", "a", 1)]),
        (["a", "b"], [("a", "b", 1001)]),
        (["a", "b"], [("a", "b", -1)]),
        (["a", "b"], [("a", "b", 2.5)]),
    ],
)
def test_rejects_bad_input(nodes: list[str], edges: list[tuple[str, str, int]]) -> None:
    with pytest.raises(ValueError, match=r"."):
        solve_pairs(nodes, edges)


def test_generated_classes_are_solved_by_proof_and_equal_networkx(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A dense compatibility graph (a third of all pairs): the sparse solve must prove its
    answer (the fallback on every edge is switched off) and reach networkx's optimum."""
    from app.matching.rules import pairs
    from app.matching.rules.pair_graph import compatible_pairs
    from app.matching.rules.types import MatchingOptions
    from bench.generator import generate

    def no_fallback(g: pairs.Graph) -> list[tuple[int, int]]:
        raise AssertionError("the certificate failed; the solve fell back to every edge")

    profiles = generate(200, 3)
    graph = compatible_pairs(profiles, MatchingOptions())
    nodes, edges = [p.id for p in profiles], graph.edges()
    assert len(edges) > 0.25 * len(nodes) * (len(nodes) - 1) / 2
    monkeypatch.setattr(pairs, "blossom", no_fallback)
    result = solve_pairs(nodes, edges)
    check_shape(result, nodes, edges)
    assert (len(result.pairs), result.objective) == networkx_optimum(nodes, edges)
