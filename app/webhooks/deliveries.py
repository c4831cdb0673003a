"""Queueing events for an organisation's subscriptions, in the caller's unit of work (so a
delivery exists exactly when the change does), and the delivery log with replay and ping."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.errors import Conflict, not_found
from app.core.paging import fetch_page
from app.webhooks import subscriptions
from app.webhooks.rules import events
from app.webhooks.schemas import DeliveryPublic
from app.webhooks.tables import WebhookDelivery, WebhookSubscription


def new_webhook_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def _delivery(
    subscription_id: uuid.UUID, event_type: str, data: dict[str, Any], now: datetime
) -> WebhookDelivery:
    return WebhookDelivery(
        subscription_id=subscription_id,
        event_type=event_type,
        webhook_id=new_webhook_id(),
        payload=events.body(event_type, now, data),
        next_attempt_at=now,
        created_at=now,
    )


async def enqueue(
    db: AsyncSession,
    *,
    event_type: events.EventType,
    data_by_organisation: dict[uuid.UUID, dict[str, Any]],
    now: datetime,
) -> int:
    """Queue `event_type` for every enabled subscription of these organisations that asks for
    it, each organisation with its own `data`; how many deliveries were queued."""
    if not data_by_organisation:
        return 0
    found = await db.scalars(
        select(WebhookSubscription).where(
            col(WebhookSubscription.organisation_id).in_(list(data_by_organisation)),
            col(WebhookSubscription.enabled),
        )
    )
    added = [
        _delivery(sub.id, event_type, data_by_organisation[sub.organisation_id], now)
        for sub in found.all()
        if events.wants(sub.event_types, event_type)
    ]
    db.add_all(added)
    if added:
        await db.flush()
    return len(added)


def public(row: WebhookDelivery) -> DeliveryPublic:
    shown = DeliveryPublic.model_validate(row)
    if row.status != "pending":
        shown.next_attempt_at = None
    return shown


def public_page(rows: Iterable[WebhookDelivery]) -> list[DeliveryPublic]:
    return [public(r) for r in rows]


async def log_of(
    db: AsyncSession,
    *,
    actor: User,
    organisation_id: uuid.UUID,
    webhook_id: uuid.UUID,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[list[WebhookDelivery], int]:
    """The subscription's deliveries, newest first."""
    sub = await subscriptions.get(
        db, actor=actor, organisation_id=organisation_id, webhook_id=webhook_id
    )
    stmt = select(WebhookDelivery).where(col(WebhookDelivery.subscription_id) == sub.id)
    if status is not None:
        stmt = stmt.where(col(WebhookDelivery.status) == status)
    stmt = stmt.order_by(col(WebhookDelivery.created_at).desc(), col(WebhookDelivery.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


def _enabled(sub: WebhookSubscription) -> None:
    if not sub.enabled:
        raise Conflict("The webhook is disabled; enable it first.", code="webhook_disabled")


async def replay(
    db: AsyncSession,
    *,
    actor: User,
    organisation_id: uuid.UUID,
    webhook_id: uuid.UUID,
    delivery_id: uuid.UUID,
    now: datetime,
) -> WebhookDelivery:
    """Send a delivery again, whatever became of it: the same body and `webhook-id`, a fresh
    count of attempts, signed with the current secret."""
    sub = await subscriptions.get(
        db, actor=actor, organisation_id=organisation_id, webhook_id=webhook_id
    )
    row = await db.get(WebhookDelivery, delivery_id)
    if row is None or row.subscription_id != sub.id:
        raise not_found("Webhook delivery")
    _enabled(sub)
    row.status, row.attempts, row.next_attempt_at = "pending", 0, now
    row.delivered_at = None
    await db.flush()
    return row


async def ping(
    db: AsyncSession,
    *,
    actor: User,
    organisation_id: uuid.UUID,
    webhook_id: uuid.UUID,
    now: datetime,
) -> WebhookDelivery:
    """Queue a `webhook.ping` test event for this subscription alone."""
    sub = await subscriptions.get(
        db, actor=actor, organisation_id=organisation_id, webhook_id=webhook_id
    )
    _enabled(sub)
    row = _delivery(
        sub.id,
        events.PING,
        {"subscription_id": str(sub.id), "organisation_id": str(sub.organisation_id)},
        now,
    )
    db.add(row)
    await db.flush()
    return row
