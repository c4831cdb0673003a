from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.core.schemas import Input, Instant, Output, TimeZoneName

SessionStatus = Literal["scheduled", "live", "ended", "cancelled"]


class Recurrence(Input):
    rrule: str = Field(
        min_length=1,
        max_length=500,
        examples=["FREQ=WEEKLY;COUNT=6"],
        description="RFC 5545 RRULE with COUNT or UNTIL, at most 100 occurrences",
    )


class SessionCreate(Input):
    title: str = Field(min_length=1, max_length=200)
    starts_at: Instant
    duration_minutes: int = Field(gt=0, le=480)
    recurrence: Recurrence | None = None
    timezone: TimeZoneName | None = Field(
        default=None,
        description="The zone a series keeps its wall-clock time in (default: the organiser's "
        "organisation's)",
    )


class SessionUpdate(Input):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    starts_at: Instant | None = None
    duration_minutes: int | None = Field(default=None, gt=0, le=480)
    apply_to: Literal["this", "this_and_following"] = Field(
        default="this",
        description="For a series: change only this occurrence, or it and every later one "
        "(moved by the same offset, kept at the same local wall-clock time)",
    )


class SessionCancel(Input):
    reason: str = Field(min_length=1, max_length=500)


class SessionClass(BaseModel):
    """A member class of a session's exchange, named, with the session in its local time."""

    class_id: uuid.UUID
    name: str
    organisation_id: uuid.UUID
    organisation_name: str
    country: str
    timezone: str
    local_starts_at: datetime
    local_ends_at: datetime


class SessionPublic(Output):
    id: uuid.UUID
    exchange_id: uuid.UUID
    series_id: uuid.UUID | None
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    status: SessionStatus
    cancel_reason: str | None
    ended_at: datetime | None = Field(
        default=None, description="When a teacher ended the room, if before `ends_at`"
    )
    sequence: int
    classes: list[SessionClass] = Field(
        default_factory=list, description="The member classes and schools, each's local times"
    )


class Notice(BaseModel):
    """A conflict (refusal) or a warning about one occurrence."""

    kind: str
    class_id: uuid.UUID | None
    starts_at: datetime
    ends_at: datetime
    detail: str


class SessionCreated(SessionPublic):
    """The first (or only) session, the whole series, and the warnings about it."""

    occurrences: list[SessionPublic]
    warnings: list[Notice]


class SessionChanged(SessionPublic):
    changed: list[SessionPublic]
    warnings: list[Notice]


class LocalSlotTime(BaseModel):
    """The slot in one member class's time zone, with the class and its school named."""

    class_id: uuid.UUID
    name: str
    organisation_name: str
    country: str
    timezone: str
    starts_at: datetime
    ends_at: datetime


class SlotPublic(BaseModel):
    starts_at: datetime
    ends_at: datetime
    score: float
    local: list[LocalSlotTime]


class SlotList(BaseModel):
    items: list[SlotPublic]
    empty_reason: str | None = None
    removed: dict[str, int] = Field(default_factory=dict)


class FeedPublic(BaseModel):
    id: uuid.UUID
    url: str
