from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from app.core.tables import UTCDateTime, created_at_field, id_field


class MatchingRun(SQLModel, table=True):
    __tablename__ = "matching_run"

    id: uuid.UUID = id_field()
    network_id: uuid.UUID = Field(foreign_key="network.id", ondelete="CASCADE", index=True)
    requested_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    status: str = Field(max_length=16)  # queued | running | done | failed
    group_size: int
    requested_class_ids: list[str] | None = Field(default=None, sa_type=JSON)
    options: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    objective: int | None = None
    upper_bound: float | None = None
    gap: float | None = None
    exact: bool | None = None
    shares: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    unmatched: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    error: str | None = Field(default=None, max_length=2000)
    created_at: datetime = created_at_field()
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Written by the process running it; a run with a stale heartbeat has no live process.
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Exchange(SQLModel, table=True):
    id: uuid.UUID = id_field()
    network_id: uuid.UUID = Field(foreign_key="network.id", ondelete="CASCADE", index=True)
    run_id: uuid.UUID | None = Field(
        default=None, foreign_key="matching_run.id", ondelete="SET NULL", index=True
    )
    status: str = Field(max_length=16, index=True)  # proposed | active | declined
    score: int  # 0..1000
    score_breakdown: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    shared_languages: list[str] = Field(default_factory=list, sa_type=JSON)
    common_windows: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class ExchangeClass(SQLModel, table=True):
    __tablename__ = "exchange_class"

    exchange_id: uuid.UUID = Field(foreign_key="exchange.id", primary_key=True, ondelete="CASCADE")
    class_id: uuid.UUID = Field(
        foreign_key="school_class.id", primary_key=True, ondelete="CASCADE", index=True
    )
    decision: str = Field(default="pending", max_length=16)  # pending | accepted | declined
    decided_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# An exchange is open while proposed or active: its classes are taken.
OPEN_STATUSES = ("proposed", "active")


async def classes_in_open_exchanges(db: AsyncSession, class_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    rows = await db.scalars(
        select(col(ExchangeClass.class_id))
        .join(Exchange, col(Exchange.id) == col(ExchangeClass.exchange_id))
        .where(col(ExchangeClass.class_id).in_(class_ids), col(Exchange.status).in_(OPEN_STATUSES))
    )
    return set(rows.all())


class ExchangeMessage(SQLModel, table=True):
    """One message of an exchange's thread between the member classes' teachers and their
    schools' coordinators. The author's school is kept with the message: it still names the
    school after the author's account is erased (`author_id` then NULL)."""

    __tablename__ = "exchange_message"

    id: uuid.UUID = id_field()
    exchange_id: uuid.UUID = Field(foreign_key="exchange.id", ondelete="CASCADE", index=True)
    author_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True
    )
    author_organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisation.id", ondelete="SET NULL"
    )
    text: str = Field(sa_type=Text)
    created_at: datetime = created_at_field()
