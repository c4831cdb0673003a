"""Telling a school's coordinators, in-app (and by e-mail and Web Push when on), that one of
its webhooks was disabled after failing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.rules.instants import utc_iso
from app.notifications.announce import announce_rendered, recipient_of
from app.notifications.rules import language_for
from app.webhooks.rules.texts import disabled_message
from app.webhooks.tables import WebhookSubscription


async def webhook_disabled(db: AsyncSession, *, sub: WebhookSubscription, now: datetime) -> int:
    """Tell the organisation's active coordinators once per disabling; how many were told."""
    coordinators = await db.scalars(
        select(User)
        .where(
            col(User.organisation_id) == sub.organisation_id,
            col(User.role) == "coordinator",
            col(User.is_active),
        )
        .order_by(col(User.id))
    )
    recipients = [await recipient_of(db, user) for user in coordinators.all()]

    def render_for(country: str | None) -> tuple[str, str, str]:
        return disabled_message(
            language_for(country), url=sub.url, failures=sub.consecutive_failures
        )

    return await announce_rendered(
        db,
        event="webhook.disabled",
        event_key=f"webhook.disabled:{sub.id}:{utc_iso(now)}",
        recipients=recipients,
        render_for=render_for,
        data={"webhook_id": str(sub.id), "organisation_id": str(sub.organisation_id)},
    )
