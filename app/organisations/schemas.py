from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from app.core.schemas import CountryCode, Input, Output, TimeZoneName

OrganisationKind = Literal["school", "mobility_provider", "company", "other"]


class OrganisationBase(Input):
    name: str = Field(min_length=1, max_length=200)
    country: CountryCode
    region: str | None = Field(
        default=None,
        max_length=10,
        description="ISO 3166-2 subdivision without the country prefix (e.g. BY), for holidays",
    )
    city: str = Field(min_length=1, max_length=120)
    timezone: TimeZoneName
    kind: OrganisationKind = "school"


class OrganisationCreate(OrganisationBase):
    pass


class OrganisationUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    country: CountryCode | None = None
    region: str | None = Field(default=None, max_length=10)
    city: str | None = Field(default=None, min_length=1, max_length=120)
    timezone: TimeZoneName | None = None
    kind: OrganisationKind | None = None


class OrganisationPublic(Output):
    id: uuid.UUID
    name: str
    country: str
    region: str | None
    city: str
    timezone: str
    kind: str
    created_at: datetime


class NetworkCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    coordinating_organisation_id: uuid.UUID | None = Field(
        default=None, description="Admins only; a coordinator's network is their organisation's"
    )


class NetworkUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class NetworkPublic(Output):
    id: uuid.UUID
    name: str
    description: str
    coordinating_organisation_id: uuid.UUID
    member_count: int
    created_at: datetime


class NetworkMemberCreate(Input):
    organisation_id: uuid.UUID
