from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.core.schemas import CountryCode, Page
from app.organisations import service as organisations
from app.organisations.schemas import OrganisationCreate, OrganisationPublic, OrganisationUpdate
from app.routers.deps import CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, errors

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.get("", response_model=Page[OrganisationPublic], responses=errors(401, 422))
async def list_organisations(
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    country: Annotated[CountryCode | None, Query()] = None,
) -> Page[OrganisationPublic]:
    """The organisations the caller can see (schools and mobility providers), paged.

    Filter by `country` (ISO 3166-1 alpha-2).
    """
    rows, total = await organisations.list_visible(
        db, actor=user, limit=limit, offset=offset, country=country
    )
    return Page(items=[OrganisationPublic.model_validate(r) for r in rows], total=total)


@router.post("", status_code=201, response_model=OrganisationPublic, responses=AUTHED)
async def create_organisation(
    body: OrganisationCreate, db: SessionDep, user: CurrentUser
) -> OrganisationPublic:
    """Create an organisation (a school or a mobility provider); platform admins only."""
    org = await organisations.create(db, actor=user, data=body)
    return OrganisationPublic.model_validate(org)


@router.get("/{organisation_id}", response_model=OrganisationPublic, responses=AUTHED)
async def get_organisation(
    organisation_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> OrganisationPublic:
    """One organisation: name, country, city, IANA time zone and kind."""
    org = await organisations.get_visible(db, actor=user, organisation_id=organisation_id)
    return OrganisationPublic.model_validate(org)


@router.patch("/{organisation_id}", response_model=OrganisationPublic, responses=AUTHED)
async def update_organisation(
    organisation_id: uuid.UUID, body: OrganisationUpdate, db: SessionDep, user: CurrentUser
) -> OrganisationPublic:
    """Change an organisation's fields; its admins and coordinators only."""
    org = await organisations.update(db, actor=user, organisation_id=organisation_id, data=body)
    return OrganisationPublic.model_validate(org)


@router.delete("/{organisation_id}", status_code=204, responses=errors(401, 403, 404, 409))
async def delete_organisation(
    organisation_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> Response:
    """Delete an organisation; admins only; refused (409) while it still has users,
    classes or networks it coordinates."""
    await organisations.delete(db, actor=user, organisation_id=organisation_id)
    return Response(status_code=204)
