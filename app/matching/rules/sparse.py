"""Exact matching on a dense graph by solving a sparse one and proving the answer optimal.

`certified_matching` returns a maximum-cardinality, maximum-weight matching of the whole graph,
or None when it cannot prove one (the caller then runs the blossom algorithm on every edge).

1. Cardinality. Every connected component of the graph (isolated nodes aside) leaves at least
   one node unmatched when it has an odd number of nodes, so a matching that leaves exactly one
   node of each odd component and none of the others unmatched has the maximum cardinality, and
   the maximum-cardinality matchings are then exactly those. Give each odd component a dummy
   node joined to all its nodes at weight 0: they become the *perfect* matchings of that
   augmented graph, with the same weights.
2. A sparse graph: each node's `k` heaviest edges, plus the dummy edges. The fractional
   relaxation (degree constraints only) is solved on it with HiGHS; its solution gives a
   starting matching (edges at 1, and every other edge of each half-integral odd cycle) and
   starting duals. The warm-started blossom algorithm (`blossom`) finishes the job on the sparse
   graph and returns the optimal duals: y per node and z per blossom.
3. The certificate, checked exactly in integers on *every* edge of the graph: the matching is
   perfect on the augmented graph, every reduced cost y_u + y_v + sum(z of the blossoms holding
   both) - w is >= 0 and is 0 on the matched edges, every z is >= 0 and every blossom with z > 0
   holds (size - 1) / 2 matched edges. Then for any perfect matching N, weak LP duality gives
   w(N) <= sum(y) + sum(z * (size - 1) / 2) = w(M): the matching is optimal on the whole graph.
   Edges with a negative reduced cost join the sparse graph and the loop repeats.

Nothing is trusted without the certificate: a rounding slip in the floats of step 2 or a
sparse graph that is too thin costs another round or the fallback, never a wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from app.matching.rules import blossom

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

START_K = 8  # heaviest edges kept per node in the first sparse graph
MAX_ROUNDS = 12
MARGIN = 50.0  # after a failed check, add the edges of reduced cost below this, not just < 0
MAX_SCALE_BITS = 40  # duals are dyadic floats; beyond 2**-40 the exact check gives up


def top_edges(n: int, a: IntArray, b: IntArray, w: IntArray, k: int) -> BoolArray:
    """A mask of the edges that are among the `k` heaviest of one of their ends (ties broken by
    edge index, so the choice is deterministic)."""
    m = len(w)
    ends = np.concatenate([a, b])
    index = np.concatenate([np.arange(m), np.arange(m)])
    order = np.lexsort((index, -np.concatenate([w, w]), ends))
    sorted_ends = ends[order]
    first = np.searchsorted(sorted_ends, np.arange(n))
    rank = np.arange(2 * m) - first[sorted_ends]
    keep = np.zeros(m, dtype=bool)
    keep[index[order][rank < k]] = True
    return keep


class _Augmented:
    """The graph's active nodes renumbered 0..r-1, then one dummy node per odd component."""

    def __init__(self, n: int, a: IntArray, b: IntArray, w: IntArray) -> None:
        degree = np.bincount(np.concatenate([a, b]), minlength=n)
        self.active = np.flatnonzero(degree > 0)
        local = np.full(n, -1, dtype=np.int64)
        local[self.active] = np.arange(len(self.active))
        r = len(self.active)
        self.a, self.b, self.w = local[a], local[b], w
        adjacency = coo_matrix((np.ones(len(a)), (self.a, self.b)), shape=(r, r))
        _, labels = connected_components(adjacency, directed=False)
        sizes = np.bincount(labels)
        odd = np.flatnonzero(sizes % 2 == 1)
        dummy_of = np.full(len(sizes), -1, dtype=np.int64)
        dummy_of[odd] = r + np.arange(len(odd))
        members = np.flatnonzero(dummy_of[labels] >= 0)
        self.dummy_a = members
        self.dummy_b = dummy_of[labels[members]]
        self.size = r + len(odd)

    def edges(self, mask: BoolArray) -> tuple[IntArray, IntArray, IntArray]:
        """The real edges in `mask` and every dummy edge, as local (a, b, w)."""
        zeros = np.zeros(len(self.dummy_a), dtype=np.int64)
        return (
            np.concatenate([self.a[mask], self.dummy_a]),
            np.concatenate([self.b[mask], self.dummy_b]),
            np.concatenate([self.w[mask], zeros]),
        )


def _warm_start(
    size: int, a: IntArray, b: IntArray, w: IntArray
) -> tuple[list[int], list[float]] | None:
    """A matching of tight edges and feasible doubled duals from the fractional relaxation."""
    m = len(w)
    incidence = coo_matrix(
        (np.ones(2 * m), (np.concatenate([a, b]), np.concatenate([np.arange(m)] * 2))),
        shape=(size, m),
    ).tocsr()
    result = linprog(
        -w.astype(np.float64),
        A_eq=incidence,
        b_eq=np.ones(size),
        bounds=(0, None),
        method="highs-ds",
    )
    if result.status != 0:
        return None
    dual = np.rint(-2 * np.asarray(result.eqlin.marginals, dtype=np.float64))
    deficit = 2 * w - dual[a] - dual[b]
    raise_by = np.zeros(size)
    np.maximum.at(raise_by, a, deficit)  # covering each deficit from one end keeps feasibility
    dual += raise_by
    x = np.asarray(result.x, dtype=np.float64)
    tight = dual[a] + dual[b] == 2 * w
    mate = [-1] * size
    for e in np.flatnonzero(tight & (x > 1e-6))[np.argsort(-x[tight & (x > 1e-6)], kind="stable")]:
        i, j = int(a[e]), int(b[e])
        if mate[i] < 0 and mate[j] < 0:
            mate[i], mate[j] = j, i
    return mate, dual.tolist()


def _scale(values: FloatArray) -> int | None:
    """The least power of two that makes every value an integer, if small enough."""
    for bits in range(MAX_SCALE_BITS + 1):
        scaled = values * float(1 << bits)
        if np.array_equal(scaled, np.rint(scaled)):
            return bits
    return None


def certify(aug: _Augmented, solution: blossom.Solution) -> tuple[bool, BoolArray]:
    """Whether `solution` is provably optimal on every edge, and the real edges whose reduced
    cost is negative (to add to the sparse graph)."""
    none = np.zeros(len(aug.w), dtype=bool)
    mate = np.array(solution.mate, dtype=np.int64)
    if (mate < 0).any():
        return False, none
    dual = np.array(solution.dual, dtype=np.float64)
    zs = np.array([z for _, z in solution.blossoms], dtype=np.float64)
    bits = _scale(np.concatenate([dual, zs]))
    if bits is None or (zs < 0).any():
        return False, none
    unit = 1 << bits
    y = np.rint(dual * unit).astype(np.int64)
    a = np.concatenate([aug.a, aug.dummy_a])
    b = np.concatenate([aug.b, aug.dummy_b])
    w = np.concatenate([aug.w, np.zeros(len(aug.dummy_a), dtype=np.int64)])
    reduced = y[a] + y[b] - 2 * unit * w
    for (members, _), z_float in zip(solution.blossoms, zs, strict=True):
        if z_float == 0:
            continue
        inside = np.zeros(aug.size, dtype=bool)
        inside[members] = True
        both = inside[a] & inside[b]
        reduced[both] += 2 * round(z_float * unit)
        matched_inside = int((inside & inside[mate]).sum()) // 2
        if len(members) % 2 == 0 or 2 * matched_inside != len(members) - 1:
            return False, none
    if (reduced < 0).any():
        return False, reduced[: len(aug.w)] / (2 * unit)
    matched = mate[a] == b
    if 2 * int(matched.sum()) != aug.size or (mate[mate] != np.arange(aug.size)).any():
        return False, none  # every node's partner must be joined to it by an edge
    return bool((reduced[matched] == 0).all()), none


def certified_matching(
    n: int,
    a: IntArray,
    b: IntArray,
    w: IntArray,
    k: int = START_K,
    on_round: Callable[[int, int], None] | None = None,
) -> list[tuple[int, int]] | None:
    """A provably optimal maximum-cardinality, maximum-weight matching of the graph with nodes
    0..n-1 and edges (a, b, w) (distinct, weights integers), as pairs (i, j) with i < j, or
    None when no certificate was reached (see the module). `k`: edges per node to start from;
    `on_round(round, edges)` is told the size of each sparse graph."""
    if len(w) == 0:
        return []
    aug = _Augmented(n, a, b, w)
    chosen = top_edges(len(aug.active), aug.a, aug.b, aug.w, k)
    for round_number in range(MAX_ROUNDS):
        sa, sb, sw = aug.edges(chosen)
        if on_round is not None:
            on_round(round_number, int(chosen.sum()))
        start = _warm_start(aug.size, sa, sb, sw)
        if start is None:
            k *= 2
            chosen |= top_edges(len(aug.active), aug.a, aug.b, aug.w, k)
            continue
        adjacency: list[dict[int, int]] = [{} for _ in range(aug.size)]
        for i, j, weight in zip(sa.tolist(), sb.tolist(), sw.tolist(), strict=True):
            adjacency[i][j] = adjacency[j][i] = weight
        solution = blossom.solve(aug.size, adjacency, *start)
        proven, reduced = certify(aug, solution)
        if proven:
            real = len(aug.active)
            return sorted(
                (int(aug.active[min(i, j)]), int(aug.active[max(i, j)]))
                for i, j in enumerate(solution.mate)
                if i < j < real
            )
        if reduced is not None:
            chosen |= reduced < MARGIN
        else:
            k *= 2
            chosen |= top_edges(len(aug.active), aug.a, aug.b, aug.w, k)
    return None
