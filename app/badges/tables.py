"""Issued Open Badges: one per learner and exchange, the VC-JWT as issued."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.tables import UTCDateTime


class Badge(SQLModel, table=True):
    __tablename__ = "badge"
    __table_args__ = (UniqueConstraint("learner_id", "exchange_id"),)

    id: uuid.UUID = Field(primary_key=True)
    learner_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    exchange_id: uuid.UUID = Field(foreign_key="exchange.id", ondelete="CASCADE", index=True)
    issuer_organisation_id: uuid.UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    issued_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    achievement: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    credential: str = Field(sa_type=Text)
    key_id: str = Field(max_length=64)
