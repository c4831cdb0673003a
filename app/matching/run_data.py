"""What a matching run hands to its worker process and gets back: plain, picklable data.

Kept apart from `worker.py` so that the web process, which builds the instance and stores the
outcome, never imports the solvers (OR-Tools, SciPy): only the worker process loads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.matching.rules.types import (
    ClassId,
    ClassProfile,
    CommonWindow,
    MatchingOptions,
    UnmatchedReason,
)


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
