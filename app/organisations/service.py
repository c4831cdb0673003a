"""Organisations: schools and mobility providers."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.access import organisations_visible_to
from app.accounts.tables import User
from app.classes.tables import SchoolClass
from app.core.errors import Conflict, FieldNotAllowed, Forbidden, not_found
from app.core.paging import fetch_page
from app.organisations.schemas import OrganisationCreate, OrganisationUpdate
from app.organisations.tables import Network, NetworkMember, Organisation


async def get_visible(db: AsyncSession, *, actor: User, organisation_id: uuid.UUID) -> Organisation:
    stmt = select(Organisation).where(
        col(Organisation.id) == organisation_id, organisations_visible_to(actor)
    )
    org = (await db.scalars(stmt)).first()
    if org is None:
        raise not_found("Organisation")
    return org


async def list_visible(
    db: AsyncSession, *, actor: User, limit: int, offset: int, country: str | None = None
) -> tuple[list[Organisation], int]:
    stmt = select(Organisation).where(organisations_visible_to(actor))
    if country:
        stmt = stmt.where(col(Organisation.country) == country.upper())
    return await fetch_page(
        db,
        stmt.order_by(col(Organisation.name), col(Organisation.id)),
        limit=limit,
        offset=offset,
    )


async def create(db: AsyncSession, *, actor: User, data: OrganisationCreate) -> Organisation:
    if actor.role != "admin":
        raise Forbidden("Only platform admins create organisations.")
    org = Organisation(**data.model_dump())
    db.add(org)
    await db.flush()
    return org


async def update(
    db: AsyncSession, *, actor: User, organisation_id: uuid.UUID, data: OrganisationUpdate
) -> Organisation:
    org = await get_visible(db, actor=actor, organisation_id=organisation_id)
    own = actor.role == "coordinator" and actor.organisation_id == org.id
    if not (actor.role == "admin" or own):
        raise Forbidden("Only the organisation's coordinators may change it.")
    changes = data.model_dump(exclude_unset=True)
    if actor.role != "admin" and "country" in changes and changes["country"] != org.country:
        raise FieldNotAllowed("body.country")
    for key, value in changes.items():
        if value is None and key != "region":
            continue
        setattr(org, key, value)
    await db.flush()
    return org


async def delete(db: AsyncSession, *, actor: User, organisation_id: uuid.UUID) -> None:
    org = await get_visible(db, actor=actor, organisation_id=organisation_id)
    if actor.role != "admin":
        raise Forbidden("Only platform admins delete organisations.")
    for label, column in (
        ("users", User.organisation_id),
        ("classes", SchoolClass.organisation_id),
        ("coordinated networks", Network.coordinating_organisation_id),
    ):
        in_use = await db.scalar(select(exists().where(col(column) == org.id)))
        if in_use:
            raise Conflict(
                f"The organisation still has {label}; remove or move them first.",
                code="organisation_in_use",
            )
    await db.execute(
        NetworkMember.__table__.delete().where(  # type: ignore[attr-defined]
            col(NetworkMember.organisation_id) == org.id
        )
    )
    await db.delete(org)
    await db.flush()
