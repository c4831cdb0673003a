"""Networks: consortia of organisations within which classes are matched."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, delete, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.errors import Conflict, FieldNotAllowed, Forbidden, InvalidInput, not_found
from app.core.paging import fetch_page
from app.organisations.schemas import NetworkCreate, NetworkUpdate
from app.organisations.tables import Network, NetworkMember, Organisation


def _visible(actor: User) -> ColumnElement[bool]:
    if actor.role == "admin":
        return true()
    if actor.organisation_id is None or actor.role not in ("coordinator", "teacher"):
        return false()
    member_of = select(col(NetworkMember.network_id)).where(
        col(NetworkMember.organisation_id) == actor.organisation_id
    )
    return or_(
        col(Network.id).in_(member_of),
        col(Network.coordinating_organisation_id) == actor.organisation_id,
    )


async def member_counts(db: AsyncSession, network_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    counts = dict.fromkeys(network_ids, 0)
    if network_ids:
        rows = await db.execute(
            select(col(NetworkMember.network_id), func.count())
            .where(col(NetworkMember.network_id).in_(network_ids))
            .group_by(col(NetworkMember.network_id))
        )
        counts.update({nid: int(n) for nid, n in rows})
    return counts


async def get_visible(db: AsyncSession, *, actor: User, network_id: uuid.UUID) -> Network:
    stmt = select(Network).where(col(Network.id) == network_id, _visible(actor))
    network = (await db.scalars(stmt)).first()
    if network is None:
        raise not_found("Network")
    return network


async def list_visible(
    db: AsyncSession, *, actor: User, limit: int, offset: int
) -> tuple[list[Network], int]:
    stmt = select(Network).where(_visible(actor)).order_by(col(Network.name), col(Network.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


def _may_manage(actor: User, network: Network) -> bool:
    return actor.role == "admin" or (
        actor.role == "coordinator"
        and actor.organisation_id == network.coordinating_organisation_id
    )


async def create(db: AsyncSession, *, actor: User, data: NetworkCreate) -> Network:
    if actor.role not in ("admin", "coordinator"):
        raise Forbidden("Only coordinators and admins create networks.")
    org_id = data.coordinating_organisation_id
    if actor.role == "coordinator":
        if org_id is not None and org_id != actor.organisation_id:
            raise FieldNotAllowed("body.coordinating_organisation_id")
        org_id = actor.organisation_id
    if org_id is None:
        raise InvalidInput("body.coordinating_organisation_id", "required")
    if await db.get(Organisation, org_id) is None:
        raise InvalidInput("body.coordinating_organisation_id", "no such organisation")
    network = Network(
        name=data.name, description=data.description, coordinating_organisation_id=org_id
    )
    db.add(network)
    await db.flush()
    db.add(NetworkMember(network_id=network.id, organisation_id=org_id))
    await db.flush()
    return network


async def update(
    db: AsyncSession, *, actor: User, network_id: uuid.UUID, data: NetworkUpdate
) -> Network:
    network = await get_visible(db, actor=actor, network_id=network_id)
    if not _may_manage(actor, network):
        raise Forbidden("Only the coordinating organisation's coordinators change a network.")
    for name, value in data.model_dump(exclude_unset=True).items():
        if value is None:
            raise InvalidInput(f"body.{name}", "may not be null")
        setattr(network, name, value)
    await db.flush()
    return network


async def delete_network(db: AsyncSession, *, actor: User, network_id: uuid.UUID) -> None:
    network = await get_visible(db, actor=actor, network_id=network_id)
    if not _may_manage(actor, network):
        raise Forbidden("Only the coordinating organisation's coordinators delete a network.")
    await db.execute(delete(NetworkMember).where(col(NetworkMember.network_id) == network.id))
    await db.delete(network)
    await db.flush()


async def members(
    db: AsyncSession, *, actor: User, network_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[Organisation], int]:
    network = await get_visible(db, actor=actor, network_id=network_id)
    stmt = (
        select(Organisation)
        .join(NetworkMember, col(NetworkMember.organisation_id) == col(Organisation.id))
        .where(col(NetworkMember.network_id) == network.id)
        .order_by(col(Organisation.name), col(Organisation.id))
    )
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def add_member(
    db: AsyncSession, *, actor: User, network_id: uuid.UUID, organisation_id: uuid.UUID
) -> Organisation:
    network = await get_visible(db, actor=actor, network_id=network_id)
    if not _may_manage(actor, network):
        raise Forbidden("Only the coordinating organisation's coordinators add members.")
    org = await db.get(Organisation, organisation_id)
    if org is None:
        raise InvalidInput("body.organisation_id", "no such organisation")
    if await db.get(NetworkMember, (network.id, org.id)) is None:
        db.add(NetworkMember(network_id=network.id, organisation_id=org.id))
        await db.flush()
    return org


async def remove_member(
    db: AsyncSession, *, actor: User, network_id: uuid.UUID, organisation_id: uuid.UUID
) -> None:
    network = await get_visible(db, actor=actor, network_id=network_id)
    if not _may_manage(actor, network):
        raise Forbidden("Only the coordinating organisation's coordinators remove members.")
    if organisation_id == network.coordinating_organisation_id:
        raise Conflict(
            "The coordinating organisation cannot leave its own network.",
            code="coordinator_cannot_leave",
        )
    link = await db.get(NetworkMember, (network.id, organisation_id))
    if link is None:
        raise not_found("Network member")
    await db.delete(link)
    await db.flush()
