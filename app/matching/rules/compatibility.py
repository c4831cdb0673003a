"""Which classes can be paired (or grouped), and how well: hard filters, then a 0-1000 score.

Hard filters, checked cheapest first; the first that fails names the refusal:

1. `no_partner_country`: both classes are from the same country.
2. `no_language_in_common`: no language both hold at `options.min_language_level` or better.
3. `no_joint_term`: the intersection of their terms (inclusive dates) is shorter than
   `options.min_joint_weeks` weeks of 7 days.
4. `no_time_in_common`: a DST period of the joint term has less than
   `options.min_overlap_minutes` of weekly overlap.

DST periods. The joint term is cut wherever the UTC offset of either class's time zone changes,
as `zoneinfo` says (a date takes the offset in force at its local noon, see `availability`), so
any IANA zone works, with or without DST and whatever its change dates: Paris and Helsinki
change on the same dates and give no extra cut, Paris and New York give two cuts a spring.
In each period both classes' windows are rotated into UTC minute-of-week masks at that period's
offsets and intersected. A period shorter than seven days only uses the windows of the weekdays
it contains. The rule: the filter and `overlap_minutes` (the smallest weekly overlap) consider
only the periods holding at least one full week (7 days or more), so a joint term that starts
three days before a change is not refused over those three days; if no period holds a full week
(several changes in a short term) every period counts. `common_windows` lists the intersections
of every period, short ones included, in period order.

Score: see `score`. A pair's result names the two classes in id order, whichever way round they
were given. A class prepared with one `MatchingOptions` must be checked with the same options.
"""

from __future__ import annotations

import gc
import itertools
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from math import gcd

from app.core.rules.codes import cefr_rank
from app.matching.rules.availability import (
    ALL_WEEKDAYS,
    coarsest_unit,
    common_windows,
    local_day_masks,
    to_utc,
    weekdays_mask,
    window_minutes,
    zone_periods,
    zone_segments,
)
from app.matching.rules.score import mean_score, pair_score
from app.matching.rules.types import (
    ClassId,
    ClassProfile,
    CommonWindow,
    Compatibility,
    GroupCompatibility,
    MatchingOptions,
    Refusal,
    UnmatchedReason,
)

_TIE_ORDER: tuple[UnmatchedReason, ...] = (
    "no_language_in_common",
    "no_time_in_common",
    "no_joint_term",
)

Span = tuple[int, int, tuple[int, ...]]  # first and last ordinal, the offset of each zone


@dataclass(frozen=True, eq=False, slots=True)
class PreparedClass:
    """A class with everything `check_pair` needs worked out once (see `prepare`)."""

    profile: ClassProfile
    id: ClassId
    country: str
    languages: dict[str, int]  # code -> CEFR rank, only languages at the minimum level or above
    language_set: frozenset[str]
    first: int  # term start, as a date ordinal
    last: int  # term end, as a date ordinal
    zone: str
    first_year: int
    last_year: int
    windows: tuple[tuple[int, int], ...]  # local week minutes, half-open
    unit: int  # minutes per mask bit: divides every window bound and zone offset
    any_offset_mask: int  # UTC week mask (in `unit`) of the time free at one offset or another
    full_weeks: dict[int, int]  # offset -> UTC week mask in `unit`, every weekday
    day_masks: dict[int, tuple[int, ...]] = field(default_factory=dict)  # unit -> per weekday
    utc_masks: dict[tuple[int, int, int], int] = field(default_factory=dict)

    def utc_mask(self, offset: int, weekdays: int, unit: int) -> int:
        """The class's availability as a UTC week mask with one bit per `unit` minutes (a
        divisor of `self.unit`), at one UTC offset, keeping the weekdays set in `weekdays`."""
        key = (offset, weekdays, unit)
        mask = self.utc_masks.get(key)
        if mask is None:
            days = self.day_masks.get(unit)
            if days is None:
                days = self.day_masks[unit] = local_day_masks(self.windows, unit)
            local = 0
            for day in range(7):
                if weekdays >> day & 1:
                    local |= days[day]
            mask = self.utc_masks[key] = to_utc(local, offset, unit)
        return mask


def prepare(profile: ClassProfile, options: MatchingOptions) -> PreparedClass:
    """Work out once what every `check_pair` of this class needs: its qualifying languages,
    its term as ordinals, its zone's offsets and its week masks in UTC for each of them."""
    minimum = cefr_rank(options.min_language_level)
    languages: dict[str, int] = {}
    for language in profile.languages:
        rank = cefr_rank(language.level)
        if rank >= minimum and rank > languages.get(language.code, -1):
            languages[language.code] = rank
    first_year, last_year = profile.term_start.year, profile.term_end.year
    year_range = zone_segments(profile.timezone, date(first_year, 1, 1), date(last_year, 12, 31))
    offsets = {offset for _, offset in year_range}
    windows = window_minutes(profile.availability)
    unit = coarsest_unit([*offsets, *itertools.chain.from_iterable(windows)])
    days = local_day_masks(windows, unit)
    week = 0
    for day in days:
        week |= day
    full_weeks = {offset: to_utc(week, offset, unit) for offset in offsets}
    any_offset_mask = 0
    for mask in full_weeks.values():
        any_offset_mask |= mask
    return PreparedClass(
        profile=profile,
        id=profile.id,
        country=profile.country,
        languages=languages,
        language_set=frozenset(languages),
        first=profile.term_start.toordinal(),
        last=profile.term_end.toordinal(),
        zone=profile.timezone,
        first_year=first_year,
        last_year=last_year,
        windows=windows,
        unit=unit,
        any_offset_mask=any_offset_mask,
        full_weeks=full_weeks,
        day_masks={unit: days},
        utc_masks={(offset, ALL_WEEKDAYS, unit): mask for offset, mask in full_weeks.items()},
    )


def _mask(members: Sequence[PreparedClass], unit: int, span: Span) -> int:
    """The time all members share in one period, as a UTC week mask in `unit`."""
    start, end, offsets = span
    weekdays = weekdays_mask(start, end)
    mask = -1
    for member, offset in zip(members, offsets, strict=True):
        mask &= member.utc_mask(offset, weekdays, unit)
    return mask


def _overlap(
    members: Sequence[PreparedClass], unit: int, spans: Sequence[Span], min_overlap: int
) -> int | None:
    """The smallest weekly overlap of the counted periods, or None when one has too little."""
    full_weeks = [span for span in spans if span[1] - span[0] >= 6]
    overlap = min(_mask(members, unit, span).bit_count() for span in full_weeks or spans) * unit
    return overlap if overlap >= min_overlap else None


def _windows(
    members: Sequence[PreparedClass],
    unit: int,
    spans: Sequence[Span],
    masks: Sequence[int | None] = (),
) -> tuple[CommonWindow, ...]:
    """The common windows of every period; `masks` may hold those already worked out."""
    found: tuple[CommonWindow, ...] = ()
    for index, span in enumerate(spans):
        mask = masks[index] if index < len(masks) else None
        if mask is None:
            mask = _mask(members, unit, span)
        found += common_windows(mask, unit, span[0], span[1])
    return found


def _pair(
    a: PreparedClass, b: PreparedClass, options: MatchingOptions
) -> Refusal | tuple[int, int, Sequence[Span], list[int | None]]:
    """The filters for `a` < `b`: a refusal, or the overlap, the mask unit, the periods and
    the common masks of the full-week periods (None for the others)."""
    if a.country == b.country:
        return Refusal(a.id, b.id, "no_partner_country")
    if a.language_set.isdisjoint(b.language_set):
        return Refusal(a.id, b.id, "no_language_in_common")
    first = a.first if a.first > b.first else b.first
    last = a.last if a.last < b.last else b.last
    if last < first or last - first + 1 < 7 * options.min_joint_weeks:
        return Refusal(a.id, b.id, "no_joint_term")
    min_overlap = options.min_overlap_minutes
    same_unit = a.unit == b.unit
    if same_unit and (a.any_offset_mask & b.any_offset_mask).bit_count() * a.unit < min_overlap:
        # too little in common even taking each class at whichever offset suits
        return Refusal(a.id, b.id, "no_time_in_common")
    spans = zone_periods(
        (a.zone, b.zone),
        first,
        last,
        a.first_year if a.first_year > b.first_year else b.first_year,
        a.last_year if a.last_year < b.last_year else b.last_year,
    )
    unit = a.unit if same_unit else gcd(a.unit, b.unit)
    overlap = -1
    masks: list[int | None] = []
    for start, end, (offset_a, offset_b) in spans:  # `_overlap` unrolled for the usual case
        if end - start < 6:
            masks.append(None)
            continue
        if same_unit:
            mask = a.full_weeks[offset_a] & b.full_weeks[offset_b]
        else:
            mask = a.utc_mask(offset_a, ALL_WEEKDAYS, unit)
            mask &= b.utc_mask(offset_b, ALL_WEEKDAYS, unit)
        minutes = mask.bit_count() * unit
        if minutes < min_overlap:
            return Refusal(a.id, b.id, "no_time_in_common")
        if overlap < 0 or minutes < overlap:
            overlap = minutes
        masks.append(mask)
    if overlap < 0:
        found = _overlap((a, b), unit, spans, min_overlap)
        if found is None:
            return Refusal(a.id, b.id, "no_time_in_common")
        overlap = found
    return overlap, unit, spans, masks


def _pair_score(
    a: PreparedClass, b: PreparedClass, overlap: int, options: MatchingOptions
) -> tuple[int, dict[str, int], tuple[str, ...]]:
    shared = a.language_set & b.language_set
    if len(shared) == 1:
        (code,) = shared
        languages: tuple[str, ...] = (code,)
        best = min(a.languages[code], b.languages[code])
    else:
        languages = tuple(sorted(shared))
        best = max(min(a.languages[code], b.languages[code]) for code in shared)
    score, breakdown = pair_score(a.profile, b.profile, best, overlap, options.weights)
    return score, breakdown, languages


def check_pair(
    a: PreparedClass, b: PreparedClass, options: MatchingOptions
) -> Compatibility | Refusal:
    """Whether two classes can be paired: their compatibility, or the first filter they fail."""
    if b.id < a.id:
        a, b = b, a
    checked = _pair(a, b, options)
    if isinstance(checked, Refusal):
        return checked
    overlap, unit, spans, masks = checked
    score, breakdown, languages = _pair_score(a, b, overlap, options)
    return Compatibility(
        a=a.id,
        b=b.id,
        score=score,
        breakdown=breakdown,
        shared_languages=languages,
        overlap_minutes=overlap,
        common_windows=_windows((a, b), unit, spans, masks),
    )


def compatibility_graph(
    profiles: Sequence[ClassProfile], options: MatchingOptions
) -> tuple[list[Compatibility], dict[ClassId, UnmatchedReason | None]]:
    """Every compatible pair (`a` < `b`, sorted), and for every class the reason it has no
    partner at all, or None when it has one.

    Only classes sharing a qualifying language are compared (bucketed by language); the other
    pairs of different countries count as `no_language_in_common`. The reason of a class with
    no partner is `no_partner_country` when every other class is from its country, else its
    most frequent refusal, ties going to no_language_in_common, then no_time_in_common, then
    no_joint_term.
    """
    with _gc_paused():
        return _graph(profiles, options)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building ~10^5 result objects that are never garbage
    otherwise sets off collection after collection (about a third of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _graph(
    profiles: Sequence[ClassProfile], options: MatchingOptions
) -> tuple[list[Compatibility], dict[ClassId, UnmatchedReason | None]]:
    prepared = sorted((prepare(profile, options) for profile in profiles), key=lambda p: p.id)
    if any(x.id == y.id for x, y in itertools.pairwise(prepared)):
        raise ValueError("class ids must be unique")
    buckets: dict[str, list[int]] = {}
    for index, item in enumerate(prepared):
        for code in item.language_set:
            buckets.setdefault(code, []).append(index)
    slot = {reason: index for index, reason in enumerate(_TIE_ORDER)}
    refused = [[0, 0, 0] for _ in prepared]  # per class, counts in `_TIE_ORDER`
    compared = [0] * len(prepared)
    matched = [False] * len(prepared)
    found: list[Compatibility] = []
    for i, a in enumerate(prepared):
        later = [buckets[code][bisect_left(buckets[code], i + 1) :] for code in a.language_set]
        if len(later) == 1:
            partners = later[0]
        else:
            partners = sorted(set(itertools.chain.from_iterable(later)))
        for j in partners:
            b = prepared[j]
            if b.country == a.country:
                continue
            compared[i] += 1
            compared[j] += 1
            result = check_pair(a, b, options)
            if isinstance(result, Refusal):
                refused[i][slot[result.reason]] += 1
                refused[j][slot[result.reason]] += 1
            else:
                matched[i] = matched[j] = True
                found.append(result)
    per_country = Counter(p.country for p in prepared)
    reasons: dict[ClassId, UnmatchedReason | None] = {}
    for i, item in enumerate(prepared):
        others = len(prepared) - per_country[item.country]
        if matched[i]:
            reasons[item.id] = None
        elif others == 0:
            reasons[item.id] = "no_partner_country"
        else:
            counts = refused[i]
            counts[0] += others - compared[i]
            reasons[item.id] = _TIE_ORDER[counts.index(max(counts))]
    return found, {profile.id: reasons[profile.id] for profile in profiles}


def group_check(
    members: Sequence[PreparedClass], options: MatchingOptions
) -> GroupCompatibility | Refusal:
    """Whether three or four classes can work together as one group.

    Every pair must be compatible (else the first failing pair's refusal, pairs in id order),
    and the group as a whole must share a language, a joint term and enough time in every
    counted period (a group-wide refusal names the two lowest ids). The score and breakdown
    are the means over the pairs, see `score.mean_score`; the languages, overlap and windows
    are those of the whole group.
    """
    ordered = sorted(members, key=lambda m: m.id)
    if len(ordered) < 2 or any(x.id == y.id for x, y in itertools.pairwise(ordered)):
        raise ValueError("a group needs at least two distinct classes")
    breakdowns: list[dict[str, int]] = []
    for a, b in itertools.combinations(ordered, 2):
        checked = _pair(a, b, options)
        if isinstance(checked, Refusal):
            return checked
        breakdowns.append(_pair_score(a, b, checked[0], options)[1])
    ids = tuple(m.id for m in ordered)
    shared = frozenset.intersection(*(m.language_set for m in ordered))
    if not shared:
        return Refusal(ids[0], ids[1], "no_language_in_common")
    first, last = max(m.first for m in ordered), min(m.last for m in ordered)
    if last < first or last - first + 1 < 7 * options.min_joint_weeks:
        return Refusal(ids[0], ids[1], "no_joint_term")
    spans = zone_periods(
        tuple(m.zone for m in ordered),
        first,
        last,
        max(m.first_year for m in ordered),
        min(m.last_year for m in ordered),
    )
    unit = gcd(*(m.unit for m in ordered))
    overlap = _overlap(ordered, unit, spans, options.min_overlap_minutes)
    if overlap is None:
        return Refusal(ids[0], ids[1], "no_time_in_common")
    score, breakdown = mean_score(breakdowns)
    return GroupCompatibility(
        members=ids,
        score=score,
        breakdown=breakdown,
        shared_languages=tuple(sorted(shared)),
        overlap_minutes=overlap,
        common_windows=_windows(ordered, unit, spans),
    )
