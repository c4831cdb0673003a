"""Activities' request and response shapes (CONTRACT.md, "Activities, reflections, badges")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from app.core.schemas import Input

Kind = Annotated[str, StringConstraints(pattern=r"^[a-z_]{3,32}$")]
Short = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Long = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class LanguageTexts(Input):
    """One text in the six languages; a template needs all six."""

    en: Short
    fr: Short
    it: Short
    de: Short
    es: Short
    fi: Short


class StepTexts(Input):
    en: Long
    fr: Long
    it: Long
    de: Long
    es: Long
    fi: Long


class ActivityCreate(Input):
    kind: Kind
    title: LanguageTexts
    summary: StepTexts
    duration_minutes: Annotated[int, Field(ge=1, le=240)]
    goals: Annotated[list[StepTexts], Field(max_length=20)] = []
    steps: Annotated[list[StepTexts], Field(max_length=30)] = []
    content: dict[str, Any] | None = None
    owner_organisation_id: uuid.UUID | None = Field(
        default=None, description="Admins only; others create for their own organisation."
    )
    shared: bool = Field(default=False, description="Visible to the organisations of its networks")


class ActivityUpdate(Input):
    kind: Kind | None = None
    title: LanguageTexts | None = None
    summary: StepTexts | None = None
    duration_minutes: Annotated[int, Field(ge=1, le=240)] | None = None
    goals: Annotated[list[StepTexts], Field(max_length=20)] | None = None
    steps: Annotated[list[StepTexts], Field(max_length=30)] | None = None
    content: dict[str, Any] | None = None
    shared: bool | None = None


class ActivityClone(Input):
    shared: bool = False


class ActivityPublic(BaseModel):
    id: uuid.UUID
    kind: str
    title: dict[str, str]
    summary: dict[str, str]
    duration_minutes: int
    goals: list[dict[str, str]]
    steps: list[dict[str, str]]
    content: dict[str, Any] | None
    owner_organisation_id: uuid.UUID | None = Field(description="null for built-in templates")
    shared: bool
    source_id: uuid.UUID | None


class PlanItem(Input):
    activity_id: uuid.UUID
    minutes: Annotated[int, Field(ge=1, le=240)] | None = None


class PlanPut(Input):
    items: Annotated[list[PlanItem], Field(max_length=30)]


class PlanItemPublic(BaseModel):
    activity_id: uuid.UUID
    minutes: int | None
    kind: str
    title: dict[str, str]


class PlanPublic(BaseModel):
    session_id: uuid.UUID
    items: list[PlanItemPublic]


class RunPublic(BaseModel):
    run_id: uuid.UUID
    index: int
    activity_id: uuid.UUID
    kind: str
    title: dict[str, str]
    started_at: datetime
    ended_at: datetime | None
    results: dict[str, Any] | None


class SessionResults(BaseModel):
    session_id: uuid.UUID
    items: list[RunPublic]
    glossary: list[GlossaryPublic]


class GlossaryPublic(BaseModel):
    id: uuid.UUID
    term: str
    translations: dict[str, str]
    session_id: uuid.UUID | None
    added_at: datetime


SessionResults.model_rebuild()


class ReflectionCreate(Input):
    answers: Annotated[dict[str, Annotated[str, StringConstraints(max_length=4000)]], Field()]


class ReflectionPublic(BaseModel):
    id: uuid.UUID
    session_id: uuid.UUID
    learner_id: uuid.UUID
    display_name: str
    class_id: uuid.UUID | None
    answers: dict[str, str]
    submitted_at: datetime


class PendingReflection(BaseModel):
    session_id: uuid.UUID
    title: str
    ended_at: datetime
    questions: list[dict[str, Any]]


class SelfAssessmentCreate(Input):
    phase: Annotated[str, StringConstraints(pattern=r"^(start|end)$")]
    scores: dict[str, Annotated[int, Field(ge=1, le=5)]]


class SelfAssessmentSummary(BaseModel):
    exchange_id: uuid.UUID
    statements: list[dict[str, Any]]
    classes: list[dict[str, Any]]
