from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from app.core.schemas import Output


class AuditRecordPublic(Output):
    id: uuid.UUID
    actor_id: uuid.UUID | None
    action: str
    target_type: str
    target_id: uuid.UUID | None
    at: datetime
    request_id: str | None
    details: dict[str, Any]


class UserExport(BaseModel):
    """Everything stored about one person (GDPR art. 15 and 20)."""

    exported_at: datetime
    account: dict[str, Any]
    organisation: dict[str, Any] | None
    guardians: list[dict[str, Any]]
    learners: list[dict[str, Any]]
    classes: list[dict[str, Any]]
    consents: list[dict[str, Any]]
    sessions: list[dict[str, Any]] = Field(description="Sessions of the person's classes")
    refresh_tokens: list[dict[str, Any]] = Field(description="Logins, without token hashes")
    calendar_feeds: list[dict[str, Any]]
    guardian_invites: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    emails: list[dict[str, Any]]
    audit_records: list[dict[str, Any]] = Field(description="Audit records about the person")
    certificates: list[dict[str, Any]] = Field(
        description="Participation certificates issued to the person (signed payloads)"
    )
    mobilities: dict[str, Any] = Field(
        description="Mobilities: `as_learner` (with checklists, check-ins and, unless a "
        "guardian asks, the incident log) and the ids of those tutored, `as_tutor`"
    )
    hosting: dict[str, Any] = Field(
        description="Host families: the learner's `placements` with their threads, the "
        "`messages_written` in any thread, the `host_families` the person speaks for"
    )
    other_records: dict[str, list[dict[str, Any]]] = Field(
        description="Every other row that points at the person, by table"
    )
