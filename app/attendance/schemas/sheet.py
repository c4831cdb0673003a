"""Attendance of a session as the API shows it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from app.attendance.rules.sheet import Status
from app.core.schemas import Input


class AttendanceOverridePublic(BaseModel):
    status: Status
    reason: str
    set_by: uuid.UUID | None
    set_at: datetime


class AttendanceLine(BaseModel):
    """One learner (the contract's attendance item). A partner school's teacher sees
    `learner_id`, `display_name`, `country` and `status` only: every other field is null."""

    learner_id: uuid.UUID
    display_name: str
    country: str | None
    class_id: uuid.UUID | None
    status: Status
    online_minutes: float | None
    first_join: datetime | None
    last_leave: datetime | None = Field(description="Null while connected or never online")
    overridden: bool | None = Field(description="Whether a teacher set `status` by hand")
    computed_status: Status | None = Field(description="The rules' answer, before any override")
    online_seconds: int | None = Field(description="Online inside the scheduled time (so far)")
    connections: int | None = Field(description="Connections (tabs, reconnects) that counted")
    online_now: bool | None
    override: AttendanceOverridePublic | None


class AttendanceRulesPublic(BaseModel):
    present_share: float
    late_after_minutes: int


class SessionAttendancePublic(BaseModel):
    session_id: uuid.UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    state: Literal["not_started", "live", "final"]
    as_of: datetime = Field(description="Statuses judge the time from the start to this")
    rules: AttendanceRulesPublic
    items: list[AttendanceLine] = Field(description="The roster, by class and name")
    guests: list[AttendanceLine] = Field(
        description="Learners who joined but are not on the roster (any more)"
    )
    counts: dict[str, int] = Field(description="Lines shown per status, roster only")


Reason = Annotated[str, StringConstraints(min_length=3, max_length=500)]


class AttendanceOverrideIn(Input):
    status: Status
    reason: Reason = Field(description="Why: required, kept in the audit trail")
