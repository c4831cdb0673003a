"""Data rights (export, erasure) and the audit trail."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.accounts.schemas import UserPublic
from app.core import audit
from app.core.schemas import Page
from app.core.tables import utcnow
from app.privacy import data_rights
from app.privacy.schemas import AuditRecordPublic, UserExport
from app.routers.deps import CurrentUser, Limit, Offset, SessionDep
from app.routers.limits import spend_export
from app.routers.responses import errors

router = APIRouter(tags=["data rights"])


@router.get(
    "/users/{user_id}/export",
    response_model=UserExport,
    responses=errors(401, 403, 404, 422, 429),
    dependencies=[Depends(spend_export)],
)
async def export_user(user_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> UserExport:
    """Everything stored about a person, as JSON: for the person, a guardian of a learner,
    their school's coordinator and admins. Audited."""
    data = await data_rights.export(db, actor=user, user_id=user_id, now=utcnow())
    return UserExport.model_validate(data)


@router.post(
    "/users/{user_id}/erase", response_model=UserPublic, responses=errors(401, 403, 404, 409, 422)
)
async def erase_user(user_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> UserPublic:
    """Erase a person's personal data (their school's coordinator, admins): pseudonymous name
    and address, no birth date, no login, no family links; class memberships and attendance
    stay for statistics. Never an admin account (403) or yourself (409 `cannot_erase_self`);
    409 `already_erased`. Audited; cannot be undone."""
    erased = await data_rights.erase(db, actor=user, user_id=user_id, now=utcnow())
    return UserPublic.model_validate(erased)


@router.get("/audit", response_model=Page[AuditRecordPublic], responses=errors(401, 403, 422))
async def audit_trail(
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    action: Annotated[str | None, Query(max_length=64)] = None,
    target_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Page[AuditRecordPublic]:
    """The append-only audit trail, newest first: admins see all of it, coordinators the
    records about their organisation's people."""
    rows, total = await audit.list_visible(
        db, actor=user, limit=limit, offset=offset, action=action, target_id=target_id
    )
    return Page(items=[AuditRecordPublic.model_validate(r) for r in rows], total=total)
