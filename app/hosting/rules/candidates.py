"""Candidate pairs: every (stay, family) that passes the hard filters, with its score,
keeping the `top_k` best families per stay; and why the stays without any have none.

The filters that need no booking or history (city, vetting, dates, diet, allergies,
smoking) and an estimate of the score run as array operations over a city's families at
once; the shortlist (the `top_k` best estimates, and any within rounding of the last) is then
checked and scored exactly by the plain functions of `filters` and `scoring`, which are the
reference (the tests check that both agree).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.hosting.rules.filters import booked_load, has_room, nearest_reason, pet_word, refusal
from app.hosting.rules.scoring import DEFAULT_DRIVE_KM, WEIGHTS, breakdown, score
from app.hosting.rules.types import (
    Family,
    FamilyId,
    Instance,
    MobilityId,
    Need,
    UnmatchedReason,
)

Mask = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]
NEVER = 10**7  # a day ordinal after every date


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


class _City:
    """A city's families as arrays, for the filters that depend only on the pair."""

    def __init__(self, families: Sequence[Family]) -> None:
        self.families = list(families)
        diets = sorted({d for f in families for d in f.diets})
        pets = sorted({pet_word(p) for f in families for p in f.pets})
        self.diet_col = {d: i for i, d in enumerate(diets)}
        self.pet_col = {p: i for i, p in enumerate(pets)}
        n = len(families)
        self.diets = np.zeros((n, len(diets)), dtype=bool)
        self.pets = np.zeros((n, len(pets)), dtype=bool)
        width = max(len(f.available) for f in families) or 1
        self.first = np.full((n, width), NEVER, dtype=np.int64)
        self.last = np.full((n, width), -1, dtype=np.int64)
        self.approved = np.array([f.approved for f in families], dtype=bool)
        self.valid = np.array(
            [f.valid_until.toordinal() if f.valid_until else NEVER for f in families],
            dtype=np.int64,
        )
        self.smoking = np.array([f.smoking for f in families], dtype=bool)
        codes = sorted({lang.code for f in families for lang in f.languages})
        self.lang_col = {c: i for i, c in enumerate(codes)}
        self.levels = np.full((n, len(codes)), -1, dtype=np.int64)
        self.children = np.array([f.children > 0 for f in families], dtype=bool)
        located = [f.location for f in families]
        self.located = np.array([p is not None for p in located], dtype=bool)
        self.lat = np.radians([p.lat if p else 0.0 for p in located])
        self.lon = np.radians([p.lon if p else 0.0 for p in located])
        self.drive = np.array([f.max_drive_km or DEFAULT_DRIVE_KM for f in families])
        for i, f in enumerate(families):
            for d in f.diets:
                self.diets[i, self.diet_col[d]] = True
            for p in f.pets:
                self.pets[i, self.pet_col[pet_word(p)]] = True
            for lang in f.languages:
                self.levels[i, self.lang_col[lang.code]] = lang.level
            for j, w in enumerate(f.available):
                self.first[i, j], self.last[i, j] = w.first.toordinal(), w.last.toordinal()
        self.has_pets: Mask = np.asarray(self.pets.any(axis=1), dtype=bool)

    def passing(self, need: Need) -> Mask:
        start, end = need.starts_on.toordinal(), need.ends_on.toordinal()
        ok: Mask = self.approved & (self.valid >= end)
        ok &= ((self.first <= start) & (end <= self.last)).any(axis=1)
        for d in need.diet:
            col = self.diet_col.get(d)
            if col is None:
                return np.zeros(len(self.families), dtype=bool)
            ok &= self.diets[:, col]
        for a in need.allergies:
            col = self.pet_col.get(pet_word(a))
            if col is not None:
                ok &= ~self.pets[:, col]
        if need.non_smoking:
            ok &= ~self.smoking
        return ok

    def estimate(self, need: Need, rows: npt.NDArray[np.intp]) -> Floats:
        """The score of each family in `rows` (within rounding of `scoring.score`)."""
        if need.languages:
            best = np.full(len(rows), -1, dtype=np.int64)
            for lang in need.languages:
                col = self.lang_col.get(lang.code)
                if col is not None:
                    best = np.maximum(best, np.minimum(self.levels[rows, col], lang.level))
            languages: Floats = np.where(best < 0, 0.0, (best + 1) / 6)
        else:
            languages = np.full(len(rows), 0.5)
        travel = np.full(len(rows), 0.5)
        if need.placement is not None:
            lat, lon = np.radians(need.placement.lat), np.radians(need.placement.lon)
            h = (
                np.sin((lat - self.lat[rows]) / 2) ** 2
                + np.cos(lat) * np.cos(self.lat[rows]) * np.sin((lon - self.lon[rows]) / 2) ** 2
            )
            km = 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(h)))
            near = np.maximum(0.0, 1.0 - km / (2 * self.drive[rows]))
            travel = np.where(self.located[rows], near, 0.5)
        preferences = np.full(len(rows), 0.5)
        if need.preferences:
            met = {
                "children": self.children[rows],
                "no_children": ~self.children[rows],
                "pets": self.has_pets[rows],
                "no_pets": ~self.has_pets[rows],
            }
            zero = np.zeros(len(rows), dtype=bool)
            total = sum(met.get(p, zero).astype(float) for p in need.preferences)
            preferences = np.asarray(total, dtype=float) / len(need.preferences)
        return 1000 * (
            WEIGHTS["languages"] * languages
            + WEIGHTS["travel"] * travel
            + WEIGHTS["preferences"] * preferences
        )


def _shortlist(city: _City, need: Need, rows: npt.NDArray[np.intp], k: int) -> list[Family]:
    """The families whose score may be among the `k` best (estimates within 2 of the k-th)."""
    if len(rows) > k:
        guess = city.estimate(need, rows)
        cutoff = np.partition(guess, len(rows) - k)[len(rows) - k]
        rows = rows[guess >= cutoff - 2]
    return [city.families[i] for i in rows]


def candidates(instance: Instance) -> Candidates:
    load = booked_load(instance.bookings)
    by_city: dict[str, list[Family]] = defaultdict(list)
    for family in instance.families:
        by_city[family.city.casefold()].append(family)
    cities = {name: _City(families) for name, families in by_city.items()}
    pairs: list[Candidate] = []
    reasons: dict[MobilityId, UnmatchedReason] = {}
    for need in instance.needs:
        city = cities.get(need.city.casefold())
        found: list[Candidate] = []
        if city is not None:
            rows = np.flatnonzero(city.passing(need))
            keep = [
                i
                for i in rows
                if (need.id, city.families[i].id) not in instance.declined
                and has_room(city.families[i], need, load)
            ]
            for family in _shortlist(city, need, np.array(keep, dtype=np.intp), instance.top_k):
                parts = breakdown(need, family)
                found.append(Candidate(need.id, family.id, score(parts), parts))
        if not found:
            families = city.families if city is not None else ()
            reasons[need.id] = nearest_reason(
                refusal(need, f, load, instance.declined) for f in families
            )
            continue
        found.sort(key=lambda c: (-c.score, c.family_id))
        pairs.extend(found[: instance.top_k])
    return Candidates(pairs, reasons)
