"""Participation certificates as the API shows them (docs/attendance.md, "Certificates")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class CertificatePublic(BaseModel):
    id: uuid.UUID
    learner_id: uuid.UUID
    exchange_id: uuid.UUID
    issued_at: datetime
    certificate: dict[str, Any] = Field(description="The signed payload, exactly as issued")
    signature: str = Field(description="HMAC-SHA256 of the canonical payload, base64url")
    key_id: str = Field(description="The key ring key it was signed with")
    verify_url: str = Field(description="Where anyone can check it, without logging in")
    badge_id: uuid.UUID | None = Field(
        default=None,
        description="The Open Badges 3.0 credential issued for the same exchange, once issued "
        "(GET /learners/{id}/badges)",
    )


class CertificateVerification(BaseModel):
    """A stored certificate, checked: `valid` is false when its payload or signature no
    longer match (altered after issue) or its key has left the key ring."""

    valid: bool
    certificate: dict[str, Any]
    signature: str
    key_id: str
    issued_at: datetime


class CertificatePresented(BaseModel):
    """A copy of a certificate as its holder presents it (both fields as issued)."""

    model_config = ConfigDict(extra="forbid")

    certificate: dict[str, Any]
    signature: str = Field(min_length=1, max_length=128)


class PresentedVerification(BaseModel):
    """`valid` only when the signature matches and a certificate with this id exists with
    the very same payload."""

    valid: bool
    certificate_id: uuid.UUID | None = Field(description="The id the copy names, if any")
