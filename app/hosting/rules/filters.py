"""The hard filters: a family is proposed for a stay only if it passes every one of them.

Each filter has its place in `REASONS`; `refusal` answers the first one a pair fails, so
a mobility no family fits is explained by the filter the nearest family failed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from app.hosting.rules.types import (
    REASONS,
    Booking,
    Family,
    FamilyId,
    MobilityId,
    Need,
    UnmatchedReason,
    nights,
)

Load = Mapping[FamilyId, Counter[int]]


def pet_word(word: str) -> str:
    """`Cats`, `cat` and `cat ` are one animal (allergies are written in the plural, pets
    in the singular)."""
    word = word.strip().lower()
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def booked_load(bookings: Iterable[Booking]) -> dict[FamilyId, Counter[int]]:
    """Rooms already taken, per family and night."""
    load: dict[FamilyId, Counter[int]] = defaultdict(Counter)
    for booking in bookings:
        load[booking.family_id].update(nights(booking.starts_on, booking.ends_on))
    return load


def available_for(family: Family, need: Need) -> bool:
    return any(w.first <= need.starts_on and need.ends_on <= w.last for w in family.available)


def vetted_for(family: Family, need: Need) -> bool:
    return family.approved and (family.valid_until is None or need.ends_on <= family.valid_until)


def has_room(family: Family, need: Need, load: Load) -> bool:
    taken = load.get(family.id)
    if not taken:
        return family.rooms >= 1
    return all(taken[n] < family.rooms for n in nights(need.starts_on, need.ends_on))


def refusal(
    need: Need,
    family: Family,
    load: Load,
    declined: frozenset[tuple[MobilityId, FamilyId]] = frozenset(),
) -> UnmatchedReason | None:
    """The first hard filter `family` fails for `need`, or None when it passes them all."""
    if family.city.casefold() != need.city.casefold():
        return "no_family_in_city"
    if not vetted_for(family, need):
        return "no_vetted_family"
    if not available_for(family, need):
        return "no_family_for_dates"
    if not need.diet <= family.diets:
        return "no_family_for_diet"
    if need.allergies and {pet_word(a) for a in need.allergies} & {
        pet_word(p) for p in family.pets
    }:
        return "no_family_for_allergies"
    if need.non_smoking and family.smoking:
        return "no_non_smoking_family"
    if (need.id, family.id) in declined:
        return "declined_before"
    if not has_room(family, need, load):
        return "no_capacity_for_dates"
    return None


def nearest_reason(reasons: Iterable[UnmatchedReason | None]) -> UnmatchedReason:
    """Why no family fits: the filter that stopped the family that got furthest."""
    got = [REASONS.index(r) for r in reasons if r is not None]
    return REASONS[max(got)] if got else REASONS[0]
