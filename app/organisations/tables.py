from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.tables import created_at_field, id_field


class Organisation(SQLModel, table=True):
    id: uuid.UUID = id_field()
    name: str = Field(max_length=200, index=True)
    country: str = Field(max_length=2, index=True)
    region: str | None = Field(default=None, max_length=10)
    city: str = Field(max_length=120)
    timezone: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    created_at: datetime = created_at_field()


class Network(SQLModel, table=True):
    id: uuid.UUID = id_field()
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    coordinating_organisation_id: uuid.UUID = Field(
        foreign_key="organisation.id", ondelete="RESTRICT", index=True
    )
    created_at: datetime = created_at_field()


class NetworkMember(SQLModel, table=True):
    __tablename__ = "network_member"

    network_id: uuid.UUID = Field(foreign_key="network.id", primary_key=True, ondelete="CASCADE")
    organisation_id: uuid.UUID = Field(
        foreign_key="organisation.id", primary_key=True, ondelete="CASCADE", index=True
    )
    joined_at: datetime = created_at_field()
