"""The caller's in-app notification feed: newest first, what is new since a moment, how many
are unread, and marking read (one, a list, or everything up to a moment)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.errors import not_found
from app.core.paging import fetch_page
from app.core.tables import utcnow
from app.notifications.tables import Notification


async def feed(
    db: AsyncSession,
    *,
    actor: User,
    limit: int,
    offset: int,
    unread: bool | None,
    since: datetime | None = None,
) -> tuple[list[Notification], int]:
    """The caller's notifications, newest first; `since`: only those created after it."""
    stmt = select(Notification).where(col(Notification.user_id) == actor.id)
    if since is not None:
        stmt = stmt.where(col(Notification.created_at) > since)
    if unread is True:
        stmt = stmt.where(col(Notification.read_at).is_(None))
    elif unread is False:
        stmt = stmt.where(col(Notification.read_at).is_not(None))
    stmt = stmt.order_by(col(Notification.created_at).desc(), col(Notification.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def unread_count(db: AsyncSession, *, actor: User) -> int:
    count = await db.scalar(
        select(func.count())
        .select_from(Notification)
        .where(col(Notification.user_id) == actor.id, col(Notification.read_at).is_(None))
    )
    return int(count or 0)


async def mark_many_read(
    db: AsyncSession, *, actor: User, ids: Sequence[uuid.UUID] | None, until: datetime | None
) -> int:
    """Mark the caller's unread notifications read in one statement: those in `ids`, or every
    one created up to `until` (both None: all). Others' notifications are never touched.
    Answers how many changed."""
    stmt = update(Notification).where(
        col(Notification.user_id) == actor.id, col(Notification.read_at).is_(None)
    )
    if ids is not None:
        stmt = stmt.where(col(Notification.id).in_(list(ids)))
    if until is not None:
        stmt = stmt.where(col(Notification.created_at) <= until)
    result = await db.execute(
        stmt.values(read_at=utcnow()).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def mark_read(db: AsyncSession, *, actor: User, notification_id: uuid.UUID) -> Notification:
    found = (
        await db.scalars(
            select(Notification).where(
                col(Notification.id) == notification_id, col(Notification.user_id) == actor.id
            )
        )
    ).first()
    if found is None:
        raise not_found("Notification")
    if found.read_at is None:
        await db.execute(
            update(Notification)
            .where(col(Notification.id) == found.id, col(Notification.read_at).is_(None))
            .values(read_at=utcnow())
        )
        await db.refresh(found)
    return found
