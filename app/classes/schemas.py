from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator, model_validator

from app.classes.rules import WeeklyWindow, overlapping_pairs, parse_hhmm
from app.core.rules.isced import is_detailed_field
from app.core.schemas import Input, LanguageCode, Output

CefrLevel = Literal["A1", "A2", "B1", "B2", "C1", "C2"]


class Language(Input):
    code: LanguageCode
    level: CefrLevel


class AvailabilityWindow(Input):
    weekday: int = Field(ge=0, le=6, description="Monday = 0")
    start: str = Field(examples=["09:00"])
    end: str = Field(examples=["11:00"])

    @model_validator(mode="after")
    def _well_formed(self) -> AvailabilityWindow:
        if self.window().start >= self.window().end:
            raise ValueError("start must be before end")
        return self

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        parse_hhmm(value)
        return value

    def window(self) -> WeeklyWindow:
        return WeeklyWindow(self.weekday, parse_hhmm(self.start), parse_hhmm(self.end))


def _check_field(value: str) -> str:
    if not is_detailed_field(value):
        raise ValueError("not an ISCED-F 2013 detailed field code (e.g. 1013)")
    return value


def _check_languages(value: list[Language]) -> list[Language]:
    if len({lang.code for lang in value}) != len(value):
        raise ValueError("each language may appear once")
    return value


def _check_availability(value: list[AvailabilityWindow]) -> list[AvailabilityWindow]:
    clashes = overlapping_pairs([w.window() for w in value])
    if clashes:
        first, second = clashes[0]
        raise ValueError(
            f"windows overlap on weekday {first.weekday}: "
            f"{first.start:%H:%M}-{first.end:%H:%M} and {second.start:%H:%M}-{second.end:%H:%M}"
        )
    return value


FieldCode = Annotated[
    str,
    AfterValidator(_check_field),
    Field(description="ISCED-F 2013 detailed field, four digits", examples=["1013"]),
]
Languages = Annotated[
    list[Language], AfterValidator(_check_languages), Field(min_length=1, max_length=10)
]
Availability = Annotated[
    list[AvailabilityWindow], AfterValidator(_check_availability), Field(max_length=50)
]


class ClassFields(Input):
    name: str = Field(min_length=1, max_length=200)
    field: FieldCode
    eqf_level: int = Field(ge=1, le=8)
    learner_count: int = Field(ge=1, le=500)
    age_min: int = Field(ge=10, le=99)
    age_max: int = Field(ge=10, le=99)
    languages: Languages
    availability: Availability = []
    term_start: date
    term_end: date
    open_for_matching: bool = True

    @model_validator(mode="after")
    def _ranges(self) -> ClassFields:
        if self.age_min > self.age_max:
            raise ValueError("age_min must not exceed age_max")
        if self.term_start >= self.term_end:
            raise ValueError("term_start must be before term_end")
        return self


class ClassCreate(ClassFields):
    organisation_id: uuid.UUID | None = None
    teacher_ids: list[uuid.UUID] | None = Field(default=None, max_length=10)


class ClassUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    field: FieldCode | None = None
    eqf_level: int | None = Field(default=None, ge=1, le=8)
    learner_count: int | None = Field(default=None, ge=1, le=500)
    age_min: int | None = Field(default=None, ge=10, le=99)
    age_max: int | None = Field(default=None, ge=10, le=99)
    languages: Languages | None = None
    availability: Availability | None = None
    term_start: date | None = None
    term_end: date | None = None
    open_for_matching: bool | None = None
    organisation_id: uuid.UUID | None = None
    teacher_ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=10)


class PersonName(BaseModel):
    id: uuid.UUID
    display_name: str


class ClassPublic(Output):
    id: uuid.UUID
    name: str
    organisation_id: uuid.UUID
    teacher_ids: list[uuid.UUID]
    teachers: list[PersonName] = Field(default_factory=list, description="`teacher_ids`, named")
    field: str
    eqf_level: int
    learner_count: int
    age_min: int
    age_max: int
    languages: list[dict[str, Any]]
    availability: list[dict[str, Any]]
    term_start: date
    term_end: date
    open_for_matching: bool
    created_at: datetime


class RosterUpdate(Input):
    learner_ids: list[uuid.UUID] = Field(max_length=500)


class RosterPublic(Output):
    class_id: uuid.UUID
    learner_ids: list[uuid.UUID]
    learners: list[PersonName] = Field(default_factory=list, description="`learner_ids`, named")
