"""The shapes the matching code takes and gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Literal

ClassId = str

SCORE_SCALE = 1000  # the engine scores in integer thousandths; the API reports 0-1


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1
    level: str  # CEFR A1..C2


@dataclass(frozen=True)
class Window:
    """A weekly window in the class's local time (Monday = 0); `end` may be `time.max`."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class ClassProfile:
    id: ClassId
    organisation_id: str
    country: str  # ISO 3166-1 alpha-2
    timezone: str  # IANA
    field: str  # ISCED-F 2013 four-digit code
    eqf_level: int
    learner_count: int
    age_min: int
    age_max: int
    languages: tuple[Language, ...]
    availability: tuple[Window, ...]
    term_start: date
    term_end: date


@dataclass(frozen=True)
class Weights:
    """Relative weights of the score's criteria (they need not sum to anything)."""

    field: int = 35
    language: int = 25
    age: int = 10
    size: int = 10
    availability: int = 20


@dataclass(frozen=True)
class MatchingOptions:
    min_language_level: str = "A2"
    min_overlap_minutes: int = 60
    min_joint_weeks: int = 6
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True)
class CommonWindow:
    """A weekly window the classes share, in UTC (weekday of the UTC date, Monday = 0),
    holding on every date of its weekday from `valid_from` to `valid_to` (one DST period)."""

    weekday: int
    start_utc: time
    end_utc: time
    valid_from: date
    valid_to: date


UnmatchedReason = Literal[
    "no_language_in_common",
    "no_time_in_common",
    "no_joint_term",
    "no_partner_country",
    "not_selected",
]


@dataclass(frozen=True)
class Compatibility:
    """Two classes that pass every hard filter, their score 0-1000 and why."""

    a: ClassId
    b: ClassId
    score: int
    breakdown: dict[str, int]  # criterion -> points
    shared_languages: tuple[str, ...]
    overlap_minutes: int  # the smallest weekly overlap over the joint term's DST periods
    common_windows: tuple[CommonWindow, ...]


@dataclass(frozen=True)
class Refusal:
    a: ClassId
    b: ClassId
    reason: UnmatchedReason


@dataclass(frozen=True)
class GroupCompatibility:
    """Three or four classes that pass every hard filter together, pairwise and as a group.

    `score` and `breakdown` are the means over the member pairs; the languages, overlap and
    windows are those common to all members."""

    members: tuple[ClassId, ...]  # sorted by id
    score: int
    breakdown: dict[str, int]  # criterion -> points
    shared_languages: tuple[str, ...]
    overlap_minutes: int
    common_windows: tuple[CommonWindow, ...]
