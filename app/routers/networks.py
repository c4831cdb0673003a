from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.schemas import Page
from app.organisations import networks
from app.organisations.schemas import (
    NetworkCreate,
    NetworkMemberCreate,
    NetworkPublic,
    NetworkUpdate,
    OrganisationPublic,
)
from app.organisations.tables import Network
from app.routers.deps import CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, errors

router = APIRouter(prefix="/networks", tags=["networks"])


async def _public(db: AsyncSession, rows: list[Network]) -> list[NetworkPublic]:
    counts = await networks.member_counts(db, [n.id for n in rows])
    return [
        NetworkPublic(
            id=n.id,
            name=n.name,
            description=n.description,
            coordinating_organisation_id=n.coordinating_organisation_id,
            member_count=counts[n.id],
            created_at=n.created_at,
        )
        for n in rows
    ]


@router.get("", response_model=Page[NetworkPublic], responses=errors(401, 422))
async def list_networks(
    db: SessionDep, user: CurrentUser, limit: Limit = 50, offset: Offset = 0
) -> Page[NetworkPublic]:
    """The networks (consortia of organisations) the caller can see, paged."""
    rows, total = await networks.list_visible(db, actor=user, limit=limit, offset=offset)
    return Page(items=await _public(db, rows), total=total)


@router.post("", status_code=201, response_model=NetworkPublic, responses=AUTHED)
async def create_network(body: NetworkCreate, db: SessionDep, user: CurrentUser) -> NetworkPublic:
    """Create a network within which classes are matched; coordinators and admins."""
    network = await networks.create(db, actor=user, data=body)
    return (await _public(db, [network]))[0]


@router.get("/{network_id}", response_model=NetworkPublic, responses=AUTHED)
async def get_network(network_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> NetworkPublic:
    """One network and its members."""
    network = await networks.get_visible(db, actor=user, network_id=network_id)
    return (await _public(db, [network]))[0]


@router.patch("/{network_id}", response_model=NetworkPublic, responses=AUTHED)
async def update_network(
    network_id: uuid.UUID, body: NetworkUpdate, db: SessionDep, user: CurrentUser
) -> NetworkPublic:
    """Change a network's fields, as far as the caller's role allows."""
    network = await networks.update(db, actor=user, network_id=network_id, data=body)
    return (await _public(db, [network]))[0]


@router.delete("/{network_id}", status_code=204, responses=errors(401, 403, 404))
async def delete_network(network_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> Response:
    """Delete a network, when the caller may manage it."""
    await networks.delete_network(db, actor=user, network_id=network_id)
    return Response(status_code=204)


@router.get("/{network_id}/members", response_model=Page[OrganisationPublic], responses=AUTHED)
async def list_members(
    network_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[OrganisationPublic]:
    """The organisations that belong to a network, paged."""
    rows, total = await networks.members(
        db, actor=user, network_id=network_id, limit=limit, offset=offset
    )
    return Page(items=[OrganisationPublic.model_validate(r) for r in rows], total=total)


@router.post(
    "/{network_id}/members", status_code=201, response_model=OrganisationPublic, responses=AUTHED
)
async def add_member(
    network_id: uuid.UUID, body: NetworkMemberCreate, db: SessionDep, user: CurrentUser
) -> OrganisationPublic:
    """Add an organisation to a network; answers the organisation added."""
    org = await networks.add_member(
        db, actor=user, network_id=network_id, organisation_id=body.organisation_id
    )
    return OrganisationPublic.model_validate(org)


@router.delete(
    "/{network_id}/members/{organisation_id}", status_code=204, responses=errors(401, 403, 404, 409)
)
async def remove_member(
    network_id: uuid.UUID, organisation_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> Response:
    """Remove an organisation from a network."""
    await networks.remove_member(
        db, actor=user, network_id=network_id, organisation_id=organisation_id
    )
    return Response(status_code=204)
