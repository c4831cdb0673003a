"""Families: consent records and guardian invitations."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.core.tables import UTCDateTime, created_at_field, id_field


class Consent(SQLModel, table=True):
    """One grant of consent for one purpose, kept for the record.

    A grant is a new row; a withdrawal closes the row (`status` withdrawn, `withdrawn_at`,
    `withdrawn_by`). A learner who objects without an earlier grant gets a row that is only a
    withdrawal (`given_*` empty). The latest row of a (learner, purpose) is its current state.
    """

    __tablename__ = "consent"
    __table_args__ = (Index("ix_consent_learner_purpose", "learner_id", "purpose"),)

    id: uuid.UUID = id_field()
    learner_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    purpose: str = Field(max_length=40)
    status: str = Field(max_length=16)  # given | withdrawn
    legal_basis: str = Field(max_length=32)
    notice_version: str = Field(max_length=32)
    given_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    given_by_role: str | None = Field(default=None, max_length=16)  # learner | guardian
    verification_method: str = Field(max_length=40)
    given_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()


class GuardianInvite(SQLModel, table=True):
    """A single-use invitation for a guardian; only the token's digest is stored."""

    __tablename__ = "guardian_invite"

    id: uuid.UUID = id_field()
    learner_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    email: str = Field(max_length=320)
    token_hash: str = Field(max_length=64, unique=True)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    accepted_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
