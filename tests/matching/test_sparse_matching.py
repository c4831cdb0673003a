"""The sparse solve with an optimality certificate: exact, and its check refuses wrong answers."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np

from app.matching.rules import blossom
from app.matching.rules.pairs import index_graph
from app.matching.rules.sparse import _Augmented, certified_matching, certify

Edge = tuple[str, str, int]


def dense_instance(rng: random.Random, n: int, density: float) -> tuple[list[str], list[Edge]]:
    nodes = [f"n{i:03d}" for i in range(n)]
    edges = [
        (nodes[i], nodes[j], rng.choice((rng.randint(0, 1000), rng.choice((100, 500, 1000)))))
        for i in range(n)
        for j in range(i + 1, n)
        if rng.random() < density
    ]
    return nodes, edges


def networkx_optimum(nodes: list[str], edges: list[Edge]) -> tuple[int, int]:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from(edges)
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    return len(matching), sum(graph[a][b]["weight"] for a, b in matching)


def test_certified_matchings_equal_networkx_from_a_thin_start() -> None:
    """Starting from one or two edges per node, most edges are outside the sparse graph: every
    proof must still give the optimum, and most instances must be proven (not fall back)."""
    rng = random.Random(11)
    proven = 0
    for case in range(60):
        nodes, edges = dense_instance(rng, rng.randint(2, 70), rng.choice((0.1, 0.3, 0.6)))
        g = index_graph(nodes, edges)
        found = certified_matching(g.n, g.a, g.b, g.w, k=1 + case % 2)
        if found is None:
            continue
        proven += 1
        triples = zip(g.a.tolist(), g.b.tolist(), g.w.tolist(), strict=True)
        weights = {(a, b): w for a, b, w in triples}
        assert len({x for pair in found for x in pair}) == 2 * len(found)
        value = (len(found), sum(weights[pair] for pair in found))
        assert value == networkx_optimum(nodes, edges)
    assert proven >= 40


def test_the_check_refuses_a_matching_that_is_not_optimal() -> None:
    rng = random.Random(4)
    nodes, edges = dense_instance(rng, 40, 0.5)
    g = index_graph(nodes, edges)
    aug = _Augmented(g.n, g.a, g.b, g.w)
    a, b, w = aug.edges(np.ones(len(aug.w), dtype=bool))
    adjacency: list[dict[int, int]] = [{} for _ in range(aug.size)]
    for i, j, weight in zip(a.tolist(), b.tolist(), w.tolist(), strict=True):
        adjacency[i][j] = adjacency[j][i] = weight
    top = float(2 * w.max())
    solution = blossom.solve(aug.size, adjacency, [-1] * aug.size, [top] * aug.size)
    assert certify(aug, solution)[0]
    # Swap two matched pairs for the other two edges between their ends, where they exist:
    # a perfect matching again, but the duals no longer fit it.
    mate = solution.mate
    swapped = False
    for u in range(aug.size):
        v = mate[u]
        for x in adjacency[u]:
            y = mate[x]
            if (
                x not in (u, v)
                and y >= 0
                and y in adjacency[v]
                and adjacency[u][x] + adjacency[v][y] < adjacency[u][v] + adjacency[x][y]
            ):
                wrong = list(mate)
                wrong[u], wrong[x], wrong[v], wrong[y] = x, u, y, v
                forged = blossom.Solution(wrong, solution.dual, solution.blossoms)
                assert not certify(aug, forged)[0]
                swapped = True
                break
        if swapped:
            break
    assert swapped
    unmatched = list(solution.mate)
    u = next(v for v in range(aug.size) if unmatched[v] >= 0)
    unmatched[unmatched[u]], unmatched[u] = -1, -1
    assert not certify(aug, blossom.Solution(unmatched, solution.dual, solution.blossoms))[0]
    lowered = [d - 1.0 for d in solution.dual]
    assert not certify(aug, blossom.Solution(solution.mate, lowered, solution.blossoms))[0]


def test_blossom_from_a_cold_start_equals_networkx() -> None:
    rng = random.Random(9)
    for _ in range(200):
        n = rng.randint(1, 18)
        adjacency: list[dict[int, int]] = [{} for _ in range(n)]
        edges = []
        for i in range(n):
            for j in range(i + 1, n):
                if rng.random() < 0.4:
                    weight = rng.randint(0, 12)
                    adjacency[i][j] = adjacency[j][i] = weight
                    edges.append((f"{i:02d}", f"{j:02d}", weight))
        top = float(2 * max((w for *_, w in edges), default=0))
        solution = blossom.solve(n, adjacency, [-1] * n, [top] * n)
        pairs = [(v, m) for v, m in enumerate(solution.mate) if v < m]
        assert all(solution.mate[m] == v for v, m in pairs)
        value = (len(pairs), sum(adjacency[v][m] for v, m in pairs))
        assert value == networkx_optimum([f"{i:02d}" for i in range(n)], edges)
