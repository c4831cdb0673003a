"""Candidate pairs: every (stay, family) that passes the hard filters, with its score,
keeping the `top_k` best families per stay; and why the stays without any have none."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from app.hosting.rules.filters import booked_load, nearest_reason, refusal
from app.hosting.rules.scoring import breakdown, score
from app.hosting.rules.types import (
    Family,
    FamilyId,
    Instance,
    MobilityId,
    UnmatchedReason,
)


@dataclass(frozen=True)
class Candidate:
    mobility_id: MobilityId
    family_id: FamilyId
    score: int
    breakdown: dict[str, float]


@dataclass(frozen=True)
class Candidates:
    pairs: list[Candidate]
    reasons: dict[MobilityId, UnmatchedReason]  # stays without any candidate


def candidates(instance: Instance) -> Candidates:
    load = booked_load(instance.bookings)
    by_city: dict[str, list[Family]] = defaultdict(list)
    for family in instance.families:
        by_city[family.city.casefold()].append(family)
    pairs: list[Candidate] = []
    reasons: dict[MobilityId, UnmatchedReason] = {}
    for need in instance.needs:
        found: list[Candidate] = []
        refused: list[UnmatchedReason | None] = []
        for family in by_city.get(need.city.casefold(), ()):
            why = refusal(need, family, load, instance.declined)
            if why is not None:
                refused.append(why)
                continue
            parts = breakdown(need, family)
            found.append(Candidate(need.id, family.id, score(parts), parts))
        if not found:
            reasons[need.id] = nearest_reason(refused)
            continue
        found.sort(key=lambda c: (-c.score, c.family_id))
        pairs.extend(found[: instance.top_k])
    return Candidates(pairs, reasons)
