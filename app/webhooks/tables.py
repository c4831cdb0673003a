"""Webhooks: an organisation's subscriptions, and the deliveries the webhook sender drains."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from app.core.tables import UTCDateTime, created_at_field, id_field


class WebhookSubscription(SQLModel, table=True):
    """A partner system's endpoint for one organisation's events. `secret` (`whsec_...`) signs
    every delivery (Standard Webhooks); it is shown once, at creation and on rotation."""

    __tablename__ = "webhook_subscription"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(
        foreign_key="organisation.id", ondelete="CASCADE", index=True
    )
    url: str = Field(max_length=2048)
    description: str = Field(default="", max_length=200)
    # the event types delivered; empty: every type
    event_types: list[str] = Field(default_factory=list, sa_type=JSON)
    secret: str = Field(max_length=100)
    enabled: bool = True
    # why it is off: `by_user`, or `failing` (after too many consecutive failed attempts)
    disabled_reason: str | None = Field(default=None, max_length=16)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    consecutive_failures: int = 0
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class WebhookDelivery(SQLModel, table=True):
    """One event to deliver to one subscription; `webhook_id` (the `webhook-id` header) and
    `payload` (the exact body signed) stay the same across retries and replays."""

    __tablename__ = "webhook_delivery"

    id: uuid.UUID = id_field()
    subscription_id: uuid.UUID = Field(
        foreign_key="webhook_subscription.id", ondelete="CASCADE", index=True
    )
    event_type: str = Field(max_length=40)
    webhook_id: str = Field(max_length=64, unique=True)
    payload: str = Field(sa_type=Text)
    # pending | delivered | failed | expired
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = created_at_field()
