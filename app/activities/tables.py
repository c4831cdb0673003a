"""Activities' tables: organisations' templates, session plans, the activities a room ran
and what they produced (quiz answers, word-cloud words, glossary entries), reflections and
self-assessments. Built-in templates are code (`app.activities.library`), not rows."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.tables import UTCDateTime, created_at_field, id_field


class ActivityTemplate(SQLModel, table=True):
    """An organisation's template (cloned from the library or written anew); `shared` makes
    it visible to the organisations of its networks."""

    __tablename__ = "activity_template"

    id: uuid.UUID = id_field()
    owner_organisation_id: uuid.UUID = Field(
        foreign_key="organisation.id", ondelete="CASCADE", index=True
    )
    kind: str = Field(max_length=32, index=True)
    title: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    summary: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    duration_minutes: int
    goals: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    steps: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    content: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    shared: bool = False
    source_id: uuid.UUID | None = None  # the template it was cloned from (built-in or not)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class SessionPlanItem(SQLModel, table=True):
    """One step of a session's plan, in order (`position` from 0)."""

    __tablename__ = "session_plan_item"

    session_id: uuid.UUID = Field(
        foreign_key="live_session.id", primary_key=True, ondelete="CASCADE"
    )
    position: int = Field(primary_key=True)
    activity_id: uuid.UUID  # a built-in template's id or an `activity_template` row's
    minutes: int | None = None


class ActivityRun(SQLModel, table=True):
    """A planned activity run in a room, from `activity.start` to `activity.end`: the
    template as it was then, so results stay readable whatever becomes of it."""

    __tablename__ = "activity_run"

    id: uuid.UUID = id_field()
    session_id: uuid.UUID = Field(foreign_key="live_session.id", ondelete="CASCADE", index=True)
    position: int
    activity_id: uuid.UUID
    kind: str = Field(max_length=32)
    title: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    content: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    started_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    started_at: datetime = created_at_field()
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class QuizAnswer(SQLModel, table=True):
    """One learner's answer to one question of a quiz run, once; with their class and
    country as the room showed them (scores are by class and country)."""

    __tablename__ = "quiz_answer"

    run_id: uuid.UUID = Field(foreign_key="activity_run.id", primary_key=True, ondelete="CASCADE")
    user_id: uuid.UUID = Field(
        foreign_key="user_account.id", primary_key=True, ondelete="CASCADE", index=True
    )
    question: int = Field(primary_key=True)
    option: int
    class_id: uuid.UUID | None = Field(
        default=None, foreign_key="school_class.id", ondelete="SET NULL"
    )
    country: str | None = Field(default=None, max_length=2)
    answered_at: datetime = created_at_field()


class WordcloudEntry(SQLModel, table=True):
    __tablename__ = "wordcloud_entry"
    __table_args__ = (UniqueConstraint("run_id", "user_id", "word"),)

    id: uuid.UUID = id_field()
    run_id: uuid.UUID = Field(foreign_key="activity_run.id", ondelete="CASCADE", index=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    word: str = Field(max_length=40)
    submitted_at: datetime = created_at_field()


class GlossaryEntry(SQLModel, table=True):
    """A term of the trade and its translations, kept per exchange; the same term (compared
    by `term_key`) added again merges its translations."""

    __tablename__ = "glossary_entry"
    __table_args__ = (UniqueConstraint("exchange_id", "term_key"),)

    id: uuid.UUID = id_field()
    exchange_id: uuid.UUID = Field(foreign_key="exchange.id", ondelete="CASCADE", index=True)
    term: str = Field(max_length=120)
    term_key: str = Field(max_length=120)
    translations: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    session_id: uuid.UUID | None = Field(
        default=None, foreign_key="live_session.id", ondelete="SET NULL"
    )
    added_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    added_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class Reflection(SQLModel, table=True):
    """A learner's reflection on a session they attended: one per learner and session."""

    __tablename__ = "reflection"
    __table_args__ = (UniqueConstraint("session_id", "learner_id"),)

    id: uuid.UUID = id_field()
    session_id: uuid.UUID = Field(foreign_key="live_session.id", ondelete="CASCADE", index=True)
    learner_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    answers: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    submitted_at: datetime = created_at_field()


class SelfAssessment(SQLModel, table=True):
    """A learner's intercultural-competence self-assessment at the `start` or `end` of an
    exchange: a score of 1-5 per statement."""

    __tablename__ = "self_assessment"
    __table_args__ = (UniqueConstraint("exchange_id", "learner_id", "phase"),)

    id: uuid.UUID = id_field()
    exchange_id: uuid.UUID = Field(foreign_key="exchange.id", ondelete="CASCADE", index=True)
    learner_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    phase: str = Field(max_length=8)
    scores: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    submitted_at: datetime = created_at_field()
