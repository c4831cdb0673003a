"""The state of a group search and its moves (`solve_groups` in `groups.py` drives it): the
pair graph on indices, the cached group check, the current packing, the greedy construction,
local search and the neighbourhoods re-solved exactly with CP-SAT."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable

from app.matching.rules.packing import Budget, Members, pack, sat_solver

GroupCheck = Callable[[tuple[str, ...]], int | None]
_REGION_GROUPS = 10
_REGION_FREE = 12


class GroupSearch:
    """The pair graph on indices 0..n-1 (names sorted), the cached check and the packing."""

    def __init__(
        self,
        names: list[str],
        country: list[str],
        weight: dict[tuple[int, int], int],
        size: int,
        check: GroupCheck,
        rng: random.Random,
    ) -> None:
        self.names, self.country, self.weight, self.size = names, country, weight, size
        self.check, self.rng = check, rng
        self.adj: list[set[int]] = [set() for _ in names]
        self.later = [0] * len(names)  # bit mask of the neighbours after each class
        for a, b in weight:
            self.adj[a].add(b)
            self.adj[b].add(a)
            self.later[a] |= 1 << b
        self.cache: dict[Members, int | None] = {}
        self.owner = [-1] * len(names)
        self.groups: dict[int, tuple[Members, int]] = {}
        self.next_id = 0

    def score(self, members: Members) -> int | None:
        key = tuple(sorted(members))
        if key not in self.cache:
            self.cache[key] = self.check(tuple(self.names[i] for i in key))
        return self.cache[key]

    def estimate(self, members: Iterable[int]) -> float:
        pairs = [self.weight[min(a, b), max(a, b)] for a, b in itertools.combinations(members, 2)]
        return sum(pairs) / len(pairs)

    def joinable(self, others: Iterable[int], c: int) -> bool:
        """Whether `c` is compatible with (hence of another country than) each of `others`."""
        return all(c in self.adj[m] for m in others)

    def count(self, mask: int, depth: int, limit: int) -> int:
        """Cliques of `depth` classes in `mask` (up to a little over `limit`)."""
        if depth == 1:
            return mask.bit_count()
        total = 0
        while mask and total <= limit:
            low = mask & -mask
            mask ^= low
            total += self.count(mask & self.later[low.bit_length() - 1], depth - 1, limit)
        return total

    def cliques(self, pool: Iterable[int], limit: int | None = None) -> list[Members] | None:
        """Every candidate group inside `pool`, or None when there are more than `limit`."""
        inside = 0
        for v in pool:
            inside |= 1 << v
        if limit is not None:
            total, rest = 0, inside
            while rest and total <= limit:
                low = rest & -rest
                rest ^= low
                total += self.count(inside & self.later[low.bit_length() - 1], self.size - 1, limit)
            if total > limit:
                return None
        found: list[Members] = []

        def grow(members: Members, mask: int) -> None:
            while mask:
                low = mask & -mask
                mask ^= low
                c = low.bit_length() - 1
                if len(members) == self.size - 1:
                    found.append((*members, c))
                else:
                    grow((*members, c), mask & self.later[c])

        grow((), inside)
        return found

    def add(self, members: Members, score: int) -> int:
        gid = self.next_id
        self.groups[gid] = (tuple(sorted(members)), score)
        for m in members:
            self.owner[m] = gid
        self.next_id += 1
        return gid

    def remove(self, gid: int) -> None:
        for m in self.groups.pop(gid)[0]:
            self.owner[m] = -1

    def total(self) -> int:
        return sum(score for _, score in self.groups.values())

    def extend(self, members: Members, tries: int = 4) -> tuple[Members, int] | None:
        """Complete `members` with free classes, trying the `tries` best-fitting at each step."""
        if len(members) == self.size:
            score = self.score(members)
            return None if score is None else (members, score)
        common = set.intersection(*(self.adj[m] for m in members))
        options = [c for c in common if self.owner[c] < 0 and self.joinable(members, c)]
        options.sort(key=lambda c: (-sum(self.weight[min(c, m), max(c, m)] for m in members), c))
        best: tuple[Members, int] | None = None
        for c in options[:tries]:
            found = self.extend((*members, c), tries)
            if found is not None and (best is None or found[1] > best[1]):
                best = found
        return best

    def construct(self) -> list[int]:
        """Greedy: the best pairs of free classes first, each completed by `extend`."""
        free = [a for a in range(len(self.names)) if self.owner[a] < 0]
        seeds = [
            (-self.weight[a, b], a, b)
            for a in free
            for b in self.adj[a]
            if b > a and self.owner[b] < 0
        ]
        made = []
        for _, a, b in sorted(seeds):
            if self.owner[a] < 0 and self.owner[b] < 0:
                found = self.extend((a, b))
                if found is not None and found[1] > 0:
                    made.append(self.add(*found))
        return made

    def try_replace(self, old: tuple[Members, ...], new: tuple[Members, ...]) -> list[int]:
        """Put the groups `new` in place of the current groups `old` if they score more."""
        before = sum(self.groups[self.owner[g[0]]][1] for g in old)
        if sum(self.estimate(g) for g in new) <= before:
            return []
        scores = []
        for g in new:
            score = self.score(g)
            if score is None:
                return []
            scores.append(score)
        if sum(scores) <= before:
            return []
        for g in old:
            self.remove(self.owner[g[0]])
        return [self.add(g, score) for g, score in zip(new, scores, strict=True)]

    def improve(self, gid: int) -> list[int]:
        """One move on group `gid`: a free class replaces a member, or it swaps a member with
        another group. Returns the ids of the groups made (none when nothing improves)."""
        members = self.groups[gid][0]
        for x in members:
            others = tuple(m for m in members if m != x)
            for y in sorted(set.intersection(*(self.adj[m] for m in others)) - {x}):
                if self.owner[y] < 0:
                    made = self.try_replace((members,), ((*others, y),))
                elif self.owner[y] != gid:
                    theirs = self.groups[self.owner[y]][0]
                    rest = tuple(m for m in theirs if m != y)
                    if not self.joinable(rest, x):
                        continue
                    made = self.try_replace((members, theirs), ((*others, y), (*rest, x)))
                else:
                    continue
                if made:
                    return made
        return []

    def local_search(self, budget: Budget, touched: Iterable[int] | None = None) -> None:
        """Replace and swap moves on the groups (those `touched`, then those they change)
        until none improves or time is up; then free classes form new groups."""
        queue = set(self.groups if touched is None else touched)
        while queue and not budget.expired():
            gid = min(queue)
            queue.discard(gid)
            if gid in self.groups:
                queue.update(self.improve(gid))
        self.construct()

    def region(self, scale: int) -> set[int]:
        """Groups near a random class, and the free classes best connected to them."""
        linked = [i for i in range(len(self.names)) if self.adj[i]]
        if not linked:
            return set()
        center = self.rng.choice(linked)
        area = set(self.groups[self.owner[center]][0]) if self.owner[center] >= 0 else {center}
        taken = 1
        for v in sorted(
            self.adj[center], key=lambda v: (-self.weight[min(v, center), max(v, center)], v)
        ):
            if taken >= _REGION_GROUPS * scale:
                break
            if self.owner[v] >= 0 and v not in area:
                area.update(self.groups[self.owner[v]][0])
                taken += 1
        near: dict[int, int] = {}
        for m in area:
            for v in self.adj[m]:
                if self.owner[v] < 0 and v not in area:
                    near[v] = near.get(v, 0) + 1
        area.update(sorted(near, key=lambda v: (-near[v], v))[: _REGION_FREE * scale])
        return area

    def neighbourhood(self, budget: Budget, deterministic: bool, scale: int = 1) -> list[int]:
        """Re-solve the packing of a region exactly, over all its candidate groups."""
        area = self.region(scale)
        current = [g for g in self.groups.values() if area.issuperset(g[0])]
        candidates = []
        for members in self.cliques(area) or []:
            score = self.score(members)
            if score is not None and score > 0:
                candidates.append((members, score))
        seconds = min(1.0, budget.remaining())
        picked, _, _ = pack(
            candidates, [g for g, _ in current], sat_solver(seconds, deterministic, 1)
        )
        if sum(s for _, s in picked) <= sum(s for _, s in current):
            return []
        for members, _ in current:
            self.remove(self.owner[members[0]])
        return [self.add(members, score) for members, score in picked]
