"""Optimal pairs: a maximum-cardinality matching of maximum weight, exactly.

`solve_pairs` matches as many classes as can be matched and, among all matchings of that size,
takes one of greatest total score. Weights are integers, so the optimum is exact, with no
floating-point tolerance.

The compatibility graphs are dense (a third of all pairs), and the blossom algorithm costs
about O(n * m) on them. So the solve first goes through `sparse.certified_matching`: the
optimum on each class's few best edges, found by a warm-started blossom algorithm that also
returns its dual solution, which is then checked exactly, in integers, against *every* edge.
A passed check proves the matching optimal on the whole graph (see `sparse`); edges that fail it
join the sparse graph and the solve repeats. When no proof comes (for example when the maximum
cardinality is below what the parity of the components allows), the answer comes from
Edmonds' blossom algorithm as implemented by rustworkx on all edges, one connected component
at a time: `max_weight_matching(max_cardinality=True)`, which like networkx's
`max_weight_matching(maxcardinality=True)` returns a maximum-weight matching among the
maximum-cardinality ones. The tests compare the result with networkx and with a CP-SAT model.

Next to the objective comes an upper bound on the weight of *any* matching (see
`assignment_bound`) and the relative gap to it. The bound ignores the cardinality rule, so the
gap also shows what matching every class that can be matched costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import rustworkx as rx
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

from app.matching.rules.sparse import certified_matching

MAX_WEIGHT = 1000

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PairResult:
    """Pairs `(a, b, weight)` with `a < b`, sorted; `objective` is the sum of their weights.

    The pairs have the greatest weight among the matchings of maximum cardinality. `upper_bound`
    bounds the weight of every matching (of any cardinality); `gap` is
    `(upper_bound - objective) / upper_bound`, 0 when the bound is 0. `unmatched` lists, sorted,
    the nodes left without a partner.
    """

    pairs: list[tuple[str, str, int]]
    objective: int
    upper_bound: float
    gap: float
    unmatched: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Graph:
    """Nodes 0..n-1 and edges as arrays: `a[k] < b[k]`, sorted by `(a, b)`, without repeats."""

    n: int
    a: IntArray
    b: IntArray
    w: IntArray


def index_graph(nodes: Sequence[str], edges: Sequence[tuple[str, str, int]]) -> Graph:
    """Number the nodes in the given order; an edge given twice keeps its greater weight."""
    index = {node: i for i, node in enumerate(nodes)}
    if len(index) != len(nodes):
        raise ValueError("nodes must be distinct")
    n = len(index)
    try:
        xs = np.fromiter((index[e[0]] for e in edges), dtype=np.int64, count=len(edges))
        ys = np.fromiter((index[e[1]] for e in edges), dtype=np.int64, count=len(edges))
    except KeyError as error:
        raise ValueError(f"an edge names an unknown node: {error.args[0]!r}") from None
    weights = [e[2] for e in edges]
    if not all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in weights):
        raise ValueError("edge weights must be integers")
    w = np.array(weights, dtype=np.int64)
    if len(w) and (int(w.min()) < 0 or int(w.max()) > MAX_WEIGHT):
        raise ValueError(f"edge weights must lie in 0..{MAX_WEIGHT}")
    if (xs == ys).any():
        raise ValueError("an edge joins a node to itself")
    base = max(n, 1)
    key = np.minimum(xs, ys) * base + np.maximum(xs, ys)
    order = np.lexsort((w, key))
    key, w = key[order], w[order]
    last = np.ones(len(key), dtype=bool)
    last[:-1] = key[1:] != key[:-1]  # the heaviest copy of each edge sorts last
    key, w = key[last], w[last]
    return Graph(n, key // base, key % base, w)


def assignment_bound(g: Graph) -> float:
    """An upper bound on the weight of any matching of `g`: half the best assignment.

    Let S be the symmetric n x n matrix with S[a, b] = S[b, a] = w_ab on the edges, S[i, i] = 0
    on the diagonal ("i stays alone") and every other entry forbidden. Any matching M gives a
    permutation allowed by S: swap the two ends of every matched edge, leave every other node in
    place. That permutation collects each matched weight twice (once from each end) and 0 on the
    fixed points, so its value is exactly 2 w(M). The best permutation (the optimal assignment,
    a relaxation) is therefore worth at least 2 w(M) for every M, and half of it bounds the
    maximum matching weight from above. It is the optimum of the fractional matching LP with
    degree constraints only: where the assignment holds an odd cycle (half of a matching that
    does not exist), the bound is loose.

    Allowing the diagonal at 0 (rather than forbidding it) keeps the bound valid when not every
    node can be matched, and forbidding non-edges (rather than scoring them 0) only tightens it.
    Solved sparse with scipy's LAPJVsp, every allowed entry shifted by +1 so that zeros remain
    entries of the sparse matrix (a permutation takes exactly n entries, so the shift is n).
    """
    n = g.n
    if n == 0 or len(g.w) == 0:
        return 0.0
    diagonal = np.arange(n, dtype=np.int64)
    rows = np.concatenate([g.a, g.b, diagonal])
    cols = np.concatenate([g.b, g.a, diagonal])
    shifted = np.concatenate([g.w, g.w, np.zeros(n, dtype=np.int64)]) + 1
    matrix = coo_matrix((shifted.astype(np.float64), (rows, cols)), shape=(n, n)).tocsr()
    row_ind, col_ind = min_weight_full_bipartite_matching(matrix, maximize=True)
    total = round(float(np.asarray(matrix[row_ind, col_ind]).sum())) - n
    return total / 2


def _components(g: Graph) -> list[npt.NDArray[np.bool_]]:
    """A mask over the edges for each connected component that has an edge."""
    if len(g.w) == 0:
        return []
    adjacency = coo_matrix((np.ones(len(g.a)), (g.a, g.b)), shape=(g.n, g.n))
    count, labels = connected_components(adjacency, directed=False)
    edge_label = labels[g.a]
    if count == 1 or (edge_label == edge_label[0]).all():
        return [np.ones(len(g.w), dtype=bool)]
    return [edge_label == label for label in np.unique(edge_label)]


def _weight(value: int) -> int:
    return value


def matching(g: Graph) -> list[tuple[int, int]]:
    """Maximum-cardinality, maximum-weight matching of `g`, as index pairs `(a, b)`, a < b:
    proven on a sparse graph when possible, else rustworkx on every edge."""
    found = certified_matching(g.n, g.a, g.b, g.w)
    return found if found is not None else blossom(g)


def blossom(g: Graph) -> list[tuple[int, int]]:
    """Maximum-cardinality, maximum-weight matching of `g` by rustworkx on every edge, as
    index pairs `(a, b)`, a < b."""
    matching: list[tuple[int, int]] = []
    for mask in _components(g):
        a, b, w = g.a[mask], g.b[mask], g.w[mask]
        used = np.unique(np.concatenate([a, b]))
        local_a = np.searchsorted(used, a)
        local_b = np.searchsorted(used, b)
        graph = rx.PyGraph(multigraph=False)
        graph.add_nodes_from(range(len(used)))
        graph.add_edges_from(list(zip(local_a.tolist(), local_b.tolist(), w.tolist(), strict=True)))
        found = rx.max_weight_matching(
            graph, max_cardinality=True, weight_fn=_weight, verify_optimum=False
        )
        for i, j in found:
            x, y = int(used[i]), int(used[j])
            matching.append((min(x, y), max(x, y)))
    return matching


def solve_pairs(nodes: Sequence[str], edges: Sequence[tuple[str, str, int]]) -> PairResult:
    """The best pairs: as many as possible, then the greatest total weight; exactly.

    `edges` are the compatible pairs `(a, b, weight)`, weights integers 0..1000 (an edge given
    twice counts once, with its greater weight). Raises ValueError on repeated nodes, unknown
    nodes, loops and weights out of range. Deterministic for a given input.
    """
    return solve_graph(index_graph(nodes, edges), nodes)


def solve_graph(g: Graph, nodes: Sequence[str]) -> PairResult:
    """`solve_pairs` on a graph already indexed (`nodes[i]` names node i, edges as
    `index_graph` leaves them: `a < b`, sorted, distinct, weights 0..1000)."""
    found = matching(g)
    names = list(nodes)
    keys = g.a * max(g.n, 1) + g.b
    pairs: list[tuple[str, str, int]] = []
    matched = np.zeros(g.n, dtype=bool)
    for i, j in found:
        weight = int(g.w[np.searchsorted(keys, i * max(g.n, 1) + j)])
        x, y = sorted((names[i], names[j]))
        pairs.append((x, y, weight))
        matched[[i, j]] = True
    pairs.sort()
    objective = sum(weight for _, _, weight in pairs)
    upper_bound = assignment_bound(g)
    gap = (upper_bound - objective) / upper_bound if upper_bound > 0 else 0.0
    return PairResult(
        pairs=pairs,
        objective=objective,
        upper_bound=upper_bound,
        gap=gap,
        unmatched=sorted(names[i] for i in np.flatnonzero(~matched)),
    )
