"""The caller's Web Push subscriptions: register (idempotent per endpoint), list, remove.

An endpoint belongs to one browser profile; registering one that is already known moves it
to the caller with the keys given (whoever is logged in on that browser now gets its
pushes, and nothing still queued for the one before). Every operation answers 404
`push_disabled` while push is off.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.errors import InvalidInput, not_found
from app.core.paging import fetch_page
from app.core.tables import utcnow
from app.notifications import push
from app.notifications.push_schemas import PushSubscriptionCreate
from app.notifications.tables import PushDelivery, PushSubscription


def public_key() -> str:
    return push.current().public_key


async def subscribe(
    db: AsyncSession, *, actor: User, data: PushSubscriptionCreate
) -> tuple[PushSubscription, bool]:
    """The subscription, and whether it is new."""
    config = push.current()
    endpoint = data.endpoint
    if urlsplit(endpoint).scheme != "https" and not config.allow_http:
        raise InvalidInput("body.endpoint", "a push service's endpoint is an https URL")
    found = (
        await db.scalars(select(PushSubscription).where(col(PushSubscription.endpoint) == endpoint))
    ).first()
    if found is not None:
        if found.user_id != actor.id:  # the last owner's pushes still queued are not yours
            await db.execute(
                delete(PushDelivery).where(col(PushDelivery.subscription_id) == found.id)
            )
            found.user_id = actor.id
        found.p256dh, found.auth_secret = data.keys.p256dh, data.keys.auth
        await db.flush()
        return found, False
    created = PushSubscription(
        user_id=actor.id,
        endpoint=endpoint,
        p256dh=data.keys.p256dh,
        auth_secret=data.keys.auth,
        created_at=utcnow(),
    )
    db.add(created)
    await db.flush()
    return created, True


async def list_own(
    db: AsyncSession, *, actor: User, limit: int, offset: int
) -> tuple[list[PushSubscription], int]:
    push.current()
    stmt = (
        select(PushSubscription)
        .where(col(PushSubscription.user_id) == actor.id)
        .order_by(col(PushSubscription.created_at), col(PushSubscription.id))
    )
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def remove(db: AsyncSession, *, actor: User, subscription_id: uuid.UUID) -> None:
    push.current()
    found = (
        await db.scalars(
            select(PushSubscription).where(
                col(PushSubscription.id) == subscription_id,
                col(PushSubscription.user_id) == actor.id,
            )
        )
    ).first()
    if found is None:
        raise not_found("Push subscription")
    await db.delete(found)
    await db.flush()
