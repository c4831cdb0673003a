"""API shapes of mobility (CONTRACT.md, "Mobility (physical and blended)")."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from app.classes.schemas import CefrLevel
from app.core.schemas import CountryCode, Input, LanguageCode, Output
from app.mobility.rules.checklist import Owner
from app.mobility.rules.status import Kind, Status

Severity = Literal["low", "medium", "high"]


class Placement(Input):
    company: str = Field(min_length=1, max_length=200)
    sector: str | None = Field(default=None, max_length=120)


class HostingLanguage(Input):
    code: LanguageCode
    level: CefrLevel


class HostingLocation(Input):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Hosting(Input):
    """What a learner's stay with a host family needs (docs/hosting.md): `languages` the
    learner speaks, `preferences` (`children`, `no_children`, `pets`, `no_pets`) and the
    placement's `location` weigh in the host matching's score."""

    needed: bool = False
    diet: list[str] = Field(default_factory=list, max_length=10)
    allergies: list[str] = Field(default_factory=list, max_length=10)
    non_smoking: bool = False
    languages: list[HostingLanguage] = Field(default_factory=list, max_length=10)
    preferences: list[Literal["children", "no_children", "pets", "no_pets"]] = Field(
        default_factory=list, max_length=4
    )
    location: HostingLocation | None = None


class MobilityCreate(Input):
    learner_id: uuid.UUID
    sending_organisation_id: uuid.UUID
    receiving_organisation_id: uuid.UUID
    kind: Kind
    exchange_id: uuid.UUID | None = Field(
        default=None, description="The exchange that is a blended mobility's virtual component"
    )
    starts_on: date
    ends_on: date
    city: str = Field(min_length=1, max_length=120)
    country: CountryCode
    placement: Placement
    sending_tutor_id: uuid.UUID
    receiving_tutor_id: uuid.UUID | None = None
    checkin_every_days: int = Field(default=7, ge=1, le=60)
    hosting: Hosting | None = None
    emergency_phone: str | None = Field(
        default=None, max_length=40, description="The receiving school's emergency number"
    )

    @model_validator(mode="after")
    def _dates(self) -> MobilityCreate:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class MobilityUpdate(Input):
    starts_on: date | None = None
    ends_on: date | None = None
    city: str | None = Field(default=None, min_length=1, max_length=120)
    country: CountryCode | None = None
    placement: Placement | None = None
    receiving_tutor_id: uuid.UUID | None = None
    checkin_every_days: int | None = Field(default=None, ge=1, le=60)
    hosting: Hosting | None = None
    emergency_phone: str | None = Field(default=None, max_length=40)


class StatusChange(Input):
    status: Status
    reason: str | None = Field(default=None, max_length=500)


class Progress(BaseModel):
    done: int
    total: int


class PlacementPublic(BaseModel):
    company: str
    sector: str | None


class MobilityPublic(BaseModel):
    id: uuid.UUID
    learner_id: uuid.UUID
    learner_name: str
    sending_organisation_id: uuid.UUID
    receiving_organisation_id: uuid.UUID
    kind: str
    exchange_id: uuid.UUID | None
    starts_on: date
    ends_on: date
    city: str
    country: str
    placement: PlacementPublic
    sending_tutor_id: uuid.UUID | None
    receiving_tutor_id: uuid.UUID | None
    checkin_every_days: int
    hosting: dict[str, Any] | None
    emergency_phone: str | None
    status: str
    status_reason: str | None
    next_checkin_at: datetime | None
    checklist: Progress
    created_at: datetime
    updated_at: datetime


class MobilityPage(BaseModel):
    items: list[MobilityPublic]
    total: int


# --- checklists ------------------------------------------------------------------------------


class TemplateItemIn(Input):
    title: str = Field(min_length=1, max_length=200)
    owner: Owner
    days_before_start: int = Field(ge=-365, le=365)


class ChecklistTemplateIn(Input):
    items: list[TemplateItemIn] = Field(max_length=50)


class ChecklistTemplatePublic(BaseModel):
    organisation_id: uuid.UUID
    default: bool = Field(description="True while the school uses the default template")
    items: list[TemplateItemIn]


class ChecklistItemCreate(Input):
    title: str = Field(min_length=1, max_length=200)
    owner: Owner
    due_on: date


class ChecklistItemPublic(Output):
    id: uuid.UUID
    title: str
    owner: str
    due_on: date
    done_at: datetime | None
    done_by: uuid.UUID | None


class ChecklistPublic(BaseModel):
    mobility_id: uuid.UUID
    done: int
    total: int
    items: list[ChecklistItemPublic]


# --- check-ins and incidents -----------------------------------------------------------------


class CheckinCreate(Input):
    due_at: datetime


class CheckinAnswer(Input):
    wellbeing: int = Field(ge=1, le=5)
    placement_ok: bool
    note: str | None = Field(default=None, max_length=2000)
    share_with_guardian: bool = False


class CheckinPublic(BaseModel):
    id: uuid.UUID
    due_at: datetime
    status: Literal["due", "answered", "missed"]
    answered_at: datetime | None
    wellbeing: int | None
    placement_ok: bool | None
    note: str | None = Field(description="The learner and tutors; a guardian only if shared")
    share_with_guardian: bool


class CheckinList(BaseModel):
    items: list[CheckinPublic]


class IncidentCreate(Input):
    severity: Severity
    description: str = Field(min_length=1, max_length=4000)


class IncidentPublic(Output):
    id: uuid.UUID
    mobility_id: uuid.UUID
    severity: str
    description: str
    reported_by: uuid.UUID | None
    created_at: datetime


class IncidentList(BaseModel):
    items: list[IncidentPublic]


# --- follow-up -------------------------------------------------------------------------------


class OutcomeUnit(Input):
    title: str = Field(min_length=1, max_length=200)
    achieved: bool
    comment: str | None = Field(default=None, max_length=1000)


class OutcomesIn(Input):
    units: list[OutcomeUnit] = Field(min_length=1, max_length=50)


class OutcomesPublic(BaseModel):
    mobility_id: uuid.UUID
    units: list[OutcomeUnit]
    recorded_at: datetime


class ReflectionIn(Input):
    text: str = Field(min_length=1, max_length=4000)
    skills: list[str] = Field(default_factory=list, max_length=20)


class ReflectionPublic(BaseModel):
    mobility_id: uuid.UUID
    text: str
    skills: list[str]
    answered_at: datetime
