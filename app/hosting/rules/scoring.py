"""How well a family that passed the filters suits a stay: three criteria in [0, 1] and
their weighted sum as an integer score 0..1000.

- `languages` (weight 0.5): the best language the learner and the family share, at the
  lower of their two CEFR levels (C2 = 1); 0.5 when the learner listed none;
- `travel` (0.3): distance from the family's home to the placement against how far the
  family is willing to drive (default 10 km): 1 at the door, 0.5 at that limit, 0 at twice
  it; 0.5 when a location is unknown;
- `preferences` (0.2): the share of the learner's preferences (`children`, `no_children`,
  `pets`, `no_pets`) the household meets; 0.5 when there are none.

The solver maximises the sum of `weight` = 1000 + score over the placements it makes, so it
places a learner wherever it can and, among such assignments, prefers the better fits.
"""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt
from typing import Final

from app.hosting.rules.types import Family, Need, Point

WEIGHTS: Final = {"languages": 0.5, "travel": 0.3, "preferences": 0.2}
DEFAULT_DRIVE_KM: Final = 10.0
PLACEMENT_BASE: Final = 1000


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    dlat, dlon = radians(b.lat - a.lat), radians(b.lon - a.lon)
    h = sin(dlat / 2) ** 2 + cos(radians(a.lat)) * cos(radians(b.lat)) * sin(dlon / 2) ** 2
    return 2 * 6371.0 * asin(min(1.0, sqrt(h)))


def language_fit(need: Need, family: Family) -> float:
    if not need.languages:
        return 0.5
    spoken = {lang.code: lang.level for lang in family.languages}
    best = -1
    for lang in need.languages:
        if lang.code in spoken:
            best = max(best, min(lang.level, spoken[lang.code]))
    return 0.0 if best < 0 else (best + 1) / 6


def travel_fit(need: Need, family: Family) -> float:
    if need.placement is None or family.location is None:
        return 0.5
    limit = family.max_drive_km or DEFAULT_DRIVE_KM
    return max(0.0, 1.0 - distance_km(family.location, need.placement) / (2 * limit))


def preference_fit(need: Need, family: Family) -> float:
    if not need.preferences:
        return 0.5
    met = {
        "children": family.children > 0,
        "no_children": family.children == 0,
        "pets": bool(family.pets),
        "no_pets": not family.pets,
    }
    return sum(met.get(p, False) for p in need.preferences) / len(need.preferences)


def breakdown(need: Need, family: Family) -> dict[str, float]:
    return {
        "languages": round(language_fit(need, family), 4),
        "travel": round(travel_fit(need, family), 4),
        "preferences": round(preference_fit(need, family), 4),
    }


def score(parts: dict[str, float]) -> int:
    return round(1000 * sum(WEIGHTS[k] * parts[k] for k in WEIGHTS))


def weight(score_: int) -> int:
    """What placing a learner with a family is worth to the solver."""
    return PLACEMENT_BASE + score_
