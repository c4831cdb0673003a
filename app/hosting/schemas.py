"""API shapes of host families (CONTRACT.md, "Host families")."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, EmailStr, Field, model_validator

from app.classes.schemas import CefrLevel
from app.core.schemas import Input, LanguageCode
from app.mobility.schemas import HostingLanguage

Diet = Literal["vegetarian", "vegan", "halal", "kosher", "gluten_free", "lactose_free"]
VettingStatus = Literal["pending", "approved", "rejected", "expired"]
PlacementStatus = Literal["proposed", "accepted", "declined"]


class Location(BaseModel):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class LocationIn(Input, Location):
    pass


class FamilyLanguage(Input):
    code: LanguageCode
    level: CefrLevel


class Household(Input):
    adults: int = Field(ge=1, le=12)
    children: int = Field(default=0, ge=0, le=12)


class Period(Input):
    from_: date = Field(alias="from")
    to: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.to < self.from_:
            raise ValueError("`to` must not be before `from`")
        return self


class HostFamilyUpdate(Input):
    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    city: str | None = Field(default=None, min_length=1, max_length=120)
    area: str | None = Field(default=None, max_length=120)
    location: LocationIn | None = None
    languages: list[FamilyLanguage] | None = Field(default=None, max_length=10)
    household: Household | None = None
    pets: list[str] | None = Field(default=None, max_length=10)
    smoking: bool | None = None
    diets: list[Diet] | None = None
    rooms: int | None = Field(default=None, ge=1, le=10)
    available: list[Period] | None = Field(default=None, max_length=20)
    max_drive_km: float | None = Field(default=None, ge=0, le=200)


class HostFamilyCreate(Input):
    organisation_id: uuid.UUID
    display_name: str = Field(min_length=1, max_length=120)
    city: str = Field(min_length=1, max_length=120)
    area: str | None = Field(default=None, max_length=120)
    location: LocationIn | None = None
    languages: list[FamilyLanguage] = Field(default_factory=list, max_length=10)
    household: Household
    pets: list[str] = Field(default_factory=list, max_length=10)
    smoking: bool = False
    diets: list[Diet] = Field(default_factory=list)
    rooms: int = Field(default=1, ge=1, le=10)
    available: list[Period] = Field(default_factory=list, max_length=20)
    max_drive_km: float | None = Field(
        default=None, ge=0, le=200, description="How far the family drives the learner (km)"
    )


class Vetting(BaseModel):
    status: str
    checked_on: date | None
    valid_until: date | None
    note: str | None


class HouseholdPublic(BaseModel):
    adults: int
    children: int


class HostFamilyPublic(BaseModel):
    id: uuid.UUID
    organisation_id: uuid.UUID
    display_name: str
    city: str
    area: str | None
    location: Location | None
    languages: list[dict[str, str]]
    household: HouseholdPublic
    pets: list[str]
    smoking: bool
    diets: list[str]
    rooms: int
    available: list[dict[str, str]]
    max_drive_km: float | None
    vetting: Vetting
    created_at: datetime
    updated_at: datetime


class VettingIn(Input):
    status: VettingStatus
    checked_on: date
    valid_until: date | None = None
    note: str | None = Field(default=None, max_length=1000)


class HostInviteCreate(Input):
    email: EmailStr


class HostInviteCreated(BaseModel):
    id: uuid.UUID
    host_family_id: uuid.UUID
    invite_url: str
    token: str
    expires_at: datetime


class HostInviteAccept(Input):
    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    password: str | None = Field(default=None, min_length=10, max_length=256)


class HostInviteAccepted(BaseModel):
    host_id: uuid.UUID
    host_family_id: uuid.UUID
    account_created: bool


class HostingNeedsUpdate(Input):
    """A change to a mobility's hosting needs. Tutors and the sending coordinator set them;
    a guardian only adds (items to the lists, `non_smoking` or `needed` turned on)."""

    needed: bool | None = None
    diet: list[str] | None = Field(default=None, max_length=10)
    allergies: list[str] | None = Field(default=None, max_length=10)
    non_smoking: bool | None = None
    languages: list[HostingLanguage] | None = Field(default=None, max_length=10)


class HostingNeedsPublic(BaseModel):
    mobility_id: uuid.UUID
    hosting: dict[str, Any] | None


class HostMatchingRunCreate(Input):
    receiving_organisation_id: uuid.UUID
    mobility_ids: list[uuid.UUID] | None = Field(default=None, max_length=5000)


class HostProposal(BaseModel):
    placement_id: uuid.UUID
    mobility_id: uuid.UUID
    host_family_id: uuid.UUID
    score: float
    score_breakdown: dict[str, float]


class HostUnmatched(BaseModel):
    mobility_id: uuid.UUID
    reason: str


class HostMatchingRunPublic(BaseModel):
    id: uuid.UUID
    receiving_organisation_id: uuid.UUID
    status: str
    proposals: list[HostProposal]
    unmatched: list[HostUnmatched]
    objective: int | None
    optimal: bool | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class FamilySummary(BaseModel):
    """What the tutors and guardians of a placement see of the family."""

    display_name: str
    city: str
    area: str | None
    household: HouseholdPublic
    pets: list[str]
    smoking: bool
    languages: list[dict[str, str]]


class LearnerForHost(BaseModel):
    """All a host family sees of the learner: what hosting needs, nothing more."""

    display_name: str
    diet: list[str]
    allergies: list[str]
    receiving_tutor: dict[str, str] | None
    guardians: list[dict[str, str]]  # only those who chose to share their contact


class PlacementPublic(BaseModel):
    id: uuid.UUID
    mobility_id: uuid.UUID
    host_family_id: uuid.UUID
    status: str
    family_decision: str
    tutor_decision: str
    starts_on: date
    ends_on: date
    score: float
    score_breakdown: dict[str, float]
    family: FamilySummary | None = None  # for the schools and guardians
    learner: LearnerForHost | None = None  # for the host family, once accepted


class PlacementPage(BaseModel):
    items: list[PlacementPublic]
    total: int


class MessageIn(Input):
    text: str = Field(min_length=1, max_length=4000)


class MessagePublic(BaseModel):
    id: uuid.UUID
    placement_id: uuid.UUID
    author_id: uuid.UUID | None
    author_name: str
    author_role: str
    text: str
    created_at: datetime


class MessagePage(BaseModel):
    items: list[MessagePublic]
    total: int
