"""Breakout groups that mix countries as evenly as the room allows.

`make_groups(people, group_size, seed=...)` returns `ceil(n / group_size)` groups (one group when
`group_size >= n`), so no group is larger than asked, except that nobody is left alone: when
that many groups would leave a group of one (three learners in groups of two), the remainder is
folded into the other groups (one group of three). No group is smaller than two unless the room
holds a single learner.

How: people are listed country by country, largest country first (shuffled within a country by
`seed`, so each round differs), then dealt to the groups in turn, like cards. Therefore:

- everyone is placed exactly once, and group sizes differ by at most one;
- each country is spread evenly: its members per group differ by at most one between groups;
- every group of two or more holds at least two countries whenever that is possible at all,
  that is when the people outside the largest country can give every group one member
  (`n - largest >= groups`), or when no country has more members than there are groups.
  Otherwise (say 29 French learners and one Finn) the single Finn can only mix one group, and
  the function still mixes as many groups as the room allows.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    id: str
    country: str


def group_count(n: int, group_size: int) -> int:
    """How many groups: enough for `group_size`, but never so many that one holds one person."""
    if group_size < 1:
        raise ValueError("group_size must be at least 1")
    if n == 0:
        return 0
    count = max(1, math.ceil(n / group_size))
    while count > 1 and n // count < 2:
        count -= 1
    return count


def make_groups(people: Sequence[Person], group_size: int, *, seed: int = 0) -> list[list[Person]]:
    """Groups of `group_size` or fewer, never of one (sizes differ by at most one), countries
    dealt evenly."""
    count = group_count(len(people), group_size)
    if count == 0:
        return []
    by_country: dict[str, list[Person]] = defaultdict(list)
    for person in sorted(people, key=lambda p: (p.country, p.id)):
        by_country[person.country].append(person)
    rng = random.Random(seed)  # noqa: S311 (variety between rounds, not secrecy)
    order = sorted(by_country, key=lambda c: (-len(by_country[c]), c))
    dealt: list[Person] = []
    for country in order:
        members = by_country[country]
        rng.shuffle(members)
        dealt.extend(members)
    groups: list[list[Person]] = [[] for _ in range(count)]
    for index, person in enumerate(dealt):
        groups[index % count].append(person)
    return groups


def mixing_possible(people: Sequence[Person], groups: int) -> bool:
    """Whether every group of two or more can hold two countries (see the module doc)."""
    counts: dict[str, int] = defaultdict(int)
    for person in people:
        counts[person.country] += 1
    if len(counts) < 2:
        return False
    largest = max(counts.values())
    return len(people) - largest >= groups or largest <= groups
