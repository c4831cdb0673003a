"""The CPU-heavy part of a matching run, executed in a worker process.

Everything here is picklable plain data in and out; `run_matching` is the process entry point.
It composes the pure domain (compatibility, pairs, groups) and reads the monotonic clock for the
groups' time budget, which the domain itself never does.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.matching.rules.compatibility import check_pair, group_check, prepare
from app.matching.rules.groups import solve_groups
from app.matching.rules.pair_graph import compatible_pairs
from app.matching.rules.pairs import solve_pairs
from app.matching.rules.types import (
    ClassId,
    ClassProfile,
    CommonWindow,
    Compatibility,
    MatchingOptions,
    Refusal,
    UnmatchedReason,
)

NEW_COUNTRY_PENALTY = 0.85  # weight factor for a partner country a class has met before


@dataclass(frozen=True)
class MatchingInstance:
    profiles: tuple[ClassProfile, ...]
    group_size: int
    options: MatchingOptions
    excluded_pairs: frozenset[frozenset[ClassId]] = frozenset()
    met_countries: dict[ClassId, frozenset[str]] = field(default_factory=dict)
    prefer_new_countries: bool = False
    time_budget_s: float = 30.0
    seed: int = 0


@dataclass(frozen=True)
class ProposalOut:
    class_ids: tuple[ClassId, ...]
    score: int
    breakdown: dict[str, int]
    shared_languages: tuple[str, ...]
    common_windows: tuple[CommonWindow, ...]


@dataclass(frozen=True)
class MatchingOutcome:
    proposals: list[ProposalOut]
    unmatched: list[tuple[ClassId, UnmatchedReason]]
    objective: int
    upper_bound: float
    gap: float
    exact: bool
    shares: dict[str, dict[str, float]]


def _solver_weight(
    a: ClassId, b: ClassId, score: int, instance: MatchingInstance, country: dict[str, str]
) -> int:
    if not instance.prefer_new_countries:
        return score
    met_before = country[b] in instance.met_countries.get(a, frozenset()) or (
        country[a] in instance.met_countries.get(b, frozenset())
    )
    return int(score * NEW_COUNTRY_PENALTY) if met_before else score


def _shares(profiles: Sequence[ClassProfile], matched: set[ClassId]) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {}
    for key, attr in (("by_country", "country"), ("by_school", "organisation_id")):
        total = Counter(getattr(p, attr) for p in profiles)
        hit = Counter(getattr(p, attr) for p in profiles if p.id in matched)
        result[key] = {k: round(hit[k] / n, 4) for k, n in sorted(total.items())}
    return result


def run_matching(instance: MatchingInstance) -> MatchingOutcome:
    profiles = instance.profiles
    country = {p.id: p.country for p in profiles}
    graph = compatible_pairs(profiles, instance.options)
    reasons = graph.reasons
    prepared = {p.id: prepare(p, instance.options) for p in profiles}
    weights = {
        (a, b): _solver_weight(a, b, score, instance, country)
        for a, b, score in graph.edges()
        if frozenset((a, b)) not in instance.excluded_pairs
    }

    def pair_proposal(a: ClassId, b: ClassId) -> ProposalOut:
        checked = check_pair(prepared[a], prepared[b], instance.options)
        assert not isinstance(checked, Refusal)
        return _pair_proposal(checked)

    nodes = [p.id for p in profiles]
    proposals: list[ProposalOut] = []
    if instance.group_size == 2:
        result = solve_pairs(nodes, [(a, b, w) for (a, b), w in weights.items()])
        for a, b, _weight in result.pairs:
            proposals.append(pair_proposal(a, b))
        upper_bound, gap, exact = result.upper_bound, result.gap, True
    else:

        def group_ok(members: tuple[ClassId, ...]) -> int | None:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if frozenset((a, b)) in instance.excluded_pairs:
                        return None
            checked = group_check([prepared[m] for m in members], instance.options)
            return None if isinstance(checked, Refusal) else checked.score

        groups = solve_groups(
            nodes,
            country,
            weights,
            instance.group_size,
            group_ok,
            time_budget_s=instance.time_budget_s,
            seed=instance.seed,
            clock=time.monotonic,
        )
        for members, _score in groups.groups:
            checked = group_check([prepared[m] for m in members], instance.options)
            assert not isinstance(checked, Refusal)
            proposals.append(
                ProposalOut(
                    tuple(sorted(members)),
                    checked.score,
                    dict(checked.breakdown),
                    tuple(checked.shared_languages),
                    tuple(checked.common_windows),
                )
            )
        for a, b, _weight in groups.pairs.pairs:
            proposals.append(pair_proposal(a, b))
        upper_bound = groups.best_bound if groups.best_bound is not None else float("nan")
        gap, exact = (groups.gap if groups.gap is not None else float("nan")), groups.exact
    objective = sum(p.score for p in proposals)
    matched = {c for p in proposals for c in p.class_ids}
    unmatched = [
        (p.id, reasons.get(p.id) or "not_selected") for p in profiles if p.id not in matched
    ]
    return MatchingOutcome(
        proposals=proposals,
        unmatched=unmatched,
        objective=objective,
        upper_bound=upper_bound,
        gap=gap,
        exact=exact,
        shares=_shares(profiles, matched),
    )


def _pair_proposal(pair: Compatibility) -> ProposalOut:
    return ProposalOut(
        (pair.a, pair.b),
        pair.score,
        dict(pair.breakdown),
        tuple(pair.shared_languages),
        tuple(pair.common_windows),
    )
