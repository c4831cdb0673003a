from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.accounts import users
from app.accounts.schemas import GuardianLinkCreate, Role, UserCreate, UserPublic, UserUpdate
from app.core.schemas import Page
from app.core.tables import utcnow
from app.families import birth_dates
from app.routers.deps import CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, errors

router = APIRouter(tags=["users"])


@router.get("/users", response_model=Page[UserPublic], responses=errors(401, 422))
async def list_users(
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    role: Annotated[Role | None, Query()] = None,
    organisation_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Page[UserPublic]:
    """The accounts the caller can see, paged; filter by `role` and `organisation_id`.

    Partner schools see a learner's display name and country only.
    """
    rows, total = await users.list_visible(
        db, actor=user, limit=limit, offset=offset, role=role, organisation_id=organisation_id
    )
    return Page(items=[UserPublic.model_validate(r) for r in rows], total=total)


@router.post(
    "/users", status_code=201, response_model=UserPublic, responses=errors(401, 403, 409, 422)
)
async def create_user(body: UserCreate, db: SessionDep, user: CurrentUser) -> UserPublic:
    """Create an account (`password` on create); coordinators create accounts of their organisation.

    A learner needs a `birth_date` (for the consent rules); an e-mail already in use is a 409.
    """
    return UserPublic.model_validate(await users.create(db, actor=user, data=body))


@router.get("/users/{user_id}", response_model=UserPublic, responses=AUTHED)
async def get_user(user_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> UserPublic:
    """One account, as much of it as the caller may see."""
    return UserPublic.model_validate(await users.get_visible(db, actor=user, user_id=user_id))


@router.patch(
    "/users/{user_id}", response_model=UserPublic, responses=errors(401, 403, 404, 409, 422)
)
async def update_user(
    user_id: uuid.UUID, body: UserUpdate, db: SessionDep, user: CurrentUser
) -> UserPublic:
    """Change an account; which fields a caller may set depends on their role
    (`field_not_allowed` otherwise). A learner's changed birth date is audited, and told to
    their guardians when it moves the learner across the digital-consent age
    (docs/families.md)."""
    updated = await birth_dates.update_user(
        db, actor=user, user_id=user_id, data=body, now=utcnow()
    )
    return UserPublic.model_validate(updated)


@router.delete("/users/{user_id}", status_code=204, responses=errors(401, 403, 404, 409))
async def deactivate_user(user_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> Response:
    """Deactivates the account: it can no longer log in; its records stay."""
    await users.deactivate(db, actor=user, user_id=user_id)
    return Response(status_code=204)


@router.get("/learners/{learner_id}/guardians", response_model=Page[UserPublic], responses=AUTHED)
async def list_guardians(
    learner_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> Page[UserPublic]:
    """The guardians linked to a learner."""
    rows = await users.list_guardians(db, actor=user, learner_id=learner_id)
    return Page(items=[UserPublic.model_validate(r) for r in rows], total=len(rows))


@router.post(
    "/learners/{learner_id}/guardians",
    status_code=201,
    response_model=Page[UserPublic],
    responses=errors(401, 403, 404, 409, 422),
)
async def link_guardian(
    learner_id: uuid.UUID, body: GuardianLinkCreate, db: SessionDep, user: CurrentUser
) -> Page[UserPublic]:
    """Link a guardian; answers the learner's guardians, as the list does."""
    rows = await users.link_guardian(
        db, actor=user, learner_id=learner_id, guardian_id=body.guardian_id
    )
    return Page(items=[UserPublic.model_validate(r) for r in rows], total=len(rows))


@router.delete("/learners/{learner_id}/guardians/{guardian_id}", status_code=204, responses=AUTHED)
async def unlink_guardian(
    learner_id: uuid.UUID, guardian_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> Response:
    """Unlink a guardian from a learner."""
    await users.unlink_guardian(db, actor=user, learner_id=learner_id, guardian_id=guardian_id)
    return Response(status_code=204)
