"""The CPU-heavy part of a matching run, executed in a worker process.

Everything here is picklable plain data in and out; `run_matching` is the process entry point.
It composes the pure domain (compatibility, pairs, groups) and reads the monotonic clock for the
groups' time budget, which the domain itself never does.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.matching.rules.compatibility import PreparedClass, check_pair, group_check, prepare
from app.matching.rules.groups import solve_groups
from app.matching.rules.pair_graph import compatible_pairs
from app.matching.rules.pairs import solve_pairs
from app.matching.rules.types import (
    ClassId,
    ClassProfile,
    Compatibility,
    Refusal,
    UnmatchedReason,
)
from app.matching.run_data import MatchingInstance, MatchingOutcome, ProposalOut

NEW_COUNTRY_PENALTY = 0.85  # weight factor for a partner country a class has met before


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
    """The run's proposals: the compatibility graph, then optimal pairs or groups, then the
    outcome with the classes left unmatched and why."""
    problem = _Problem.of(instance)
    solved = _solve_pairs(problem) if instance.group_size == 2 else _solve_groups(problem)
    proposals = solved.proposals
    matched = {c for p in proposals for c in p.class_ids}
    unmatched = [
        (p.id, problem.reasons.get(p.id) or "not_selected")
        for p in instance.profiles
        if p.id not in matched
    ]
    return MatchingOutcome(
        proposals=proposals,
        unmatched=unmatched,
        objective=sum(p.score for p in proposals),
        upper_bound=solved.upper_bound,
        gap=solved.gap,
        exact=solved.exact,
        shares=_shares(instance.profiles, matched),
    )


@dataclass(frozen=True)
class _Problem:
    """The instance prepared for the solvers: every class's country and prepared profile, the
    solver weight of each compatible pair, and why classes without a partner have none."""

    instance: MatchingInstance
    country: dict[ClassId, str]
    prepared: dict[ClassId, PreparedClass]
    weights: dict[tuple[ClassId, ClassId], int]
    reasons: Mapping[ClassId, UnmatchedReason | None]

    @classmethod
    def of(cls, instance: MatchingInstance) -> _Problem:
        profiles = instance.profiles
        country = {p.id: p.country for p in profiles}
        graph = compatible_pairs(profiles, instance.options)
        weights = {
            (a, b): _solver_weight(a, b, score, instance, country)
            for a, b, score in graph.edges()
            if frozenset((a, b)) not in instance.excluded_pairs
        }
        prepared = {p.id: prepare(p, instance.options) for p in profiles}
        return cls(instance, country, prepared, weights, graph.reasons)

    def pair_proposal(self, a: ClassId, b: ClassId) -> ProposalOut:
        checked = check_pair(self.prepared[a], self.prepared[b], self.instance.options)
        assert not isinstance(checked, Refusal)
        return _pair_proposal(checked)


@dataclass(frozen=True)
class _Solved:
    proposals: list[ProposalOut]
    upper_bound: float
    gap: float
    exact: bool


def _solve_pairs(problem: _Problem) -> _Solved:
    nodes = [p.id for p in problem.instance.profiles]
    result = solve_pairs(nodes, [(a, b, w) for (a, b), w in problem.weights.items()])
    proposals = [problem.pair_proposal(a, b) for a, b, _weight in result.pairs]
    return _Solved(proposals, result.upper_bound, result.gap, exact=True)


def _solve_groups(problem: _Problem) -> _Solved:
    instance, prepared = problem.instance, problem.prepared

    def group_ok(members: tuple[ClassId, ...]) -> int | None:
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if frozenset((a, b)) in instance.excluded_pairs:
                    return None
        checked = group_check([prepared[m] for m in members], instance.options)
        return None if isinstance(checked, Refusal) else checked.score

    groups = solve_groups(
        [p.id for p in instance.profiles],
        problem.country,
        problem.weights,
        instance.group_size,
        group_ok,
        time_budget_s=instance.time_budget_s,
        seed=instance.seed,
        clock=time.monotonic,
    )
    proposals: list[ProposalOut] = []
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
    proposals += [problem.pair_proposal(a, b) for a, b, _weight in groups.pairs.pairs]
    return _Solved(
        proposals,
        upper_bound=groups.best_bound if groups.best_bound is not None else float("nan"),
        gap=groups.gap if groups.gap is not None else float("nan"),
        exact=groups.exact,
    )


def _pair_proposal(pair: Compatibility) -> ProposalOut:
    return ProposalOut(
        (pair.a, pair.b),
        pair.score,
        dict(pair.breakdown),
        tuple(pair.shared_languages),
        tuple(pair.common_windows),
    )
