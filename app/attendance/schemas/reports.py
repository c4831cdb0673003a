"""Contact hours and term reports of attendance, as the API shows them."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.attendance.rules.sheet import Status

RATE = "attended / expected (attended: present, late or excused), 4 decimals; null if none"


class AttendanceLearner(BaseModel):
    id: uuid.UUID
    display_name: str
    country: str | None
    class_id: uuid.UUID | None = Field(description="Null for a partner school's viewer")


class SchoolPublic(BaseModel):
    id: uuid.UUID
    name: str
    country: str


class ExchangeHoursPublic(BaseModel):
    exchange_id: uuid.UUID
    seconds: int = Field(description="Online inside the scheduled time of its sessions")
    hours: float = Field(description="`seconds` in hours, 2 decimals")
    sessions: int = Field(description="Sessions with online time")
    first_session: datetime | None
    last_session: datetime | None
    partner_schools: list[SchoolPublic] = Field(description="The other schools of the exchange")
    countries: list[str] = Field(description="Partner countries (not the learner's own)")


class LearnerHoursPublic(BaseModel):
    learner_id: uuid.UUID
    display_name: str
    timezone: str = Field(description="The learner's school's: `from_date`/`to_date` are there")
    from_date: date | None
    to_date: date | None = Field(description="Inclusive")
    seconds: int
    hours: float
    exchanges: list[ExchangeHoursPublic] = Field(description="By first session")
    countries: list[str] = Field(description="Partner countries met, over all exchanges")


class ReportSessionPublic(BaseModel):
    session_id: uuid.UUID
    exchange_id: uuid.UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    date: dt.date = Field(description="Local date of the start, in the report's time zone")
    state: Literal["live", "final"] = Field(description="`live`: judged on the time so far")
    roster: int = Field(description="Learners expected (in the report's scope)")
    counts: dict[Status, int] = Field(description="Learners per status, every status listed")
    attended: int = Field(description="present + late + excused")
    rate: float | None = Field(description=RATE)


class ReportLearnerPublic(BaseModel):
    """A learner's totals. For a partner school's learner, the online time is null."""

    learner: AttendanceLearner
    sessions_expected: int
    sessions_attended: int
    rate: float | None = Field(description=RATE)
    online_seconds: int | None
    contact_hours: float | None = Field(description="`online_seconds` in hours, 2 decimals")


class AttendanceReportPublic(BaseModel):
    kind: Literal["class", "exchange"]
    class_id: uuid.UUID | None
    exchange_id: uuid.UUID | None
    timezone: str = Field(description="Where `from_date`, `to_date` and session dates are")
    from_date: date | None
    to_date: date | None = Field(description="Inclusive")
    as_of: datetime
    sessions: list[ReportSessionPublic] = Field(description="Held (started, not cancelled)")
    learners: list[ReportLearnerPublic] = Field(description="By class, then name")
    expected: int = Field(description="Learner-sessions expected, over every session")
    attended: int
    rate: float | None = Field(description=RATE)
