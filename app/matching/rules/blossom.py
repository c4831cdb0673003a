"""Edmonds' primal-dual blossom algorithm, warm-started, that also returns its dual solution.

The algorithm is J. van Rantwijk's O(n^3) formulation of Galil's "Efficient Algorithms for
Finding Maximum Matching in Graphs" (ACM Computing Surveys, 1986), in its maximum-cardinality
mode. The published version this port follows, function by function and with the same names
(`_Blossom` with `childs`, `edges`, `best`; `assign_label`, `scan_blossom`, `add_blossom`,
`expand_blossom`, `augment_blossom`, `augment_matching`), is `max_weight_matching` in
networkx 3.6.1, `networkx/algorithms/matching.py` (BSD-3-Clause; van Rantwijk's
`mwmatching.py` of 2008 as networkx adapted it); compare the two side by side. It is one
function on purpose, like its source. Ported to plain integer vertices, with two changes:

- it starts from a given matching and given vertex duals instead of the empty matching, so a
  solve that starts from a good fractional solution only has a few augmentations left to do;
- it returns the duals (vertex and blossom), which is what lets `sparse` prove a matching found
  on a few edges optimal on all of them.

Conventions as in van Rantwijk's code: `dual[v]` is twice the LP dual of vertex v, the slack of
an edge is `dual[i] + dual[j] - 2 * w` plus twice the duals of the blossoms holding both ends.
Duals are floats; whatever this module returns is checked exactly by the caller before it is
trusted (`sparse.certify`), so a rounding slip can cost time, never exactness.

Preconditions: every slack is >= 0 and every matched edge has slack 0 (no blossom yet).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

Edge = tuple[int, int]


class _Blossom:
    __slots__ = ("best", "childs", "edges")

    def __init__(self) -> None:
        self.childs: list[int | _Blossom] = []
        self.edges: list[Edge] = []
        self.best: list[Edge] | None = None

    def leaves(self) -> Iterator[int]:
        stack: list[int | _Blossom] = [*self.childs]
        while stack:
            t = stack.pop()
            if isinstance(t, _Blossom):
                stack.extend(t.childs)
            else:
                yield t


Node = int | _Blossom


@dataclass
class Solution:
    """`mate[v]` (-1 when free), vertex duals (doubled) and blossoms as (members, dual)."""

    mate: list[int]
    dual: list[float]
    blossoms: list[tuple[list[int], float]] = field(default_factory=list)


def solve(
    n: int,
    adjacency: Sequence[dict[int, int]],
    mate_in: Sequence[int],
    dual_in: Sequence[float],
) -> Solution:
    """Maximum-cardinality, maximum-weight matching of the graph `adjacency[v] = {w: weight}`,
    from the matching `mate_in` and the doubled vertex duals `dual_in` (see the module)."""
    mate: dict[int, int] = {v: m for v, m in enumerate(mate_in) if m >= 0}
    label: dict[Node, int] = {}
    labeledge: dict[Node, Edge | None] = {}
    inblossom: dict[int, Node] = {v: v for v in range(n)}
    blossomparent: dict[Node, _Blossom | None] = dict.fromkeys(range(n))
    blossombase: dict[Node, int] = {v: v for v in range(n)}
    bestedge: dict[Node, Edge | None] = {}
    dualvar: list[float] = list(dual_in)
    blossomdual: dict[_Blossom, float] = {}
    allowedge: set[Edge] = set()
    queue: list[int] = []

    def slack(v: int, w: int) -> float:
        return dualvar[v] + dualvar[w] - 2 * adjacency[v][w]

    def assign_label(w: int, t: int, v: int | None) -> None:
        while True:
            b = inblossom[w]
            label[w] = label[b] = t
            labeledge[w] = labeledge[b] = (v, w) if v is not None else None
            bestedge[w] = bestedge[b] = None
            if t == 1:
                if isinstance(b, _Blossom):
                    queue.extend(b.leaves())
                else:
                    queue.append(b)
                return
            base = blossombase[b]
            w, t, v = mate[base], 1, base

    def scan_blossom(v: int, w: int) -> int | None:
        path: list[Node] = []
        base: int | None = None
        cur: int | None = v
        other: int | None = w
        while cur is not None:
            b = inblossom[cur]
            if label[b] & 4:
                base = blossombase[b]
                break
            path.append(b)
            label[b] = 5
            edge = labeledge[b]
            if edge is None:
                cur = None
            else:
                cur = edge[0]
                b = inblossom[cur]
                edge = labeledge[b]
                assert edge is not None
                cur = edge[0]
            if other is not None:
                cur, other = other, cur
        for b in path:
            label[b] = 1
        return base

    def add_blossom(base: int, v: int, w: int) -> None:
        bb, bv, bw = inblossom[base], inblossom[v], inblossom[w]
        b = _Blossom()
        blossombase[b] = base
        blossomparent[b] = None
        blossomparent[bb] = b
        path, edgs = b.childs, b.edges
        edgs.append((v, w))
        while bv != bb:
            blossomparent[bv] = b
            path.append(bv)
            edge = labeledge[bv]
            assert edge is not None
            edgs.append(edge)
            bv = inblossom[edge[0]]
        path.append(bb)
        path.reverse()
        edgs.reverse()
        while bw != bb:
            blossomparent[bw] = b
            path.append(bw)
            edge = labeledge[bw]
            assert edge is not None
            edgs.append((edge[1], edge[0]))
            bw = inblossom[edge[0]]
        label[b] = 1
        labeledge[b] = labeledge[bb]
        blossomdual[b] = 0.0
        for leaf in b.leaves():
            if label[inblossom[leaf]] == 2:
                queue.append(leaf)
            inblossom[leaf] = b
        bestedgeto: dict[Node, Edge] = {}
        for child in path:
            if isinstance(child, _Blossom):
                if child.best is not None:
                    nblist = child.best
                    child.best = None
                else:
                    nblist = [(i, j) for i in child.leaves() for j in adjacency[i]]
            else:
                nblist = [(child, j) for j in adjacency[child]]
            for i, j in nblist:
                if inblossom[j] == b:
                    i, j = j, i
                bj = inblossom[j]
                if bj != b and label.get(bj) == 1:
                    known = bestedgeto.get(bj)
                    if known is None or slack(i, j) < slack(*known):
                        bestedgeto[bj] = (i, j)
            bestedge[child] = None
        b.best = list(bestedgeto.values())
        best: Edge | None = None
        best_slack = 0.0
        for k in b.best:
            s = slack(*k)
            if best is None or s < best_slack:
                best, best_slack = k, s
        bestedge[b] = best

    def expand_blossom(b: _Blossom, endstage: bool) -> None:
        stack = [_expand(b, endstage)]
        while stack:
            for s in stack[-1]:
                stack.append(_expand(s, endstage))
                break
            else:
                stack.pop()

    def _expand(b: _Blossom, endstage: bool) -> Iterator[_Blossom]:
        for s in b.childs:
            blossomparent[s] = None
            if isinstance(s, _Blossom):
                if endstage and blossomdual[s] == 0:
                    yield s
                else:
                    for leaf in s.leaves():
                        inblossom[leaf] = s
            else:
                inblossom[s] = s
        if not endstage and label.get(b) == 2:
            edge = labeledge[b]
            assert edge is not None
            entrychild = inblossom[edge[1]]
            j = b.childs.index(entrychild)
            if j & 1:
                j -= len(b.childs)
                jstep = 1
            else:
                jstep = -1
            v, w = edge
            while j != 0:
                if jstep == 1:
                    p, q = b.edges[j]
                else:
                    q, p = b.edges[j - 1]
                label.pop(w, None)
                label.pop(q, None)
                assign_label(w, 2, v)
                allowedge.add((p, q))
                allowedge.add((q, p))
                j += jstep
                if jstep == 1:
                    v, w = b.edges[j]
                else:
                    w, v = b.edges[j - 1]
                allowedge.add((v, w))
                allowedge.add((w, v))
                j += jstep
            bw = b.childs[j]
            label[w] = label[bw] = 2
            labeledge[w] = labeledge[bw] = (v, w)
            bestedge[bw] = None
            j += jstep
            while b.childs[j] != entrychild:
                bv = b.childs[j]
                if label.get(bv) == 1:
                    j += jstep
                    continue
                found: int | None = None
                if isinstance(bv, _Blossom):
                    for leaf in bv.leaves():
                        if label.get(leaf):
                            found = leaf
                            break
                elif label.get(bv):
                    found = bv
                if found is not None:
                    label.pop(found, None)
                    label.pop(mate[blossombase[bv]], None)
                    edge = labeledge[found]
                    assert edge is not None
                    assign_label(found, 2, edge[0])
                j += jstep
        label.pop(b, None)
        labeledge.pop(b, None)
        bestedge.pop(b, None)
        del blossomparent[b]
        del blossombase[b]
        del blossomdual[b]

    def augment_blossom(b: _Blossom, v: int) -> None:
        stack = [_augment(b, v)]
        while stack:
            for args in stack[-1]:
                stack.append(_augment(*args))
                break
            else:
                stack.pop()

    def _augment(b: _Blossom, v: int) -> Iterator[tuple[_Blossom, int]]:
        t: Node = v
        while blossomparent[t] != b:
            parent = blossomparent[t]
            assert parent is not None
            t = parent
        if isinstance(t, _Blossom):
            yield (t, v)
        i = j = b.childs.index(t)
        if i & 1:
            j -= len(b.childs)
            jstep = 1
        else:
            jstep = -1
        while j != 0:
            j += jstep
            t = b.childs[j]
            if jstep == 1:
                w, x = b.edges[j]
            else:
                x, w = b.edges[j - 1]
            if isinstance(t, _Blossom):
                yield (t, w)
            j += jstep
            t = b.childs[j]
            if isinstance(t, _Blossom):
                yield (t, x)
            mate[w] = x
            mate[x] = w
        b.childs = b.childs[i:] + b.childs[:i]
        b.edges = b.edges[i:] + b.edges[:i]
        blossombase[b] = blossombase[b.childs[0]]

    def augment_matching(v: int, w: int) -> None:
        for s, j in ((v, w), (w, v)):
            while True:
                bs = inblossom[s]
                if isinstance(bs, _Blossom):
                    augment_blossom(bs, s)
                mate[s] = j
                edge = labeledge[bs]
                if edge is None:
                    break
                t = edge[0]
                bt = inblossom[t]
                edge = labeledge[bt]
                assert edge is not None
                s, j = edge
                if isinstance(bt, _Blossom):
                    augment_blossom(bt, j)
                mate[j] = s

    for _stage in range(n):
        label.clear()
        labeledge.clear()
        bestedge.clear()
        for b in blossomdual:
            b.best = None
        allowedge.clear()
        queue.clear()
        for v in range(n):
            if v not in mate and label.get(inblossom[v]) is None:
                assign_label(v, 1, None)
        augmented = False
        while True:
            while queue and not augmented:
                v = queue.pop()
                for w in adjacency[v]:
                    bv, bw = inblossom[v], inblossom[w]  # bv changes as blossoms form
                    if bv == bw:
                        continue
                    allowed = (v, w) in allowedge
                    if not allowed:
                        kslack = slack(v, w)
                        if kslack <= 0:
                            allowedge.add((v, w))
                            allowedge.add((w, v))
                            allowed = True
                    if allowed:
                        lw = label.get(bw)
                        if lw is None:
                            assign_label(w, 2, v)
                        elif lw == 1:
                            base = scan_blossom(v, w)
                            if base is not None:
                                add_blossom(base, v, w)
                            else:
                                augment_matching(v, w)
                                augmented = True
                                break
                        elif label.get(w) is None:
                            label[w] = 2
                            labeledge[w] = (v, w)
                    elif label.get(bw) == 1:
                        known = bestedge.get(bv)
                        if known is None or kslack < slack(*known):
                            bestedge[bv] = (v, w)
                    elif label.get(w) is None:
                        known = bestedge.get(w)
                        if known is None or kslack < slack(*known):
                            bestedge[w] = (v, w)
            if augmented:
                break
            deltatype = -1
            delta = 0.0
            deltaedge: Edge | None = None
            deltablossom: _Blossom | None = None
            for v in range(n):
                known = bestedge.get(v)
                if known is None:
                    continue
                lv = label.get(inblossom[v])
                if lv is None:
                    d = slack(*known)
                    if deltatype == -1 or d < delta:
                        delta, deltatype, deltaedge = d, 2, known
                elif lv == 1 and inblossom[v] == v:  # a single vertex: its best S-S edge
                    d = slack(*known) / 2
                    if deltatype == -1 or d < delta:
                        delta, deltatype, deltaedge = d, 3, known
            for b in blossomdual:
                if blossomparent[b] is None:
                    lb = label.get(b)
                    if lb == 1:
                        known = bestedge.get(b)
                        if known is not None:
                            d = slack(*known) / 2
                            if deltatype == -1 or d < delta:
                                delta, deltatype, deltaedge = d, 3, known
                    elif lb == 2 and (deltatype == -1 or blossomdual[b] < delta):
                        delta, deltatype, deltablossom = blossomdual[b], 4, b
            if deltatype == -1:
                break  # no augmenting path left: maximum cardinality reached
            for v in range(n):
                lv = label.get(inblossom[v])
                if lv == 1:
                    dualvar[v] -= delta
                elif lv == 2:
                    dualvar[v] += delta
            for b in blossomdual:
                if blossomparent[b] is None:
                    lb = label.get(b)
                    if lb == 1:
                        blossomdual[b] += delta
                    elif lb == 2:
                        blossomdual[b] -= delta
            if deltatype in (2, 3):
                assert deltaedge is not None
                v, w = deltaedge
                allowedge.add((v, w))
                allowedge.add((w, v))
                queue.append(v)
            else:
                assert deltablossom is not None
                expand_blossom(deltablossom, False)
        if not augmented:
            break
        for b in list(blossomdual):
            if (
                b in blossomdual
                and blossomparent[b] is None
                and label.get(b) == 1
                and blossomdual[b] == 0
            ):
                expand_blossom(b, True)
    return Solution(
        mate=[mate.get(v, -1) for v in range(n)],
        dual=dualvar,
        blossoms=[(sorted(b.leaves()), z) for b, z in blossomdual.items()],
    )
