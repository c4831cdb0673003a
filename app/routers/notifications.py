"""The caller's in-app notification feed."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.core.schemas import Instant
from app.notifications import feed
from app.notifications.schemas import MarkedRead, MarkRead, NotificationFeed, NotificationPublic
from app.routers.deps import CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, errors

router = APIRouter(tags=["notifications"])


@router.get("/notifications", response_model=NotificationFeed, responses=errors(401, 422))
async def list_notifications(
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    unread: Annotated[bool | None, Query(description="Only unread (true) or read (false)")] = None,
    since: Annotated[
        Instant | None,
        Query(description="Only those created after this instant (poll with the newest seen)"),
    ] = None,
) -> NotificationFeed:
    """Your notifications, newest first: sessions scheduled, moved or cancelled; exchanges
    proposed or confirmed. In your school's language where a translation exists. `unread`
    counts every unread one, whatever the filters."""
    rows, total = await feed.feed(
        db, actor=user, limit=limit, offset=offset, unread=unread, since=since
    )
    return NotificationFeed(
        items=[NotificationPublic.model_validate(r) for r in rows],
        total=total,
        unread=await feed.unread_count(db, actor=user),
    )


@router.post("/notifications/read", response_model=MarkedRead, responses=errors(401, 422))
async def mark_many_read(body: MarkRead, db: SessionDep, user: CurrentUser) -> MarkedRead:
    """Mark many of your notifications read at once: a list of ids, everything up to an
    instant, or everything. Ids that are not yours are ignored."""
    marked = await feed.mark_many_read(
        db, actor=user, ids=None if body.all else body.ids, until=body.until
    )
    return MarkedRead(marked=marked, unread=await feed.unread_count(db, actor=user))


@router.post(
    "/notifications/{notification_id}/read", response_model=NotificationPublic, responses=AUTHED
)
async def mark_read(
    notification_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> NotificationPublic:
    """Mark one of your notifications read (again: no change)."""
    found = await feed.mark_read(db, actor=user, notification_id=notification_id)
    return NotificationPublic.model_validate(found)
