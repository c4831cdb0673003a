"""The webhook sender: a background task that drains `webhook_delivery` to partner systems,
following the Standard Webhooks specification.

Each due delivery of an enabled subscription is claimed by moving its `next_attempt_at` a
lease ahead (another sender, in this process or another, skips it) and committed before the
call: no transaction stays open while a partner system answers. Then:

- the URL is checked again (`resolve.checked`): a host that now resolves to a non-public
  address is not called (a failed attempt, tried again later); the request goes to the
  address that was checked, with the host name kept for `Host` and TLS;
- the body is the delivery's stored JSON, signed with the subscription's current secret:
  `webhook-id` (the same on every attempt), `webhook-timestamp` (this attempt's, wall clock),
  `webhook-signature` (`v1,<base64 HMAC-SHA256>`);
- 2xx: delivered; 5xx, 408, 429, a timeout or a network error: tried again after
  `rules.retry.backoff`, failed after `MAX_ATTEMPTS`; any other answer (redirects are not
  followed): failed at once. Older than `MAX_AGE`, a delivery expires unsent;
- every failed attempt adds one to the subscription's consecutive failures (a delivery
  resets them); at `PASSERELLE_WEBHOOK_DISABLE_AFTER_FAILURES` the subscription is disabled
  and the organisation's coordinators are told.

A sender that dies between the call and the commit leaves the delivery to be sent again after
the lease, with the same `webhook-id`: delivery is at least once, and receivers deduplicate
by `webhook-id`.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col
from standardwebhooks import Webhook

from app.core.clock import Clock
from app.core.loops import Loop
from app.core.metrics import Metrics
from app.core.tables import utcnow
from app.webhooks import notify, resolve
from app.webhooks.rules.addresses import UrlRefused
from app.webhooks.rules.retry import MAX_AGE, after_failure, backoff, outcome_of, should_disable
from app.webhooks.tables import WebhookDelivery, WebhookSubscription

log = logging.getLogger("passerelle.webhooks")

LEASE: Final = timedelta(minutes=2)
USER_AGENT: Final = "Passerelle-Webhooks/1"


@dataclass(frozen=True)
class Job:
    delivery_id: uuid.UUID
    subscription_id: uuid.UUID
    url: str
    secret: str
    webhook_id: str
    payload: str
    attempts: int


@dataclass(frozen=True)
class Attempt:
    status_code: int | None
    error: str | None
    refused: bool = False


def signed_headers(job: Job, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt, signed with the subscription's secret."""
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": job.webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(job.secret).sign(job.webhook_id, at, job.payload),
    }


class WebhookSender:
    def __init__(
        self,
        db_factory: async_sessionmaker[AsyncSession],
        *,
        clock: Clock = utcnow,
        timeout_s: float = 5.0,
        disable_after: int = 15,
        allow_private: bool = False,
        metrics: Metrics | None = None,
        poll_seconds: float = 5.0,
    ) -> None:
        self._db_factory = db_factory
        self._clock = clock
        self._timeout = timeout_s
        self._disable_after = disable_after
        self._allow_private = allow_private
        self._metrics = metrics
        self.loop = Loop(
            "webhook-sender", self.drain, interval=poll_seconds, first_delay=poll_seconds
        )

    async def drain(self, *, now: datetime | None = None, limit: int | None = None) -> int:
        """Send what is due at `now` (the clock's time by default); the number delivered."""
        at = now or self._clock()
        delivered = attempted = 0
        client: httpx.AsyncClient | None = None
        try:
            while limit is None or attempted < limit:
                job = await self._claim(at)
                if job is None:
                    break
                if client is None:
                    client = httpx.AsyncClient(
                        timeout=self._timeout, follow_redirects=False, trust_env=False
                    )
                attempted += 1
                attempt = await self._attempt(client, job)
                if await self._record(job, attempt, at):
                    delivered += 1
        finally:
            if client is not None:
                await client.aclose()
        return delivered

    async def _claim(self, now: datetime) -> Job | None:
        async with self._db_factory() as db:
            while True:
                stmt = (
                    select(WebhookDelivery, WebhookSubscription)
                    .join(
                        WebhookSubscription,
                        col(WebhookSubscription.id) == col(WebhookDelivery.subscription_id),
                    )
                    .where(
                        col(WebhookDelivery.status) == "pending",
                        col(WebhookDelivery.next_attempt_at) <= now,
                        col(WebhookSubscription.enabled),
                    )
                    .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.created_at))
                    .limit(1)
                )
                found = (await db.execute(stmt)).first()
                if found is None:
                    return None
                delivery, sub = found
                if delivery.created_at < now - MAX_AGE:
                    delivery.status = "expired"
                    await db.commit()
                    self._count("expired")
                    continue
                claimed = await db.execute(
                    update(WebhookDelivery)
                    .where(
                        col(WebhookDelivery.id) == delivery.id,
                        col(WebhookDelivery.status) == "pending",
                        col(WebhookDelivery.next_attempt_at) <= now,
                    )
                    .values(
                        next_attempt_at=now + LEASE,
                        attempts=col(WebhookDelivery.attempts) + 1,
                        last_attempt_at=now,
                    )
                )
                if getattr(claimed, "rowcount", 0) != 1:  # another sender has it
                    await db.rollback()
                    continue
                await db.commit()
                return Job(
                    delivery_id=delivery.id,
                    subscription_id=sub.id,
                    url=sub.url,
                    secret=sub.secret,
                    webhook_id=delivery.webhook_id,
                    payload=delivery.payload,
                    attempts=delivery.attempts + 1,
                )

    async def _attempt(self, client: httpx.AsyncClient, job: Job) -> Attempt:
        try:
            target, address = await resolve.checked(job.url, allow_private=self._allow_private)
        except UrlRefused as exc:
            return Attempt(None, f"refused: {exc.reason}", refused=True)
        url = httpx.URL(job.url)
        headers = signed_headers(job, utcnow())
        extensions: dict[str, str] = {}
        if address is not None and target.literal is None:
            # connect to the address that was checked; the name stays for Host and TLS
            headers["host"] = url.netloc.decode("ascii")
            url = url.copy_with(host=str(address))
            if target.scheme == "https":
                extensions["sni_hostname"] = target.host
        try:
            response = await client.post(
                url, content=job.payload.encode(), headers=headers, extensions=extensions
            )
        except httpx.HTTPError as exc:
            return Attempt(None, f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__)
        if 200 <= response.status_code < 300:
            return Attempt(response.status_code, None)
        return Attempt(response.status_code, f"answered {response.status_code}")

    def _count(self, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.webhook_deliveries.labels(outcome).inc()

    async def _record(self, job: Job, attempt: Attempt, now: datetime) -> bool:
        """Write the attempt's outcome; whether it was delivered."""
        outcome = outcome_of(attempt.status_code) if attempt.error is None else None
        async with self._db_factory() as db:
            row = await db.get(WebhookDelivery, job.delivery_id)
            sub = await db.get(WebhookSubscription, job.subscription_id)
            if row is None or sub is None or row.status != "pending":
                return False
            row.last_status_code = attempt.status_code
            if outcome == "delivered":
                row.status, row.delivered_at, row.last_error = "delivered", now, None
                sub.consecutive_failures = 0
                await db.commit()
                self._count("delivered")
                return True
            failure = outcome_of(attempt.status_code)
            row.last_error = attempt.error
            if after_failure(failure, row.attempts) == "retry":
                row.next_attempt_at = now + backoff(row.attempts)
                self._count("refused" if attempt.refused else "retry")
            else:
                row.status = "failed"
                self._count("failed")
            await db.execute(
                update(WebhookSubscription)
                .where(col(WebhookSubscription.id) == sub.id)
                .values(consecutive_failures=col(WebhookSubscription.consecutive_failures) + 1)
            )
            await db.refresh(sub)
            if sub.enabled and should_disable(sub.consecutive_failures, self._disable_after):
                await self._disable(db, sub, now)
            await db.commit()
        log.warning(
            "webhook not delivered",
            extra={"delivery_id": str(job.delivery_id), "error": attempt.error},
        )
        return False

    async def _disable(self, db: AsyncSession, sub: WebhookSubscription, now: datetime) -> None:
        claimed = await db.execute(
            update(WebhookSubscription)
            .where(col(WebhookSubscription.id) == sub.id, col(WebhookSubscription.enabled))
            .values(enabled=False, disabled_reason="failing", disabled_at=now, updated_at=now)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            return
        await db.refresh(sub)
        await notify.webhook_disabled(db, sub=sub, now=now)
        log.warning("webhook disabled after failures", extra={"webhook_id": str(sub.id)})
