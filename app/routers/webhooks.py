"""An organisation's webhooks for partner systems (docs/webhooks.md): subscriptions, the
secret shown once, the delivery log, replay and a test ping."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response

from app.core.schemas import Page
from app.routers.deps import ContextDep, CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, errors
from app.webhooks import deliveries, subscriptions
from app.webhooks.schemas import (
    DeliveryPublic,
    WebhookCreate,
    WebhookPublic,
    WebhookUpdate,
    WebhookWithSecret,
)

router = APIRouter(tags=["webhooks"])
BASE = "/organisations/{organisation_id}/webhooks"
ONE = BASE + "/{webhook_id}"
DeliveryStatus = Literal["pending", "delivered", "failed", "expired"]


@router.post(BASE, status_code=201, response_model=WebhookWithSecret, responses=AUTHED)
async def create_webhook(
    organisation_id: uuid.UUID,
    body: WebhookCreate,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> WebhookWithSecret:
    """Subscribe a partner system's URL to the school's events (the school's coordinators and
    admins). The answer carries the signing `secret`, shown this once. In production the URL
    is https and its host resolves to public addresses only (422 `webhook_url_refused`)."""
    row = await subscriptions.create(
        db,
        actor=user,
        organisation_id=organisation_id,
        data=body,
        allow_private=ctx.settings.webhook_allow_private_urls,
        now=ctx.clock(),
    )
    return WebhookWithSecret.model_validate(row)


@router.get(BASE, response_model=Page[WebhookPublic], responses=AUTHED)
async def list_webhooks(
    organisation_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[WebhookPublic]:
    """The school's webhook subscriptions, oldest first (secrets never shown)."""
    rows, total = await subscriptions.list_of(
        db, actor=user, organisation_id=organisation_id, limit=limit, offset=offset
    )
    return Page(items=[WebhookPublic.model_validate(r) for r in rows], total=total)


@router.get(ONE, response_model=WebhookPublic, responses=AUTHED)
async def get_webhook(
    organisation_id: uuid.UUID, webhook_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> WebhookPublic:
    """One subscription, with whether it is enabled and why not."""
    row = await subscriptions.get(
        db, actor=user, organisation_id=organisation_id, webhook_id=webhook_id
    )
    return WebhookPublic.model_validate(row)


@router.patch(ONE, response_model=WebhookPublic, responses=AUTHED)
async def update_webhook(
    organisation_id: uuid.UUID,
    webhook_id: uuid.UUID,
    body: WebhookUpdate,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> WebhookPublic:
    """Change the URL (checked as at creation), description or event types; `enabled` pauses
    or resumes deliveries."""
    row = await subscriptions.update(
        db,
        actor=user,
        organisation_id=organisation_id,
        webhook_id=webhook_id,
        data=body,
        allow_private=ctx.settings.webhook_allow_private_urls,
        now=ctx.clock(),
    )
    return WebhookPublic.model_validate(row)


@router.delete(ONE, status_code=204, responses=AUTHED)
async def delete_webhook(
    organisation_id: uuid.UUID, webhook_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> Response:
    """Remove the subscription and its delivery log; nothing queued is sent."""
    await subscriptions.delete(
        db, actor=user, organisation_id=organisation_id, webhook_id=webhook_id
    )
    return Response(status_code=204)


@router.post(ONE + "/rotate-secret", response_model=WebhookWithSecret, responses=AUTHED)
async def rotate_secret(
    organisation_id: uuid.UUID,
    webhook_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> WebhookWithSecret:
    """A new signing secret, shown this once; the old one stops verifying at once."""
    row = await subscriptions.rotate_secret(
        db, actor=user, organisation_id=organisation_id, webhook_id=webhook_id, now=ctx.clock()
    )
    return WebhookWithSecret.model_validate(row)


@router.get(ONE + "/deliveries", response_model=Page[DeliveryPublic], responses=AUTHED)
async def list_deliveries(
    organisation_id: uuid.UUID,
    webhook_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    status: DeliveryStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[DeliveryPublic]:
    """The delivery log, newest first: each event's `webhook-id`, attempts, last answer or
    error, next attempt and when it was delivered."""
    rows, total = await deliveries.log_of(
        db,
        actor=user,
        organisation_id=organisation_id,
        webhook_id=webhook_id,
        status=status,
        limit=limit,
        offset=offset,
    )
    return Page(items=deliveries.public_page(rows), total=total)


@router.post(
    ONE + "/deliveries/{delivery_id}/replay",
    status_code=202,
    response_model=DeliveryPublic,
    responses=errors(401, 403, 404, 409, 422),
)
async def replay_delivery(
    organisation_id: uuid.UUID,
    webhook_id: uuid.UUID,
    delivery_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> DeliveryPublic:
    """Send a delivery again (delivered, failed or expired alike): the same body and
    `webhook-id`, signed anew with the current secret, with a fresh count of attempts.
    409 `webhook_disabled` while the subscription is disabled."""
    row = await deliveries.replay(
        db,
        actor=user,
        organisation_id=organisation_id,
        webhook_id=webhook_id,
        delivery_id=delivery_id,
        now=ctx.clock(),
    )
    return deliveries.public(row)


@router.post(
    ONE + "/ping",
    status_code=202,
    response_model=DeliveryPublic,
    responses=errors(401, 403, 404, 409, 422),
)
async def ping_webhook(
    organisation_id: uuid.UUID,
    webhook_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> DeliveryPublic:
    """Queue a `webhook.ping` test event to this subscription, whatever its event types;
    follow it in the delivery log. 409 `webhook_disabled` while it is disabled."""
    row = await deliveries.ping(
        db, actor=user, organisation_id=organisation_id, webhook_id=webhook_id, now=ctx.clock()
    )
    return deliveries.public(row)
