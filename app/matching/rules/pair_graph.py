"""The compatibility graph with array operations: the same edges, scores and reasons as
`compatibility.compatibility_graph`, without one Python call per pair.

`compatibility_graph` (the scalar reference, kept as it is) checks pairs one at a time and
builds a `Compatibility` (breakdown, common windows) for each compatible one. A matching run only
needs the edges and their scores, and the full details of the few pairs it proposes
(`check_pair`). So `compatible_pairs` computes, for all pairs at once:

- the filters: countries, qualifying languages (a class x language rank matrix), the joint
  term, and the weekly overlap in every DST period holding a full week. Classes are grouped by
  time zone; for each pair of zones the dates where either zone changes offset cut the year into
  segments, each pair's joint term meets some of them (its periods), and the overlap in a
  segment is a product of 0/1 matrices: one row per class, one column per `unit` minutes of the
  UTC week (the gcd of every class's mask unit), the availability rotated to that segment's
  offset. A pair whose joint term holds no full week in any period (a case the scalar code
  handles with weekday masks) is passed to `check_pair` itself;
- the score, with the same floating-point operations in the same order as `score.pair_score`,
  so the rounded integers are identical.

The tests compare both on generated and on random instances.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import reduce
from math import gcd

import numpy as np
import numpy.typing as npt

from app.core.rules.isced import broad_field, narrow_field
from app.matching.rules.availability import MINUTES_PER_WEEK, zone_segments
from app.matching.rules.compatibility import PreparedClass, check_pair, prepare
from app.matching.rules.score import FULL_AVAILABILITY_MINUTES, points
from app.matching.rules.types import (
    ClassId,
    ClassProfile,
    MatchingOptions,
    Refusal,
    UnmatchedReason,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_LANGUAGE_SCORE = np.array([0.2, 0.5, 0.8, 1.0, 1.0, 1.0])  # as `score._LANGUAGE_SCORE`
_TIE_ORDER: tuple[UnmatchedReason, ...] = (
    "no_language_in_common",
    "no_time_in_common",
    "no_joint_term",
)
_NEVER = 1 << 40  # an overlap no period reaches, for the minimum over periods


@dataclass(frozen=True)
class PairGraph:
    """Compatible pairs as arrays over `ids` (sorted): `a[k] < b[k]`, sorted by (a, b), and
    their scores; `reasons` as in `compatibility_graph` (None for a class with a partner)."""

    ids: tuple[ClassId, ...]
    a: IntArray
    b: IntArray
    score: IntArray
    reasons: dict[ClassId, UnmatchedReason | None]

    def edges(self) -> list[tuple[ClassId, ClassId, int]]:
        ids = self.ids
        return [
            (ids[i], ids[j], s)
            for i, j, s in zip(self.a.tolist(), self.b.tolist(), self.score.tolist(), strict=True)
        ]


def _bits(mask: int, unit: int, target: int) -> npt.NDArray[np.float32]:
    """A week mask in `unit` minutes as 0/1 per `target` minutes (`target` divides `unit`)."""
    size = MINUTES_PER_WEEK // unit
    raw = np.frombuffer(mask.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    bits = np.unpackbits(raw, bitorder="little")[:size]
    return np.repeat(bits, unit // target).astype(np.float32)


class _Classes:
    """Per-class arrays, in id order."""

    def __init__(self, prepared: Sequence[PreparedClass]) -> None:
        self.prepared = prepared
        self.country = _codes([p.country for p in prepared])
        codes = sorted({code for p in prepared for code in p.language_set})
        self.rank = np.full((len(prepared), len(codes)), -1, dtype=np.int64)
        for i, p in enumerate(prepared):
            for code, rank in p.languages.items():
                self.rank[i, codes.index(code)] = rank
        self.speaks = (self.rank >= 0).astype(np.float32)
        self.first = np.array([p.first for p in prepared], dtype=np.int64)
        self.last = np.array([p.last for p in prepared], dtype=np.int64)
        fields = [p.profile.field for p in prepared]
        self.field = _codes(fields)
        self.narrow = _codes([narrow_field(f) for f in fields])
        self.broad = _codes([broad_field(f) for f in fields])
        self.eqf = np.array([p.profile.eqf_level for p in prepared], dtype=np.int64)
        self.age_min = np.array([p.profile.age_min for p in prepared], dtype=np.int64)
        self.age_max = np.array([p.profile.age_max for p in prepared], dtype=np.int64)
        self.learners = np.array([p.profile.learner_count for p in prepared], dtype=np.int64)
        self.unit = reduce(gcd, (p.unit for p in prepared))
        self.first_day = date.fromordinal(int(self.first.min()))
        self.last_day = date.fromordinal(int(self.last.max()))
        self._masks: dict[tuple[int, int], npt.NDArray[np.float32]] = {}

    def masks(self, rows: IntArray, offset: int) -> npt.NDArray[np.float32]:
        """The 0/1 UTC week of each class in `rows` (all of one zone) at one offset."""
        found = []
        for i in rows.tolist():
            key = (i, offset)
            if key not in self._masks:
                p = self.prepared[i]
                self._masks[key] = _bits(p.utc_mask(offset, 0b1111111, p.unit), p.unit, self.unit)
            found.append(self._masks[key])
        return np.stack(found)


def _codes(values: Sequence[str]) -> IntArray:
    index: dict[str, int] = {}
    return np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)


def _segments(zones: tuple[str, str], first: date, last: date) -> list[tuple[int, int, int, int]]:
    """(from, to, offset of the first zone, offset of the second) over [first, last], cut
    wherever either zone changes offset; the first segment starts at -inf, the last ends at
    +inf (a pair's periods are its joint term's intersections with them)."""
    schedules = [zone_segments(zone, first, last) for zone in zones]
    starts = sorted({start for schedule in schedules for start, _ in schedule})
    found = []
    for index, start in enumerate(starts):
        offsets = [
            next(offset for begin, offset in reversed(schedule) if begin <= start)
            for schedule in schedules
        ]
        low = -_NEVER if index == 0 else start
        high = starts[index + 1] - 1 if index + 1 < len(starts) else _NEVER
        found.append((low, high, offsets[0], offsets[1]))
    return found


def compatible_pairs(profiles: Sequence[ClassProfile], options: MatchingOptions) -> PairGraph:
    """Every compatible pair and its score, and every class's reason for having no partner:
    the same as `compatibility_graph(profiles, options)` (see the module)."""
    prepared = sorted((prepare(profile, options) for profile in profiles), key=lambda p: p.id)
    if any(x.id == y.id for x, y in itertools.pairwise(prepared)):
        raise ValueError("class ids must be unique")
    n = len(prepared)
    ids = tuple(p.id for p in prepared)
    counts = np.zeros((n, 3), dtype=np.int64)  # per class: refusals in `_TIE_ORDER`
    compared = np.zeros(n, dtype=np.int64)
    found: list[tuple[IntArray, IntArray, IntArray]] = []
    if n:
        classes = _Classes(prepared)
        by_zone: dict[str, list[int]] = {}
        for i, p in enumerate(prepared):
            by_zone.setdefault(p.zone, []).append(i)
        zones = sorted(by_zone)
        for x, zone_a in enumerate(zones):
            for zone_b in zones[x:]:
                rows = np.array(by_zone[zone_a], dtype=np.int64)
                cols = np.array(by_zone[zone_b], dtype=np.int64)
                block = _block(classes, rows, cols, (zone_a, zone_b), options, counts, compared)
                found.append(block)
    a = np.concatenate([f[0] for f in found]) if found else np.zeros(0, dtype=np.int64)
    b = np.concatenate([f[1] for f in found]) if found else np.zeros(0, dtype=np.int64)
    score = np.concatenate([f[2] for f in found]) if found else np.zeros(0, dtype=np.int64)
    order = np.lexsort((b, a))
    a, b, score = a[order], b[order], score[order]
    matched = np.zeros(n, dtype=bool)
    matched[a] = matched[b] = True
    per_country = Counter(p.country for p in prepared)
    reasons: dict[ClassId, UnmatchedReason | None] = {}
    for i, p in enumerate(prepared):
        others = n - per_country[p.country]
        if matched[i]:
            reasons[p.id] = None
        elif others == 0:
            reasons[p.id] = "no_partner_country"
        else:
            row = counts[i].tolist()
            row[0] += others - int(compared[i])
            reasons[p.id] = _TIE_ORDER[row.index(max(row))]
    return PairGraph(ids, a, b, score, {p.id: reasons[p.id] for p in profiles})


def _block(
    c: _Classes,
    rows: IntArray,
    cols: IntArray,
    zones: tuple[str, str],
    options: MatchingOptions,
    counts: IntArray,
    compared: IntArray,
) -> tuple[IntArray, IntArray, IntArray]:
    """The compatible pairs between two zones' classes (each pair once), counting refusals."""
    candidate = (c.country[rows][:, None] != c.country[cols][None, :]) & (
        c.speaks[rows] @ c.speaks[cols].T > 0
    )
    if zones[0] == zones[1]:
        candidate &= rows[:, None] < cols[None, :]
    first = np.maximum(c.first[rows][:, None], c.first[cols][None, :])
    last = np.minimum(c.last[rows][:, None], c.last[cols][None, :])
    term_ok = (last >= first) & (last - first + 1 >= 7 * options.min_joint_weeks)
    overlap = np.full(candidate.shape, _NEVER, dtype=np.int64)
    has_full = np.zeros(candidate.shape, dtype=bool)
    products: dict[tuple[int, int], IntArray] = {}
    for low, high, offset_a, offset_b in _segments(zones, c.first_day, c.last_day):
        start, end = np.maximum(first, low), np.minimum(last, high)
        full = end - start >= 6
        if not full.any():
            continue
        if (offset_a, offset_b) not in products:
            shared = c.masks(rows, offset_a) @ c.masks(cols, offset_b).T
            products[offset_a, offset_b] = np.rint(shared).astype(np.int64) * c.unit
        overlap = np.where(full, np.minimum(overlap, products[offset_a, offset_b]), overlap)
        has_full |= full
    time_ok = overlap >= options.min_overlap_minutes
    scalar = candidate & term_ok & ~has_full  # no full week in any period: the scalar path
    term_refused = candidate & ~term_ok
    time_refused = candidate & term_ok & has_full & ~time_ok
    passed = candidate & term_ok & has_full & time_ok
    for mask, slot in ((term_refused, 2), (time_refused, 1)):
        np.add.at(counts[:, slot], rows, mask.sum(axis=1))
        np.add.at(counts[:, slot], cols, mask.sum(axis=0))
    np.add.at(compared, rows, candidate.sum(axis=1))
    np.add.at(compared, cols, candidate.sum(axis=0))
    r, k = np.nonzero(passed)
    i, j = rows[r], cols[k]
    score = _scores(c, i, j, overlap[r, k], options)
    extra_i, extra_j, extra_score = [], [], []
    for x, y in zip(*np.nonzero(scalar), strict=True):
        p, q = c.prepared[int(rows[x])], c.prepared[int(cols[y])]
        result = check_pair(p, q, options)
        if isinstance(result, Refusal):
            slot = _TIE_ORDER.index(result.reason)
            counts[rows[x], slot] += 1
            counts[cols[y], slot] += 1
        else:
            extra_i.append(int(rows[x]))
            extra_j.append(int(cols[y]))
            extra_score.append(result.score)
    i = np.concatenate([i, np.array(extra_i, dtype=np.int64)])
    j = np.concatenate([j, np.array(extra_j, dtype=np.int64)])
    score = np.concatenate([score, np.array(extra_score, dtype=np.int64)])
    return np.minimum(i, j), np.maximum(i, j), score


def _scores(
    c: _Classes, i: IntArray, j: IntArray, overlap: IntArray, options: MatchingOptions
) -> IntArray:
    """`score.pair_score` for many pairs, operation for operation."""
    p_field, p_language, p_age, p_size, p_availability = points(options.weights)
    value = np.where(
        c.field[i] == c.field[j],
        1.0,
        np.where(c.narrow[i] == c.narrow[j], 0.7, np.where(c.broad[i] == c.broad[j], 0.4, 0.0)),
    )
    levels = np.abs(c.eqf[i] - c.eqf[j])
    value = np.where(levels != 0, value * np.maximum(0.0, 1.0 - 0.1 * levels), value)
    best = np.max(np.minimum(c.rank[i], c.rank[j]), axis=1) if len(i) else i
    shortest = np.minimum(c.age_max[i] - c.age_min[i], c.age_max[j] - c.age_min[j]) + 1
    common = np.minimum(c.age_max[i], c.age_max[j]) - np.maximum(c.age_min[i], c.age_min[j]) + 1
    ages = np.minimum(1.0, common / np.maximum(shortest, 1))
    age = np.where((shortest <= 0) | (common <= 0), 0.0, ages)
    smaller = np.minimum(c.learners[i], c.learners[j])
    larger = np.maximum(c.learners[i], c.learners[j])
    size = np.where(smaller > 0, smaller / np.maximum(larger, 1), 0.0)
    availability = np.minimum(1.0, overlap / FULL_AVAILABILITY_MINUTES)
    total = (
        value * p_field
        + _LANGUAGE_SCORE[best] * p_language
        + age * p_age
        + size * p_size
        + availability * p_availability
    )
    return np.minimum(1000, np.rint(total)).astype(np.int64)
