from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.core.schemas import Input, Output

RunStatus = Literal["queued", "running", "done", "failed"]
ExchangeStatus = Literal["proposed", "active", "declined"]


class MatchingRunCreate(Input):
    network_id: uuid.UUID
    group_size: Literal[2, 3, 4] = 2
    class_ids: list[uuid.UUID] | None = Field(
        default=None,
        min_length=2,
        max_length=5000,
        description="Restrict the run to these classes (default: every class of the network "
        "that is open for matching and not already in a proposed or active exchange).",
    )
    allow_repeats: bool = Field(
        default=False,
        description="Also propose classes together that declined each other or were paired before.",
    )
    prefer_new_countries: bool = Field(
        default=False,
        description="Prefer partners from countries a class has not met in earlier exchanges.",
    )


class Proposal(BaseModel):
    exchange_id: uuid.UUID
    class_ids: list[uuid.UUID]
    score: float = Field(description="0-1 (the engine's integer thousandths, divided by 1000)")
    score_breakdown: dict[str, float] = Field(
        description="points per criterion on the same 0-1 scale; they add up to `score`"
    )


class Unmatched(BaseModel):
    class_id: uuid.UUID
    reason: str


class MatchingRunSummary(BaseModel):
    """A run in a list: its state, without its proposals (`GET /matching/runs/{id}`)."""

    id: uuid.UUID
    network_id: uuid.UUID
    status: RunStatus
    group_size: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class MatchingRunPublic(BaseModel):
    id: uuid.UUID
    network_id: uuid.UUID
    status: RunStatus
    group_size: int
    proposals: list[Proposal]
    unmatched: list[Unmatched]
    objective: float | None = Field(description="Sum of the proposals' scores (0-1 each)")
    upper_bound: float | None = Field(
        description="A proven upper bound on `objective`, on the same scale (0-1 per proposal)"
    )
    gap: float | None
    exact: bool | None
    shares: dict[str, Any] | None = Field(
        description="Matched share per country and per school: {by_country, by_school}"
    )
    options: dict[str, Any]
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class CommonWindowPublic(BaseModel):
    weekday: int
    start_utc: str
    end_utc: str
    valid_from: date
    valid_to: date


class PartnerTeacher(Output):
    id: uuid.UUID
    display_name: str


class PartnerClass(Output):
    """What every member of an exchange sees of each class: the public profile only, and
    while the exchange is proposed or active its teachers (to write to them: the exchange's
    thread)."""

    class_id: uuid.UUID
    name: str
    organisation_id: uuid.UUID
    organisation_name: str
    country: str
    city: str
    timezone: str
    field: str
    eqf_level: int
    learner_count: int
    age_min: int
    age_max: int
    languages: list[dict[str, Any]]
    decision: Literal["pending", "accepted", "declined"]
    teachers: list[PartnerTeacher] = Field(
        default_factory=list, description="While the exchange is proposed or active"
    )


class ExchangePublic(BaseModel):
    id: uuid.UUID
    network_id: uuid.UUID
    run_id: uuid.UUID | None
    status: ExchangeStatus
    class_ids: list[uuid.UUID]
    classes: list[PartnerClass]
    score: float = Field(description="0-1, as the run's proposals")
    score_breakdown: dict[str, float] = Field(description="per criterion; adds up to `score`")
    shared_languages: list[str]
    common_windows: list[CommonWindowPublic]
    created_at: datetime
    updated_at: datetime


class ExchangeDecision(Input):
    class_id: uuid.UUID | None = Field(
        default=None, description="Which member class you answer for, when you teach several"
    )


class ExchangeMessageCreate(Input):
    text: str = Field(min_length=1, max_length=4000, description="Blank text is refused")


class MessageAuthor(BaseModel):
    id: uuid.UUID | None = Field(description="null once the author's account is erased")
    display_name: str | None = Field(description="null once the author's account is erased")
    organisation_id: uuid.UUID | None
    organisation_name: str | None = Field(description="The school the author wrote for")
    removed: bool = Field(description="The author's account was erased")


class ExchangeMessagePublic(BaseModel):
    id: uuid.UUID
    exchange_id: uuid.UUID
    author: MessageAuthor
    text: str
    created_at: datetime
