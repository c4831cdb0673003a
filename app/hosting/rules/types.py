"""The host-matching problem as plain data: what a learner's stay needs, what a family
offers, the capacity already booked, and what a run answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

FamilyId = str
MobilityId = str

# Why a mobility was left without a family, in the order the filters apply (`REASONS[i]`
# is the reason when no family gets past filter i); `no_capacity_for_dates` also when every
# family that fits was given to other learners of the run.
UnmatchedReason = Literal[
    "no_family_in_city",
    "no_vetted_family",
    "no_family_for_dates",
    "no_family_for_diet",
    "no_family_for_allergies",
    "no_non_smoking_family",
    "declined_before",
    "no_capacity_for_dates",
]
REASONS: Final[tuple[UnmatchedReason, ...]] = (
    "no_family_in_city",
    "no_vetted_family",
    "no_family_for_dates",
    "no_family_for_diet",
    "no_family_for_allergies",
    "no_non_smoking_family",
    "declined_before",
    "no_capacity_for_dates",
)
PREFERENCES: Final = ("children", "no_children", "pets", "no_pets")


@dataclass(frozen=True)
class Language:
    code: str
    level: int  # 0 (A1) .. 5 (C2)


@dataclass(frozen=True)
class Window:
    """Days a family can host, both included."""

    first: date
    last: date


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Family:
    id: FamilyId
    city: str
    rooms: int
    available: tuple[Window, ...]
    approved: bool = True
    valid_until: date | None = None
    languages: tuple[Language, ...] = ()
    pets: frozenset[str] = frozenset()
    smoking: bool = False
    diets: frozenset[str] = frozenset()
    children: int = 0
    location: Point | None = None
    max_drive_km: float | None = None


@dataclass(frozen=True)
class Need:
    """A mobility that needs hosting: its stay (nights `starts_on` to the night before
    `ends_on`) and the learner's constraints."""

    id: MobilityId
    city: str
    starts_on: date
    ends_on: date
    diet: frozenset[str] = frozenset()
    allergies: frozenset[str] = frozenset()
    non_smoking: bool = False
    languages: tuple[Language, ...] = ()
    preferences: frozenset[str] = frozenset()
    placement: Point | None = None  # where the learner works


@dataclass(frozen=True)
class Booking:
    """A room already taken (a proposed or accepted placement) for these dates."""

    family_id: FamilyId
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Instance:
    needs: tuple[Need, ...]
    families: tuple[Family, ...]
    bookings: tuple[Booking, ...] = ()
    declined: frozenset[tuple[MobilityId, FamilyId]] = frozenset()
    top_k: int = 20
    time_limit_s: float = 8.0


@dataclass(frozen=True)
class Proposal:
    mobility_id: MobilityId
    family_id: FamilyId
    score: int  # 0..1000
    breakdown: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    proposals: list[Proposal]
    unmatched: list[tuple[MobilityId, UnmatchedReason]]
    objective: int  # the sum of the placements' weights (see `scoring.weight`)
    optimal: bool  # proven optimal over the candidate pairs
    candidates: int  # candidate pairs the model was built from


def nights(starts_on: date, ends_on: date) -> range:
    """The nights of a stay as day ordinals: arrival night to the night before departure
    (a same-day stay counts its one night)."""
    first = starts_on.toordinal()
    return range(first, max(ends_on.toordinal(), first + 1))
