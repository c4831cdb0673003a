"""The append-only audit trail of sensitive actions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from app.core.tables import created_at_field, id_field


class AuditRecord(SQLModel, table=True):
    """Who did what to whom, when, in which request. Never updated, never deleted; `details`
    holds ids and codes only, never a name or an e-mail address (so erasure leaves none)."""

    __tablename__ = "audit_record"

    id: uuid.UUID = id_field()
    actor_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True
    )
    action: str = Field(max_length=64, index=True)
    target_type: str = Field(max_length=32)
    target_id: uuid.UUID | None = Field(default=None, index=True)
    at: datetime = created_at_field()
    request_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
