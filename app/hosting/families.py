"""Host-family profiles: kept by a receiving organisation's coordinators, read by its staff
and by the family's own members."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.audit import audit
from app.core.errors import FieldNotAllowed, Forbidden, InvalidInput
from app.core.paging import fetch_page
from app.hosting.access import families_visible_to, keeps, visible_family
from app.hosting.schemas import (
    HostFamilyCreate,
    HostFamilyPublic,
    HostFamilyUpdate,
    HouseholdPublic,
    Location,
    Vetting,
)
from app.hosting.tables import HostFamily
from app.organisations.tables import Organisation


def _profile(data: dict[str, Any]) -> dict[str, Any]:
    """Request fields as columns."""
    columns: dict[str, Any] = {}
    for name, value in data.items():
        if name == "location":
            columns["lat"] = value["lat"] if value else None
            columns["lon"] = value["lon"] if value else None
        elif name == "household":
            columns["adults"], columns["children"] = value["adults"], value["children"]
        elif name == "available":
            columns[name] = [
                {"from": p["from_"].isoformat(), "to": p["to"].isoformat()} for p in value
            ]
        elif name == "pets":
            columns[name] = sorted({p.strip().lower() for p in value if p.strip()})
        elif name == "diets":
            columns[name] = sorted(set(value))
        else:
            columns[name] = value
    return columns


async def create(
    db: AsyncSession, *, actor: User, data: HostFamilyCreate, now: datetime
) -> HostFamily:
    if actor.role not in ("admin", "coordinator"):
        raise Forbidden("Only the receiving school's coordinators keep host families.")
    if actor.role == "coordinator" and actor.organisation_id != data.organisation_id:
        raise FieldNotAllowed("body.organisation_id")
    if await db.get(Organisation, data.organisation_id) is None:
        raise InvalidInput("body.organisation_id", "no such organisation")
    columns = _profile(data.model_dump(exclude={"organisation_id"}))
    family = HostFamily(
        organisation_id=data.organisation_id,
        created_by=actor.id,
        created_at=now,
        updated_at=now,
        **columns,
    )
    db.add(family)
    await db.flush()
    await audit(db, actor, "host_family.created", "host_family", family.id, {})
    return family


async def get(db: AsyncSession, *, actor: User, family_id: uuid.UUID) -> HostFamily:
    return await visible_family(db, actor=actor, family_id=family_id)


async def list_visible(
    db: AsyncSession,
    *,
    actor: User,
    limit: int,
    offset: int,
    organisation_id: uuid.UUID | None,
    vetting_status: str | None,
) -> tuple[list[HostFamily], int]:
    stmt = select(HostFamily).where(families_visible_to(actor))
    if organisation_id is not None:
        stmt = stmt.where(col(HostFamily.organisation_id) == organisation_id)
    if vetting_status is not None:
        stmt = stmt.where(col(HostFamily.vetting_status) == vetting_status)
    stmt = stmt.order_by(col(HostFamily.display_name), col(HostFamily.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def update(
    db: AsyncSession,
    *,
    actor: User,
    family_id: uuid.UUID,
    data: HostFamilyUpdate,
    now: datetime,
) -> HostFamily:
    family = await visible_family(db, actor=actor, family_id=family_id)
    if not keeps(actor, family):
        raise Forbidden("Only the receiving school's coordinators change a host family.")
    for name, value in _profile(data.model_dump(exclude_unset=True)).items():
        setattr(family, name, value)
    family.updated_at = now
    await db.flush()
    await audit(db, actor, "host_family.changed", "host_family", family.id, {})
    return family


def public(family: HostFamily, *, actor: User) -> HostFamilyPublic:
    """The profile; the vetting note is for the school's staff only."""
    staff = actor.role != "host"
    location = (
        Location(lat=family.lat, lon=family.lon)
        if family.lat is not None and family.lon is not None
        else None
    )
    return HostFamilyPublic(
        id=family.id,
        organisation_id=family.organisation_id,
        display_name=family.display_name,
        city=family.city,
        area=family.area,
        location=location,
        languages=family.languages,
        household=HouseholdPublic(adults=family.adults, children=family.children),
        pets=family.pets,
        smoking=family.smoking,
        diets=family.diets,
        rooms=family.rooms,
        available=family.available,
        max_drive_km=family.max_drive_km,
        vetting=Vetting(
            status=family.vetting_status,
            checked_on=family.vetting_checked_on,
            valid_until=family.vetting_valid_until,
            note=family.vetting_note if staff else None,
        ),
        created_at=family.created_at,
        updated_at=family.updated_at,
    )
