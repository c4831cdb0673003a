"""Notifications: the in-app feed, and the outbox of e-mails a background task sends."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.tables import UTCDateTime, created_at_field, id_field


class Notification(SQLModel, table=True):
    """One item of a user's in-app feed; `(user_id, event_key)` is unique."""

    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("user_id", "event_key"),)

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    event: str = Field(max_length=40)
    event_key: str = Field(max_length=200)
    language: str = Field(max_length=8)
    title: str = Field(max_length=300)
    body: str = Field(sa_type=Text)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = created_at_field()
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OutboxMessage(SQLModel, table=True):
    """One e-mail to send, exactly once: `(event_key, recipient_id)` is unique, and the row is
    marked sent in the transaction that claims it (docs/families.md)."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("event_key", "recipient_id"),)

    id: uuid.UUID = id_field()
    event_key: str = Field(max_length=200)
    recipient_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    to_address: str = Field(max_length=320)
    language: str = Field(max_length=8)
    subject: str = Field(max_length=300)
    body: str = Field(sa_type=Text)
    message_id: str = Field(max_length=255, unique=True)
    status: str = Field(default="pending", max_length=16, index=True)  # pending|sent|failed|expired
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PushSubscription(SQLModel, table=True):
    """A browser's Web Push subscription (its `PushSubscription` JSON): one row per endpoint,
    owned by whoever registered it last."""

    __tablename__ = "push_subscription"

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    endpoint: str = Field(max_length=2048, unique=True)
    p256dh: str = Field(max_length=200)
    auth_secret: str = Field(max_length=100)
    created_at: datetime = created_at_field()


class PushDelivery(SQLModel, table=True):
    """One notification to push to one subscription; the push sender drains these like the
    e-mail outbox (`app.notifications.push`)."""

    __tablename__ = "push_delivery"
    __table_args__ = (UniqueConstraint("notification_id", "subscription_id"),)

    id: uuid.UUID = id_field()
    notification_id: uuid.UUID = Field(
        foreign_key="notification.id", ondelete="CASCADE", index=True
    )
    subscription_id: uuid.UUID = Field(
        foreign_key="push_subscription.id", ondelete="CASCADE", index=True
    )
    status: str = Field(default="pending", max_length=16, index=True)  # pending|sent|failed|expired
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
