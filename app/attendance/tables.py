"""What attendance keeps beyond presence: teachers' overrides and issued certificates."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.tables import UTCDateTime, created_at_field, id_field


class AttendanceOverride(SQLModel, table=True):
    """A teacher's status for one learner in one session; it wins over the computed status
    and survives recomputation (attendance is always computed afresh from presence)."""

    __tablename__ = "attendance_override"

    session_id: uuid.UUID = Field(
        foreign_key="live_session.id", primary_key=True, ondelete="CASCADE"
    )
    learner_id: uuid.UUID = Field(
        foreign_key="user_account.id", primary_key=True, ondelete="CASCADE", index=True
    )
    status: str = Field(max_length=16)
    reason: str = Field(max_length=500)
    set_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    set_at: datetime = created_at_field()


class AttendanceRecord(SQLModel, table=True):
    """A learner's computed attendance of an ended session, sealed once after its end: what is
    kept (for statistics, reports, hours and certificates) when the presence details are
    purged after the retention period. Overrides stay in `attendance_override`."""

    __tablename__ = "attendance_record"

    session_id: uuid.UUID = Field(
        foreign_key="live_session.id", primary_key=True, ondelete="CASCADE"
    )
    learner_id: uuid.UUID = Field(
        foreign_key="user_account.id", primary_key=True, ondelete="CASCADE", index=True
    )
    on_roster: bool
    status: str = Field(max_length=16)  # the computed status
    online_seconds: int
    first_join: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_leave: datetime | None = Field(default=None, sa_type=UTCDateTime)
    connections: int
    class_id: uuid.UUID | None = Field(
        default=None, foreign_key="school_class.id", ondelete="SET NULL"
    )
    country: str | None = Field(default=None, max_length=2)


class Certificate(SQLModel, table=True):
    """A participation record: `payload` as issued, signed (HMAC-SHA256 over its canonical
    JSON with the key `key_id` of the key ring). One per learner and exchange."""

    __tablename__ = "certificate"
    __table_args__ = (UniqueConstraint("learner_id", "exchange_id"),)

    id: uuid.UUID = id_field()
    learner_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    exchange_id: uuid.UUID = Field(foreign_key="exchange.id", ondelete="CASCADE", index=True)
    issued_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    key_id: str = Field(max_length=64)
    signature: str = Field(max_length=128)
