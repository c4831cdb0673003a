"""Mobility tables: the mobility, its checklist, check-ins and incidents, and each school's
checklist template."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.tables import UTCDateTime, created_at_field, id_field


class Mobility(SQLModel, table=True):
    """A learner's physical stay abroad (`physical`), or one with a virtual component, the
    linked exchange (`blended`). `outcomes` and `reflection` are the follow-up."""

    __tablename__ = "mobility"

    id: uuid.UUID = id_field()
    learner_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    sending_organisation_id: uuid.UUID = Field(
        foreign_key="organisation.id", ondelete="RESTRICT", index=True
    )
    receiving_organisation_id: uuid.UUID = Field(
        foreign_key="organisation.id", ondelete="RESTRICT", index=True
    )
    kind: str = Field(max_length=16)  # physical | blended
    exchange_id: uuid.UUID | None = Field(
        default=None, foreign_key="exchange.id", ondelete="SET NULL", index=True
    )
    starts_on: date
    ends_on: date
    city: str = Field(max_length=120)
    country: str = Field(max_length=2)
    placement_company: str = Field(max_length=200)
    placement_sector: str | None = Field(default=None, max_length=120)
    sending_tutor_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True
    )
    receiving_tutor_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True
    )
    checkin_every_days: int = 7
    hosting: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    emergency_phone: str | None = Field(default=None, max_length=40)
    status: str = Field(max_length=16, index=True)
    status_reason: str | None = Field(default=None, max_length=500)
    # the next scheduled check-in while abroad (None otherwise)
    next_checkin_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    outcomes: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    outcomes_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reflection: str | None = Field(default=None, sa_type=Text)
    reflection_skills: list[str] | None = Field(default=None, sa_type=JSON)
    reflection_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # when the free text was purged after the retention period (docs/mobility.md)
    purged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class ChecklistItem(SQLModel, table=True):
    __tablename__ = "mobility_checklist_item"

    id: uuid.UUID = id_field()
    mobility_id: uuid.UUID = Field(foreign_key="mobility.id", ondelete="CASCADE", index=True)
    position: int
    title: str = Field(max_length=200)
    owner: str = Field(max_length=16)
    due_on: date
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ChecklistTemplate(SQLModel, table=True):
    """A school's own checklist template (without a row: the default template)."""

    __tablename__ = "mobility_checklist_template"

    organisation_id: uuid.UUID = Field(
        foreign_key="organisation.id", primary_key=True, ondelete="CASCADE"
    )
    items: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    updated_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    updated_at: datetime = created_at_field()


class CheckIn(SQLModel, table=True):
    """One check-in: scheduled (`requested_by` empty) or added by a tutor. `(mobility_id,
    due_at)` is unique, so two sweeping processes create a scheduled one once."""

    __tablename__ = "mobility_checkin"
    __table_args__ = (UniqueConstraint("mobility_id", "due_at"),)

    id: uuid.UUID = id_field()
    mobility_id: uuid.UUID = Field(foreign_key="mobility.id", ondelete="CASCADE", index=True)
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    status: str = Field(default="due", max_length=16, index=True)  # due | answered | missed
    requested_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    wellbeing: int | None = None
    placement_ok: bool | None = None
    note: str | None = Field(default=None, sa_type=Text)
    share_with_guardian: bool = False
    missed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = created_at_field()


class Incident(SQLModel, table=True):
    """The incident log: tutors and coordinators only."""

    __tablename__ = "mobility_incident"

    id: uuid.UUID = id_field()
    mobility_id: uuid.UUID = Field(foreign_key="mobility.id", ondelete="CASCADE", index=True)
    severity: str = Field(max_length=8)  # low | medium | high
    description: str = Field(sa_type=Text)
    reported_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
