"""Web Push: whether it is on, and queueing notifications for their recipients' browsers.

On only when `PASSERELLE_VAPID_PRIVATE_KEY`, `PASSERELLE_VAPID_PUBLIC_KEY` and
`PASSERELLE_VAPID_SUBJECT` are all set (`configure`, at start-up). Then every in-app
notification also becomes one `PushDelivery` per subscription of its recipient, in the same
unit of work; `app.notifications.push_sender` sends them. Off, the push endpoints answer 404
`push_disabled` (a 4xx: a client probing for the feature is no server error) and nothing is
queued.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core.errors import AppError
from app.core.tables import utcnow
from app.notifications.tables import Notification, PushDelivery, PushSubscription


@dataclass(frozen=True)
class PushConfig:
    private_key: str
    public_key: str
    subject: str
    allow_http: bool = False  # endpoints over plain http (development and tests only)


class PushDisabled(AppError):
    status_code = 404
    code = "push_disabled"
    message = "Web Push is not configured on this server."


_config: PushConfig | None = None


def config_from(
    *,
    private_key: str | None,
    public_key: str | None,
    subject: str | None,
    allow_http: bool,
) -> PushConfig | None:
    """The configuration when every VAPID setting is given, else None (push off)."""
    if not (private_key and public_key and subject):
        return None
    return PushConfig(private_key.strip(), public_key.strip(), subject.strip(), allow_http)


def configure(config: PushConfig | None) -> None:
    global _config
    _config = config


def current() -> PushConfig:
    """The configuration; `PushDisabled` when push is off."""
    if _config is None:
        raise PushDisabled()
    return _config


async def deliveries_for(
    db: AsyncSession, notifications: Sequence[Notification]
) -> list[PushDelivery]:
    """One delivery per notification and subscription of its recipient (not added)."""
    if _config is None or not notifications:
        return []
    users = {n.user_id for n in notifications}
    rows = await db.execute(
        select(col(PushSubscription.id), col(PushSubscription.user_id))
        .where(col(PushSubscription.user_id).in_(list(users)))
        .order_by(col(PushSubscription.created_at))
    )
    subscriptions: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for subscription_id, user_id in rows.all():
        subscriptions[user_id].append(subscription_id)
    now = utcnow()
    return [
        PushDelivery(notification_id=n.id, subscription_id=s, next_attempt_at=now, created_at=now)
        for n in notifications
        for s in subscriptions.get(n.user_id, [])
    ]
