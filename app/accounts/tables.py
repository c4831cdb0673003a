from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import false
from sqlmodel import Field, SQLModel

from app.core.tables import UTCDateTime, created_at_field, id_field

# An erased user's e-mail is replaced by a random address in this domain.
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never a deliverable address


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: uuid.UUID = id_field()
    email: str = Field(max_length=320, unique=True)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=16, index=True)
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisation.id", ondelete="RESTRICT", index=True
    )
    birth_date: date | None = None
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class GuardianLink(SQLModel, table=True):
    __tablename__ = "guardian_link"

    guardian_id: uuid.UUID = Field(
        foreign_key="user_account.id", primary_key=True, ondelete="CASCADE"
    )
    learner_id: uuid.UUID = Field(
        foreign_key="user_account.id", primary_key=True, ondelete="CASCADE", index=True
    )
    created_at: datetime = created_at_field()
    # the guardian asked to hear when this learner misses a session
    absence_alerts: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class RefreshToken(SQLModel, table=True):
    """A refresh token, stored as a hash. Tokens descending from one login share a family."""

    __tablename__ = "refresh_token"

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    family_id: uuid.UUID = Field(index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
