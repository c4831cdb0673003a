"""What the webhook API takes and answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field

from app.core.schemas import Input, Output
from app.webhooks.rules.events import EventType

Url = Annotated[str, Field(min_length=1, max_length=2048)]
EventTypes = Annotated[
    list[EventType],
    Field(max_length=10, description="The event types delivered; empty: every type"),
]

_EXAMPLE_ID = "0b6b2f0e-8a53-4c1d-9a7e-3f1c2d4e5a60"
_ORG_ID = "5d1e9c7a-2b4f-4e8a-b6c3-7a9f0e1d2c34"


class WebhookCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://mis.lycee-hotelier.example/passerelle/webhooks",
                    "description": "Timetable sync",
                    "event_types": ["session.scheduled", "session.changed", "session.cancelled"],
                }
            ]
        }
    )

    url: Url = Field(description="An https URL whose host resolves to public addresses only")
    description: str = Field(default="", max_length=200)
    event_types: EventTypes = Field(default_factory=list)
    enabled: bool = True


class WebhookUpdate(Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"enabled": True}, {"event_types": ["attendance.sealed"]}]}
    )

    url: Url | None = None
    description: str | None = Field(default=None, max_length=200)
    event_types: EventTypes | None = None
    enabled: bool | None = Field(
        default=None,
        description="false pauses deliveries; true resumes them (and the count "
        "of consecutive failures starts again)",
    )


class WebhookPublic(Output):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": _EXAMPLE_ID,
                    "organisation_id": _ORG_ID,
                    "url": "https://mis.lycee-hotelier.example/passerelle/webhooks",
                    "description": "Timetable sync",
                    "event_types": ["session.scheduled"],
                    "enabled": True,
                    "disabled_reason": None,
                    "disabled_at": None,
                    "consecutive_failures": 0,
                    "created_at": "2026-03-02T09:00:00Z",
                    "updated_at": "2026-03-02T09:00:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    organisation_id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    disabled_reason: str | None = Field(
        default=None,
        description="`by_user`, or `failing` when disabled after too many consecutive failures",
    )
    disabled_at: datetime | None = None
    consecutive_failures: int
    created_at: datetime
    updated_at: datetime


class WebhookWithSecret(WebhookPublic):
    """Creation and rotation only: the signing secret, shown this once."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": _EXAMPLE_ID,
                    "organisation_id": _ORG_ID,
                    "url": "https://mis.lycee-hotelier.example/passerelle/webhooks",
                    "description": "Timetable sync",
                    "event_types": [],
                    "enabled": True,
                    "disabled_reason": None,
                    "disabled_at": None,
                    "consecutive_failures": 0,
                    "created_at": "2026-03-02T09:00:00Z",
                    "updated_at": "2026-03-02T09:00:00Z",
                    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                }
            ]
        },
    )

    secret: str = Field(description="`whsec_` and the base64 key: verify signatures with it")


class DeliveryPublic(Output):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": _EXAMPLE_ID,
                    "subscription_id": _ORG_ID,
                    "event_type": "session.scheduled",
                    "webhook_id": "msg_2b7c0f3d9e1a4c5b8d6e7f8091a2b3c4",
                    "status": "pending",
                    "attempts": 2,
                    "last_status_code": 503,
                    "last_error": "answered 503",
                    "last_attempt_at": "2026-03-02T09:03:00Z",
                    "next_attempt_at": "2026-03-02T09:07:00Z",
                    "delivered_at": None,
                    "created_at": "2026-03-02T09:00:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    subscription_id: uuid.UUID
    event_type: str
    webhook_id: str = Field(description="The `webhook-id` header, the same on every attempt")
    status: str = Field(description="`pending`, `delivered`, `failed` or `expired`")
    attempts: int
    last_status_code: int | None = None
    last_error: str | None = None
    last_attempt_at: datetime | None = None
    next_attempt_at: datetime | None = Field(
        default=None, description="null once no attempt is coming"
    )
    delivered_at: datetime | None = None
    created_at: datetime
