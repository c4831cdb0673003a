"""Host-family tables: families and their members, invitations, matching runs, placements
and each placement's thread."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from app.core.tables import UTCDateTime, created_at_field, id_field


class HostFamily(SQLModel, table=True):
    """A family kept in a receiving organisation's pool. Only an `approved` family whose
    vetting is valid through a stay is ever proposed for it."""

    __tablename__ = "host_family"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(
        foreign_key="organisation.id", ondelete="RESTRICT", index=True
    )
    display_name: str = Field(max_length=120)
    city: str = Field(max_length=120)
    area: str | None = Field(default=None, max_length=120)
    lat: float | None = None
    lon: float | None = None
    languages: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    adults: int = 1
    children: int = 0
    pets: list[str] = Field(default_factory=list, sa_type=JSON)
    smoking: bool = False
    diets: list[str] = Field(default_factory=list, sa_type=JSON)
    rooms: int = 1
    available: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    max_drive_km: float | None = None
    vetting_status: str = Field(default="pending", max_length=16, index=True)
    vetting_checked_on: date | None = None
    vetting_valid_until: date | None = None
    vetting_note: str | None = Field(default=None, max_length=1000)
    vetted_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class HostMember(SQLModel, table=True):
    """An account (role `host`) that speaks for a family."""

    __tablename__ = "host_member"

    host_family_id: uuid.UUID = Field(
        foreign_key="host_family.id", primary_key=True, ondelete="CASCADE"
    )
    user_id: uuid.UUID = Field(
        foreign_key="user_account.id", primary_key=True, ondelete="CASCADE", index=True
    )
    created_at: datetime = created_at_field()


class HostInvite(SQLModel, table=True):
    """A single-use invitation for a family member; only the token's digest is stored."""

    __tablename__ = "host_invite"

    id: uuid.UUID = id_field()
    host_family_id: uuid.UUID = Field(foreign_key="host_family.id", ondelete="CASCADE", index=True)
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


class HostMatchingRun(SQLModel, table=True):
    __tablename__ = "host_matching_run"

    id: uuid.UUID = id_field()
    receiving_organisation_id: uuid.UUID = Field(
        foreign_key="organisation.id", ondelete="CASCADE", index=True
    )
    requested_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    status: str = Field(max_length=16)  # queued | running | done | failed
    mobility_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    unmatched: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    objective: int | None = None
    optimal: bool | None = None
    error: str | None = Field(default=None, max_length=2000)
    created_at: datetime = created_at_field()
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Placement(SQLModel, table=True):
    """A learner with a family for the mobility's dates: `proposed` by a run, `accepted` once
    the family and the sending tutor both accept, `declined` when either declines."""

    __tablename__ = "host_placement"

    id: uuid.UUID = id_field()
    run_id: uuid.UUID | None = Field(
        default=None, foreign_key="host_matching_run.id", ondelete="SET NULL", index=True
    )
    mobility_id: uuid.UUID = Field(foreign_key="mobility.id", ondelete="CASCADE", index=True)
    host_family_id: uuid.UUID = Field(foreign_key="host_family.id", ondelete="CASCADE", index=True)
    status: str = Field(max_length=16, index=True)  # proposed | accepted | declined
    family_decision: str = Field(default="pending", max_length=16)
    tutor_decision: str = Field(default="pending", max_length=16)
    score: int = 0  # 0..1000
    score_breakdown: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # guardians (user ids) who chose to show the family their contact
    shared_contacts: list[str] = Field(default_factory=list, sa_type=JSON)
    starts_on: date
    ends_on: date
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class PlacementMessage(SQLModel, table=True):
    """One message of a placement's thread; every participant reads every message."""

    __tablename__ = "host_placement_message"

    id: uuid.UUID = id_field()
    placement_id: uuid.UUID = Field(foreign_key="host_placement.id", ondelete="CASCADE", index=True)
    author_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True
    )
    author_role: str = Field(max_length=24)
    text: str = Field(sa_type=Text)
    created_at: datetime = created_at_field()
