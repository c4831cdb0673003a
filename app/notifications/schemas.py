from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import ConfigDict, Field, model_validator

from app.core.schemas import Input, Output, Page


class NotificationPublic(Output):
    id: uuid.UUID
    event: str
    language: str
    title: str
    body: str
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class NotificationFeed(Page[NotificationPublic]):
    unread: int = Field(description="How many of your notifications are unread, in all")


class MarkRead(Input):
    """Which of your unread notifications to mark read: `ids`, or everything created up to
    `until`, or (`all: true`) everything."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"ids": ["0b6b2f0e-8a53-4c1d-9a7e-3f1c2d4e5a60"]}]}
    )

    ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=500)
    until: datetime | None = None
    all: bool = False

    @model_validator(mode="after")
    def _one_choice(self) -> MarkRead:
        if sum((self.ids is not None, self.until is not None, self.all)) != 1:
            raise ValueError("give exactly one of ids, until, all")
        return self


class MarkedRead(Output):
    marked: int = Field(description="How many changed from unread to read")
    unread: int = Field(description="How many are still unread")
