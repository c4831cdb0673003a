"""The Web Push sender: a background task that drains `push_delivery` to the push services.

Each delivery is claimed by moving its `next_attempt_at` a lease ahead (so another sender, in
this process or another, skips it) and committed before the push service is called: no
transaction stays open during the call. The call runs in a worker thread (`pywebpush` blocks).
Then, in a new transaction:

- accepted (2xx): the delivery is `sent`;
- 404 or 410 from the push service: the subscription is gone for good; it is deleted, and its
  deliveries with it;
- another 4xx (but 408 and 429): `failed`, never retried;
- anything else (5xx, 408, 429, a network error, a timeout): retried with the e-mail outbox's
  backoff (1, 2, 4 ... minutes), `failed` after its `MAX_ATTEMPTS`; older than its `MAX_AGE`
  it expires unsent.

A sender that dies between the push and the commit leaves the delivery to be pushed again
after the lease: Web Push is at least once. The payload is the notification as the feed shows
it, JSON: `{"id", "event", "title", "body", "data", "created_at"}`.
"""

from __future__ import annotations

import base64
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

import anyio.to_thread
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid
from pywebpush import WebPushException, webpush
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app.core.loops import Loop
from app.core.rules.instants import utc_iso
from app.core.tables import utcnow
from app.notifications import push
from app.notifications.outbox import MAX_AGE, MAX_ATTEMPTS, backoff
from app.notifications.push import PushConfig
from app.notifications.tables import Notification, PushDelivery, PushSubscription

log = logging.getLogger("passerelle.push")

LEASE: Final = timedelta(minutes=2)
TIMEOUT_S: Final = 15.0
TTL_S: Final = 24 * 3600  # how long a push service keeps a message for an offline browser
MAX_BODY: Final = 1000  # characters of the notification's body in the payload (4 KB limit)
GONE: Final = (404, 410)


@dataclass(frozen=True)
class Job:
    delivery_id: uuid.UUID
    subscription_id: uuid.UUID
    subscription: dict[str, Any]
    payload: str


def vapid_key(config: PushConfig) -> Vapid:
    """The signing key from the settings (base64url raw or DER, or PEM), checked against the
    public key browsers subscribe with; ValueError if either is wrong."""
    key = config.private_key
    try:
        vapid = Vapid.from_pem(key.encode()) if key.startswith("-----BEGIN") else None
        vapid = vapid or Vapid.from_string(key)
    except Exception as exc:  # the library raises whatever its decoders raise
        raise ValueError("PASSERELLE_VAPID_PRIVATE_KEY is not a P-256 private key") from exc
    point = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    if base64.urlsafe_b64encode(point).rstrip(b"=").decode() != config.public_key.rstrip("="):
        raise ValueError("PASSERELLE_VAPID_PUBLIC_KEY is not the private key's public key")
    return vapid


def payload_of(notification: Notification) -> str:
    return json.dumps(
        {
            "id": str(notification.id),
            "event": notification.event,
            "title": notification.title,
            "body": notification.body[:MAX_BODY],
            "data": notification.data,
            "created_at": utc_iso(notification.created_at),
        },
        ensure_ascii=False,
    )


class PushSender:
    def __init__(
        self,
        db_factory: async_sessionmaker[AsyncSession],
        config: PushConfig,
        *,
        poll_seconds: float = 5.0,
    ) -> None:
        self._db_factory = db_factory
        self._subject = config.subject
        self._vapid = vapid_key(config)
        self.loop = Loop("push-sender", self.drain, interval=poll_seconds, first_delay=poll_seconds)

    async def drain(self, *, limit: int | None = None) -> int:
        """Push what is due; the number accepted by the push services."""
        sent = 0
        while limit is None or sent < limit:
            job = await self._claim()
            if job is None:
                break
            if await self._push(job):
                sent += 1
        return sent

    async def _claim(self) -> Job | None:
        async with self._db_factory() as db:
            while True:
                now = utcnow()
                stmt = (
                    select(PushDelivery, PushSubscription, Notification)
                    .join(
                        PushSubscription,
                        col(PushSubscription.id) == col(PushDelivery.subscription_id),
                    )
                    .join(Notification, col(Notification.id) == col(PushDelivery.notification_id))
                    .where(
                        col(PushDelivery.status) == "pending",
                        col(PushDelivery.next_attempt_at) <= now,
                    )
                    .order_by(col(PushDelivery.next_attempt_at), col(PushDelivery.created_at))
                    .limit(1)
                )
                found = (await db.execute(stmt)).first()
                if found is None:
                    return None
                delivery, subscription, notification = found
                claimed = await db.execute(
                    update(PushDelivery)
                    .where(
                        col(PushDelivery.id) == delivery.id,
                        col(PushDelivery.status) == "pending",
                        col(PushDelivery.next_attempt_at) <= now,
                    )
                    .values(next_attempt_at=now + LEASE, attempts=col(PushDelivery.attempts) + 1)
                )
                if getattr(claimed, "rowcount", 0) != 1:  # another sender has it
                    await db.rollback()
                    continue
                if delivery.created_at < now - MAX_AGE:
                    await db.execute(
                        update(PushDelivery)
                        .where(col(PushDelivery.id) == delivery.id)
                        .values(status="expired")
                    )
                    await db.commit()
                    continue
                await db.commit()
                return Job(
                    delivery_id=delivery.id,
                    subscription_id=subscription.id,
                    subscription={
                        "endpoint": subscription.endpoint,
                        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth_secret},
                    },
                    payload=payload_of(notification),
                )

    def _send(self, job: Job) -> None:
        webpush(
            subscription_info=job.subscription,
            data=job.payload,
            vapid_private_key=self._vapid,
            vapid_claims={"sub": self._subject},  # a fresh dict: the library adds aud and exp
            ttl=TTL_S,
            timeout=TIMEOUT_S,
        )

    async def _push(self, job: Job) -> bool:
        try:
            await anyio.to_thread.run_sync(self._send, job)
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in GONE:
                await self._gone(job)
                return False
            permanent = status is not None and 400 <= status < 500 and status not in (408, 429)
            await self._failed(job, f"push service answered {status}", permanent=permanent)
            return False
        except OSError as exc:  # network errors and timeouts (requests' too)
            await self._failed(job, f"{type(exc).__name__}: {exc}", permanent=False)
            return False
        except ValueError as exc:  # a subscription's keys the library cannot use
            await self._failed(job, f"{type(exc).__name__}: {exc}", permanent=True)
            return False
        async with self._db_factory() as db:
            await db.execute(
                update(PushDelivery)
                .where(col(PushDelivery.id) == job.delivery_id)
                .values(status="sent", sent_at=utcnow())
            )
            await db.commit()
        return True

    async def _gone(self, job: Job) -> None:
        async with self._db_factory() as db:
            await db.execute(
                delete(PushDelivery).where(col(PushDelivery.subscription_id) == job.subscription_id)
            )
            await db.execute(
                delete(PushSubscription).where(col(PushSubscription.id) == job.subscription_id)
            )
            await db.commit()
        log.info("push subscription gone", extra={"subscription_id": str(job.subscription_id)})

    async def _failed(self, job: Job, error: str, *, permanent: bool) -> None:
        async with self._db_factory() as db:
            row = await db.get(PushDelivery, job.delivery_id)
            if row is None or row.status != "pending":
                return
            row.last_error = error[:500]
            if permanent or row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
            else:
                row.next_attempt_at = utcnow() + backoff(row.attempts)
            await db.commit()
        log.warning(
            "web push not sent",
            extra={"delivery_id": str(job.delivery_id), "permanent": permanent, "error": error},
        )


def push_sender(
    db_factory: async_sessionmaker[AsyncSession],
    *,
    private_key: str | None,
    public_key: str | None,
    subject: str | None,
    allow_http: bool,
    poll_seconds: float,
) -> PushSender | None:
    """Turn Web Push on (the sender, for `app.background` to run) when the VAPID settings are
    all given, else off."""
    config = push.config_from(
        private_key=private_key, public_key=public_key, subject=subject, allow_http=allow_http
    )
    push.configure(config)
    if config is None:
        return None
    return PushSender(db_factory, config, poll_seconds=poll_seconds)
