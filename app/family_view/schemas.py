"""API shapes of the family page: each linked learner's sessions, attendance, hours, consents."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.core.schemas import Input
from app.families.schemas import ConsentPublic


class PartnerSchool(BaseModel):
    organisation_id: uuid.UUID
    name: str
    country: str


class FamilySession(BaseModel):
    id: uuid.UUID
    title: str
    status: str
    starts_at: datetime
    ends_at: datetime
    local_starts_at: datetime = Field(description="In the time zone the view was asked for")
    local_ends_at: datetime
    partner_schools: list[PartnerSchool]


class FamilyAttendance(BaseModel):
    """One session held, as the learner attended it (docs/attendance.md)."""

    session_id: uuid.UUID
    title: str
    starts_at: datetime
    local_starts_at: datetime
    status: Literal["present", "late", "partial", "absent", "excused"]
    online_minutes: float


class FamilyExchangeHours(BaseModel):
    exchange_id: uuid.UUID
    hours: float
    sessions: int
    countries: list[str] = Field(description="Partner countries of the exchange")


class FamilyHours(BaseModel):
    """Virtual-mobility contact hours so far: measured presence inside sessions."""

    hours: float = Field(description="Over every exchange, as `GET /learners/{id}/hours`")
    exchanges: list[FamilyExchangeHours]
    countries: list[str] = Field(description="Partner countries met, over all exchanges")


class FamilyChecklistItem(BaseModel):
    id: uuid.UUID
    title: str
    due_on: date
    done_at: datetime | None


class FamilyCheckin(BaseModel):
    id: uuid.UUID
    due_at: datetime
    status: Literal["due", "answered", "missed"]
    note: str | None = Field(description="Only when the learner chose to share it")


class FamilyMobility(BaseModel):
    """A physical or blended mobility (docs/mobility.md); never the incident log."""

    id: uuid.UUID
    kind: str
    status: str
    starts_on: date
    ends_on: date
    city: str
    country: str
    receiving_school: PartnerSchool | None
    sending_tutor: str | None
    receiving_tutor: str | None
    emergency_phone: str | None = Field(description="The receiving school's emergency number")
    checklist_done: int
    checklist_total: int
    my_items: list[FamilyChecklistItem] = Field(description="Checklist items guardians own")
    checkins: list[FamilyCheckin]


class FamilyLearner(BaseModel):
    learner_id: uuid.UUID
    display_name: str
    school: PartnerSchool | None
    timezone: str = Field(description="The zone of `local_*` times")
    guardian_required: bool
    consent_age: int
    upcoming_sessions: list[FamilySession]
    partner_schools: list[PartnerSchool]
    consents: list[ConsentPublic]
    recent_attendance: list[FamilyAttendance] = Field(description="Latest sessions, newest first")
    hours: FamilyHours
    absence_alerts: bool = Field(description="Whether you hear when this learner misses one")
    mobilities: list[FamilyMobility] = Field(description="Physical and blended mobilities")


class FamilyView(BaseModel):
    items: list[FamilyLearner]


class AbsenceAlerts(Input):
    absence: bool = Field(description="Tell me when this learner misses a session")


class AbsenceAlertsPublic(BaseModel):
    learner_id: uuid.UUID
    absence: bool
