"""The e-mail outbox sender: a background task that drains the `outbox` table over SMTP.

Exactly once, as far as a database and an SMTP server allow:

- `(event_key, recipient_id)` is unique, so one event queues at most one e-mail per person.
- One message at a time, a row is claimed by flipping it from `pending` to `sent` in a
  transaction that stays open while the message is handed to the SMTP server, and commits
  right after. Two senders (processes, hosts) never both claim a row: the conditional update
  waits for the other transaction and then matches nothing. A message that fails rolls back
  to `pending` with a backoff (1, 2, 4 ... minutes, at most 6 hours; `failed` after
  `MAX_ATTEMPTS` or on a permanent refusal); a message older than `MAX_AGE` expires unsent.
- Stopping the sender (shutdown, restart) lets the message in hand finish and commit first.
  Only a hard crash between the server's acceptance and the commit can send a message again;
  it then carries the same `Message-ID`, so mail clients show it once.

`PASSERELLE_SMTP_URL`: `smtp://user:pass@host:port` (STARTTLS when the server offers it),
`smtps://...` (TLS from the start); `?from=address` sets the sender (default
`no-reply@<host>`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Final
from urllib.parse import parse_qs, unquote, urlsplit

import anyio.to_thread
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app.core.loops import Loop
from app.core.tables import utcnow
from app.notifications import service as notifications
from app.notifications.tables import OutboxMessage

log = logging.getLogger("passerelle.outbox")

MAX_ATTEMPTS: Final = 10
MAX_AGE: Final = timedelta(days=2)
BACKOFF_BASE: Final = timedelta(minutes=1)
BACKOFF_MAX: Final = timedelta(hours=6)
SMTP_TIMEOUT_S: Final = 20.0


class SmtpUrlError(ValueError):
    pass


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool
    sender: str


def parse_smtp_url(url: str) -> SmtpConfig:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise SmtpUrlError("PASSERELLE_SMTP_URL must look like smtp://user:pass@host:port")
    implicit = parts.scheme == "smtps"
    sender = parse_qs(parts.query).get("from", [f"no-reply@{parts.hostname}"])[0]
    return SmtpConfig(
        host=parts.hostname,
        port=parts.port or (465 if implicit else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        implicit_tls=implicit,
        sender=sender,
    )


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt (1, 2, 4 ... minutes, capped)."""
    wait: timedelta = BACKOFF_BASE * 2 ** min(max(attempts - 1, 0), 16)
    return min(wait, BACKOFF_MAX)


def build_email(row: OutboxMessage, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Message-ID"] = row.message_id  # stable: a resend is recognisably the same
    message["Date"] = format_datetime(row.created_at)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.body)
    message["Content-Language"] = row.language  # after set_content, which resets Content-*
    return message


class Transport:
    """One SMTP connection, used from worker threads one call at a time (smtplib blocks)."""

    def __init__(self, config: SmtpConfig) -> None:
        self._config = config
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        cfg = self._config
        smtp: smtplib.SMTP
        if cfg.implicit_tls:
            smtp = smtplib.SMTP_SSL(
                cfg.host, cfg.port, timeout=SMTP_TIMEOUT_S, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=SMTP_TIMEOUT_S)
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
        if cfg.username:
            smtp.login(cfg.username, cfg.password or "")
        return smtp

    async def connect(self) -> None:
        if self._smtp is None:
            self._smtp = await anyio.to_thread.run_sync(self._open)

    async def send(self, message: EmailMessage) -> None:
        await self.connect()
        smtp = self._smtp
        assert smtp is not None
        await anyio.to_thread.run_sync(smtp.send_message, message)

    async def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                await anyio.to_thread.run_sync(smtp.quit)


def _permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


class OutboxSender:
    def __init__(
        self,
        db_factory: async_sessionmaker[AsyncSession],
        config: SmtpConfig,
        *,
        poll_seconds: float = 5.0,
    ) -> None:
        self._db_factory = db_factory
        self._config = config
        self._poll = poll_seconds
        # stopping lets a message being sent finish (sent and recorded) first
        self.loop = Loop(
            "outbox-sender", self.drain, interval=poll_seconds, first_delay=poll_seconds
        )

    # --- draining ---------------------------------------------------------------------------

    async def _due(self, db: AsyncSession, now: datetime) -> uuid.UUID | None:
        stmt = (
            select(col(OutboxMessage.id))
            .where(
                col(OutboxMessage.status) == "pending", col(OutboxMessage.next_attempt_at) <= now
            )
            .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.created_at))
            .limit(1)
        )
        if db.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        found: uuid.UUID | None = (await db.scalars(stmt)).first()
        return found

    async def drain(self, *, limit: int | None = None) -> int:
        """Send what is due, one message per transaction; the number sent."""
        async with self._db_factory() as db:
            if await self._due(db, utcnow()) is None:
                return 0
        transport = Transport(self._config)
        sent = 0
        try:
            while limit is None or sent < limit:
                outcome = await self._send_one(transport)
                if outcome == "idle":
                    break
                if outcome == "sent":
                    sent += 1
                elif outcome == "retry_later":
                    break
        finally:
            await transport.close()
        return sent

    async def _send_one(self, transport: Transport) -> str:
        async with self._db_factory() as db:
            now = utcnow()
            row_id = await self._due(db, now)
            if row_id is None:
                return "idle"
            claimed = await db.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row_id, col(OutboxMessage.status) == "pending")
                .values(status="sent", sent_at=now, attempts=col(OutboxMessage.attempts) + 1)
            )
            if getattr(claimed, "rowcount", 0) != 1:
                await db.rollback()
                return "taken"
            row = (
                await db.scalars(
                    select(OutboxMessage)
                    .where(col(OutboxMessage.id) == row_id)
                    .execution_options(populate_existing=True)
                )
            ).one()
            if row.created_at < now - MAX_AGE:
                row.status, row.sent_at = "expired", None
                await db.commit()
                return "expired"
            email = build_email(row, self._config.sender)
            delivery = asyncio.ensure_future(self._deliver(db, transport, email))
            try:
                await asyncio.shield(delivery)
            except asyncio.CancelledError:
                # Stopping: finish this one message (sent and committed), then stop.
                with contextlib.suppress(Exception):
                    await delivery
                raise
            except (smtplib.SMTPException, OSError) as exc:
                await db.rollback()
                await transport.close()
                return await self._failed(row_id, exc)
        return "sent"

    async def _deliver(self, db: AsyncSession, transport: Transport, email: Any) -> None:
        await transport.send(email)
        await db.commit()

    async def _failed(self, row_id: uuid.UUID, exc: Exception) -> str:
        permanent = _permanent(exc)
        async with self._db_factory() as db:
            row = await db.get(OutboxMessage, row_id)
            if row is None or row.status != "pending":
                return "taken"
            row.attempts += 1
            row.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if permanent or row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
            else:
                row.next_attempt_at = utcnow() + backoff(row.attempts)
            await db.commit()
        log.warning(
            "e-mail not sent",
            extra={"outbox_id": str(row_id), "permanent": permanent, "error": row.last_error},
        )
        return "failed" if permanent else "retry_later"


def email_sender(
    db_factory: async_sessionmaker[AsyncSession], *, smtp_url: str | None, poll_seconds: float
) -> OutboxSender | None:
    """Turn e-mail on (the sender, for `app.background` to run) when an SMTP URL is
    configured, else off."""
    notifications.configure(email=bool(smtp_url))
    if not smtp_url:
        return None
    return OutboxSender(db_factory, parse_smtp_url(smtp_url), poll_seconds=poll_seconds)
