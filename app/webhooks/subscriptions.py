"""An organisation's webhook subscriptions: create, list, read, change, delete, rotate the
secret. Its coordinators and the admins manage them; the school's other people get 403, and
anyone outside the school 404, as for an organisation they cannot see."""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.audit import audit
from app.core.errors import AppError, Forbidden, not_found
from app.core.paging import fetch_page
from app.organisations.tables import Organisation
from app.webhooks import resolve
from app.webhooks.rules.addresses import UrlRefused
from app.webhooks.schemas import WebhookCreate, WebhookUpdate
from app.webhooks.tables import WebhookSubscription

SECRET_BYTES = 24


class WebhookUrlRefused(AppError):
    status_code = 422
    code = "webhook_url_refused"
    message = "This URL may not receive webhooks."

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"This URL may not receive webhooks: {reason}.",
            details=[{"field": "body.url", "message": reason, "type": "webhook_url_refused"}],
        )


def new_secret() -> str:
    """`whsec_` and 24 random bytes in base64, as Standard Webhooks libraries read it."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


async def check_url(url: str, *, allow_private: bool) -> None:
    try:
        await resolve.checked(url, allow_private=allow_private)
    except UrlRefused as exc:
        raise WebhookUrlRefused(exc.reason) from exc


async def managed_organisation(
    db: AsyncSession, *, actor: User, organisation_id: uuid.UUID
) -> Organisation:
    """The organisation whose webhooks `actor` manages: 404 outside the school, 403 for its
    people who are not coordinators."""
    org = await db.get(Organisation, organisation_id)
    if org is None or (actor.role != "admin" and actor.organisation_id != org.id):
        raise not_found("Organisation")
    if actor.role not in ("admin", "coordinator"):
        raise Forbidden("Only the school's coordinators manage its webhooks.")
    return org


async def get(
    db: AsyncSession, *, actor: User, organisation_id: uuid.UUID, webhook_id: uuid.UUID
) -> WebhookSubscription:
    org = await managed_organisation(db, actor=actor, organisation_id=organisation_id)
    found = await db.get(WebhookSubscription, webhook_id)
    if found is None or found.organisation_id != org.id:
        raise not_found("Webhook")
    return found


async def create(
    db: AsyncSession,
    *,
    actor: User,
    organisation_id: uuid.UUID,
    data: WebhookCreate,
    allow_private: bool,
    now: datetime,
) -> WebhookSubscription:
    org = await managed_organisation(db, actor=actor, organisation_id=organisation_id)
    await check_url(data.url, allow_private=allow_private)
    row = WebhookSubscription(
        organisation_id=org.id,
        url=data.url,
        description=data.description,
        event_types=list(dict.fromkeys(data.event_types)),
        secret=new_secret(),
        enabled=data.enabled,
        disabled_reason=None if data.enabled else "by_user",
        disabled_at=None if data.enabled else now,
        created_by=actor.id,
        created_at=now,
        updated_at=now,
    )
    db.add(row)
    await db.flush()
    await audit(db, actor, "webhook.created", "webhook", row.id, {"url": row.url})
    return row


async def list_of(
    db: AsyncSession, *, actor: User, organisation_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[WebhookSubscription], int]:
    org = await managed_organisation(db, actor=actor, organisation_id=organisation_id)
    stmt = (
        select(WebhookSubscription)
        .where(col(WebhookSubscription.organisation_id) == org.id)
        .order_by(col(WebhookSubscription.created_at), col(WebhookSubscription.id))
    )
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def update(
    db: AsyncSession,
    *,
    actor: User,
    organisation_id: uuid.UUID,
    webhook_id: uuid.UUID,
    data: WebhookUpdate,
    allow_private: bool,
    now: datetime,
) -> WebhookSubscription:
    row = await get(db, actor=actor, organisation_id=organisation_id, webhook_id=webhook_id)
    if data.url is not None and data.url != row.url:
        await check_url(data.url, allow_private=allow_private)
        row.url = data.url
    if data.description is not None:
        row.description = data.description
    if data.event_types is not None:
        row.event_types = list(dict.fromkeys(data.event_types))
    if data.enabled is not None and data.enabled != row.enabled:
        row.enabled = data.enabled
        row.disabled_reason = None if data.enabled else "by_user"
        row.disabled_at = None if data.enabled else now
        row.consecutive_failures = 0
    row.updated_at = now
    await db.flush()
    changed = sorted(data.model_dump(exclude_unset=True))
    await audit(db, actor, "webhook.changed", "webhook", row.id, {"fields": changed})
    return row


async def delete(
    db: AsyncSession, *, actor: User, organisation_id: uuid.UUID, webhook_id: uuid.UUID
) -> None:
    """The subscription and its delivery log; what was queued is not sent."""
    row = await get(db, actor=actor, organisation_id=organisation_id, webhook_id=webhook_id)
    await audit(db, actor, "webhook.deleted", "webhook", row.id, {"url": row.url})
    await db.delete(row)
    await db.flush()


async def rotate_secret(
    db: AsyncSession,
    *,
    actor: User,
    organisation_id: uuid.UUID,
    webhook_id: uuid.UUID,
    now: datetime,
) -> WebhookSubscription:
    """A new secret signs every delivery from now on, retries of earlier events too."""
    row = await get(db, actor=actor, organisation_id=organisation_id, webhook_id=webhook_id)
    row.secret = new_secret()
    row.updated_at = now
    await db.flush()
    await audit(db, actor, "webhook.secret_rotated", "webhook", row.id)
    return row
