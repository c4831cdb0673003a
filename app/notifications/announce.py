"""Announcing events whose texts another capability renders (mobility's, for one).

The same guarantees as `app.notifications.service`: one notification (and, when e-mail is on,
one outbox row, and with Web Push one push delivery per subscription) per recipient, in the
caller's unit of work; `(user, event_key)` is unique, so the caller claims an event before
announcing it, and nobody is told twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.tables import User
from app.core.tables import utcnow
from app.notifications import push, service
from app.notifications.service import MESSAGE_ID_DOMAIN, Recipient
from app.notifications.tables import Notification, OutboxMessage
from app.organisations.tables import Organisation

# (language, subject, body) for a reader of a country (None: unknown)
Renderer = Callable[[str | None], tuple[str, str, str]]


async def recipient_of(
    db: AsyncSession, person: User, *, school_of: User | None = None
) -> Recipient:
    """`person` reading in the language and zone of their own school, or of `school_of`'s
    school (a guardian reads in their learner's)."""
    whose = school_of or person
    org = await db.get(Organisation, whose.organisation_id) if whose.organisation_id else None
    return Recipient(person, org.country if org else None, org.timezone if org else "UTC")


async def announce_rendered(
    db: AsyncSession,
    *,
    event: str,
    event_key: str,
    recipients: Sequence[Recipient],
    render_for: Renderer,
    data: dict[str, Any],
) -> int:
    """Tell each recipient once (inactive accounts are skipped); how many were told."""
    now = utcnow()
    told: set[uuid.UUID] = set()
    added: list[Notification] = []
    for recipient in recipients:
        if recipient.user.id in told or not recipient.user.is_active:
            continue
        told.add(recipient.user.id)
        language, subject, body = render_for(recipient.country)
        notification = Notification(
            user_id=recipient.user.id,
            event=event,
            event_key=event_key,
            language=language,
            title=subject,
            body=body,
            data=data,
            created_at=now,
        )
        added.append(notification)
        db.add(notification)
        if service.email_enabled():
            db.add(
                OutboxMessage(
                    event_key=event_key,
                    recipient_id=recipient.user.id,
                    to_address=recipient.user.email,
                    language=language,
                    subject=subject,
                    body=body,
                    message_id=f"<{uuid.uuid4()}@{MESSAGE_ID_DOMAIN}>",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    await db.flush()
    db.add_all(await push.deliveries_for(db, added))
    await db.flush()
    return len(told)
