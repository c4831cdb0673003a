"""The caller's in-app notification feed."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.core.schemas import Page
from app.notifications import service as notifications
from app.notifications.schemas import NotificationPublic
from app.routers.deps import CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, errors

router = APIRouter(tags=["notifications"])


@router.get("/notifications", response_model=Page[NotificationPublic], responses=errors(401, 422))
async def list_notifications(
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    unread: Annotated[bool | None, Query(description="Only unread (true) or read (false)")] = None,
) -> Page[NotificationPublic]:
    """Your notifications, newest first: sessions scheduled, moved or cancelled; exchanges
    proposed or confirmed. In your school's language where a translation exists."""
    rows, total = await notifications.feed(
        db, actor=user, limit=limit, offset=offset, unread=unread
    )
    return Page(items=[NotificationPublic.model_validate(r) for r in rows], total=total)


@router.post(
    "/notifications/{notification_id}/read", response_model=NotificationPublic, responses=AUTHED
)
async def mark_read(
    notification_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> NotificationPublic:
    """Mark one of your notifications read (again: no change)."""
    found = await notifications.mark_read(db, actor=user, notification_id=notification_id)
    return NotificationPublic.model_validate(found)
