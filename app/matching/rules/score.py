"""The 0-1000 score of a compatible pair or group, and its breakdown per criterion.

Five criteria, each scored 0..1, then weighted by `Weights` scaled to 1,000 points in all:

- field: same ISCED-F detailed code 1.0, same narrow field (3 digits) 0.7, same broad field
  (2 digits) 0.4, else 0; then multiplied by 1 - 0.1 per EQF level of difference (floored at 0),
  so a level-4 and a level-5 class of the same trade get 0.9.
- language: the best language both hold, taken at the lower of the two levels:
  B2 or above 1.0, B1 0.8, A2 0.5, A1 0.2 (A1 only counts when the minimum level allows it).
- age: the overlap of the inclusive age ranges over the length of the smaller range.
- size: the smaller learner count over the larger.
- availability: the weekly overlap in minutes / 180, at most 1.

The score is the weighted sum rounded to the nearest integer; the breakdown shares it out by
largest remainder (ties in criterion order), so its values add up exactly to the score.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.rules.isced import broad_field, narrow_field
from app.matching.rules.types import ClassProfile, Weights

CRITERIA: tuple[str, ...] = ("field", "language", "age", "size", "availability")
FULL_AVAILABILITY_MINUTES = 180
_LANGUAGE_SCORE = (0.2, 0.5, 0.8, 1.0, 1.0, 1.0)  # by CEFR rank of the lower level, A1..C2

_points_cache: tuple[Weights, tuple[float, ...]] | None = None


def points(weights: Weights) -> tuple[float, ...]:
    """Points per criterion (in CRITERIA order): the weights scaled to add up to 1,000."""
    global _points_cache
    cached = _points_cache
    if cached is not None and cached[0] is weights:
        return cached[1]
    values = tuple(getattr(weights, name) for name in CRITERIA)
    if min(values) < 0 or sum(values) <= 0:
        raise ValueError("weights must be non-negative and not all zero")
    scaled = tuple(1000 * value / sum(values) for value in values)
    _points_cache = (weights, scaled)
    return scaled


def _apportion(score: int, floors: list[int], remainders: Sequence[float]) -> dict[str, int]:
    """Share `score` out: each criterion gets its floor, the rest go to the largest remainders."""
    missing = score - sum(floors)
    if missing:
        ranked = sorted(range(len(CRITERIA)), key=remainders.__getitem__, reverse=True)  # stable
        for i in ranked[:missing]:
            floors[i] += 1
    return dict(zip(CRITERIA, floors, strict=True))


def field_score(a: ClassProfile, b: ClassProfile) -> float:
    if a.field == b.field:
        value = 1.0
    elif narrow_field(a.field) == narrow_field(b.field):
        value = 0.7
    elif broad_field(a.field) == broad_field(b.field):
        value = 0.4
    else:
        return 0.0
    if a.eqf_level != b.eqf_level:
        value *= max(0.0, 1.0 - 0.1 * abs(a.eqf_level - b.eqf_level))
    return value


def pair_score(
    a: ClassProfile, b: ClassProfile, language_rank: int, overlap_minutes: int, weights: Weights
) -> tuple[int, dict[str, int]]:
    """The score and breakdown of a compatible pair whose best shared language is held at CEFR
    rank `language_rank` (the lower of the two) and who share `overlap_minutes` a week.
    (Written out flat: it runs for every compatible pair of a matching run.)"""
    p_field, p_language, p_age, p_size, p_availability = points(weights)
    shortest = min(a.age_max - a.age_min, b.age_max - b.age_min) + 1
    common_ages = min(a.age_max, b.age_max) - max(a.age_min, b.age_min) + 1
    age = 0.0 if shortest <= 0 or common_ages <= 0 else min(1.0, common_ages / shortest)
    smaller, larger = a.learner_count, b.learner_count
    if smaller > larger:
        smaller, larger = larger, smaller
    size = smaller / larger if smaller > 0 else 0.0
    availability = min(1.0, overlap_minutes / FULL_AVAILABILITY_MINUTES)
    raw = (
        field_score(a, b) * p_field,
        _LANGUAGE_SCORE[language_rank] * p_language,
        age * p_age,
        size * p_size,
        availability * p_availability,
    )
    score = min(1000, round(raw[0] + raw[1] + raw[2] + raw[3] + raw[4]))
    floors = [int(raw[0]), int(raw[1]), int(raw[2]), int(raw[3]), int(raw[4])]
    if score == floors[0] + floors[1] + floors[2] + floors[3] + floors[4]:
        return score, dict(zip(CRITERIA, floors, strict=True))
    return score, _apportion(score, floors, [r - f for r, f in zip(raw, floors, strict=True)])


def mean_score(breakdowns: Sequence[dict[str, int]]) -> tuple[int, dict[str, int]]:
    """The mean of several scores (each the sum of its breakdown), rounded half up, with the
    mean breakdown shared out so that it adds up exactly to it."""
    count = len(breakdowns)
    sums = [sum(breakdown[name] for breakdown in breakdowns) for name in CRITERIA]
    score = (2 * sum(sums) + count) // (2 * count)
    return score, _apportion(score, [s // count for s in sums], [s % count for s in sums])
