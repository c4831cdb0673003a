"""The assignment: each stay to at most one family, no family over its rooms on any night,
the total weight (`scoring.weight`) maximal.

The candidate graph splits into independent parts (a family and the stays it could take);
each part is a 0-1 integer programme solved by HiGHS (`scipy.optimize.milp`; measured
several times faster than CP-SAT here, with optimality proven): a variable per candidate
pair, at most one family per stay and, for each family and each night on which a stay or
a booking starts (the nights where its occupancy can peak), the stays covering that night
within the rooms left by existing bookings. A part whose families could take all their
candidates at once is solved directly. The greedy assignment (best pairs first) is the
fallback when the time runs out before the solver has a better solution; `solve_greedy` is
also the peer the benchmark compares with.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from app.hosting.rules.candidates import Candidate, candidates
from app.hosting.rules.filters import booked_load
from app.hosting.rules.scoring import weight
from app.hosting.rules.types import (
    FamilyId,
    Instance,
    MobilityId,
    Outcome,
    Proposal,
    UnmatchedReason,
    nights,
)


def _parts(pairs: list[Candidate]) -> list[list[Candidate]]:
    """Connected parts of the bipartite candidate graph (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for c in pairs:
        a, b = find("m" + c.mobility_id), find("f" + c.family_id)
        if a != b:
            parent[a] = b
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in pairs:
        groups[find("m" + c.mobility_id)].append(c)
    return list(groups.values())


class _Capacity:
    """Rooms per family and night: what is booked, what the run has given."""

    def __init__(self, instance: Instance) -> None:
        self.rooms = {f.id: f.rooms for f in instance.families}
        self.load = booked_load(instance.bookings)
        self.stay = {n.id: nights(n.starts_on, n.ends_on) for n in instance.needs}
        self.booking_starts: dict[FamilyId, set[int]] = defaultdict(set)
        for b in instance.bookings:
            self.booking_starts[b.family_id].add(nights(b.starts_on, b.ends_on)[0])

    def fits(self, family_id: FamilyId, mobility_id: MobilityId) -> bool:
        taken = self.load.get(family_id, Counter())
        return all(taken[n] < self.rooms[family_id] for n in self.stay[mobility_id])

    def take(self, family_id: FamilyId, mobility_id: MobilityId) -> None:
        self.load.setdefault(family_id, Counter()).update(self.stay[mobility_id])


def _greedy(pairs: Iterable[Candidate], capacity: _Capacity) -> list[Candidate]:
    chosen: list[Candidate] = []
    placed: set[MobilityId] = set()
    for c in sorted(pairs, key=lambda c: (-c.score, c.mobility_id, c.family_id)):
        if c.mobility_id not in placed and capacity.fits(c.family_id, c.mobility_id):
            capacity.take(c.family_id, c.mobility_id)
            placed.add(c.mobility_id)
            chosen.append(c)
    return chosen


def _unconstrained(part: list[Candidate], instance: Instance, capacity: _Capacity) -> bool:
    """True when every family of the part could take all its candidate stays at once."""
    per_family: dict[FamilyId, list[MobilityId]] = defaultdict(list)
    for c in part:
        per_family[c.family_id].append(c.mobility_id)
    for family_id, stays in per_family.items():
        taken = Counter(capacity.load.get(family_id, Counter()))
        for m in stays:
            taken.update(capacity.stay[m])
        if any(v > capacity.rooms[family_id] for v in taken.values()):
            return False
    return True


def _best_each(part: list[Candidate]) -> list[Candidate]:
    best: dict[MobilityId, Candidate] = {}
    for c in part:
        held = best.get(c.mobility_id)
        if held is None or (c.score, held.family_id) > (held.score, c.family_id):
            best[c.mobility_id] = c
    return list(best.values())


def _milp(
    part: list[Candidate], capacity: _Capacity, seconds: float
) -> tuple[list[Candidate], bool] | None:
    """The part as a 0-1 integer programme solved by HiGHS; None without a solution."""
    rows: list[int] = []
    cols: list[int] = []
    limits: list[float] = []
    by_stay: dict[MobilityId, list[int]] = defaultdict(list)
    by_family: dict[FamilyId, list[int]] = defaultdict(list)
    for i, c in enumerate(part):
        by_stay[c.mobility_id].append(i)
        by_family[c.family_id].append(i)

    def at_most(indices: list[int], limit: int) -> None:
        rows.extend([len(limits)] * len(indices))
        cols.extend(indices)
        limits.append(limit)

    for indices in by_stay.values():
        if len(indices) > 1:
            at_most(indices, 1)
    for family_id, indices in by_family.items():
        booked = capacity.load.get(family_id, Counter())
        # occupancy peaks on a night when a stay or a booking starts
        starts = {capacity.stay[part[i].mobility_id][0] for i in indices}
        starts |= capacity.booking_starts.get(family_id, set())
        for night in sorted(starts):
            covering = [i for i in indices if night in capacity.stay[part[i].mobility_id]]
            free = capacity.rooms[family_id] - booked[night]
            if covering and len(covering) > free:
                at_most(covering, free)
    if not limits:
        return _best_each(part), True
    matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(limits), len(part))).tocsr()
    result = milp(
        c=-np.array([weight(c.score) for c in part], dtype=float),
        constraints=LinearConstraint(matrix, -np.inf, np.array(limits, dtype=float)),
        integrality=np.ones(len(part)),
        bounds=Bounds(0, 1),
        options={"time_limit": max(0.05, seconds)},
    )
    if result.x is None:
        return None
    picked = [c for i, c in enumerate(part) if result.x[i] > 0.5]
    return picked, result.status == 0


def _worth(chosen: list[Candidate]) -> int:
    return sum(weight(c.score) for c in chosen)


def _outcome(
    instance: Instance,
    chosen: list[Candidate],
    reasons: dict[MobilityId, UnmatchedReason],
    optimal: bool,
    count: int,
) -> Outcome:
    placed = {c.mobility_id for c in chosen}
    unmatched = [
        (n.id, reasons.get(n.id, "no_capacity_for_dates"))
        for n in instance.needs
        if n.id not in placed
    ]
    proposals = [
        Proposal(c.mobility_id, c.family_id, c.score, c.breakdown)
        for c in sorted(chosen, key=lambda c: (-c.score, c.mobility_id))
    ]
    objective = _worth(chosen)
    return Outcome(proposals, unmatched, objective, optimal, count)


def solve(instance: Instance) -> Outcome:
    """The optimal assignment over the candidate pairs (within `instance.time_limit_s`;
    `optimal` is False when a part's search was cut short)."""
    found = candidates(instance)
    capacity = _Capacity(instance)
    parts = sorted(_parts(found.pairs), key=len, reverse=True)
    total = sum(len(p) for p in parts) or 1
    chosen: list[Candidate] = []
    optimal = True
    for part in parts:
        if _unconstrained(part, instance, capacity):
            picked = _best_each(part)
        else:
            share = instance.time_limit_s * len(part) / total
            greedy = _greedy(part, _copy(capacity))
            solved = _milp(part, capacity, share)
            if solved is None or _worth(solved[0]) < _worth(greedy):  # cut short by the time
                picked, optimal = greedy, False
            else:
                picked, proven = solved
                optimal = optimal and proven
        for c in picked:
            capacity.take(c.family_id, c.mobility_id)
        chosen.extend(picked)
    return _outcome(instance, chosen, found.reasons, optimal, len(found.pairs))


def solve_greedy(instance: Instance) -> Outcome:
    """Best pairs first, each kept if the stay is free and the family has room: the peer."""
    found = candidates(instance)
    chosen = _greedy(found.pairs, _Capacity(instance))
    return _outcome(instance, chosen, found.reasons, False, len(found.pairs))


def _copy(capacity: _Capacity) -> _Capacity:
    twin = object.__new__(_Capacity)
    twin.rooms, twin.stay, twin.booking_starts = (
        capacity.rooms,
        capacity.stay,
        capacity.booking_starts,
    )
    twin.load = {k: Counter(v) for k, v in capacity.load.items()}
    return twin
