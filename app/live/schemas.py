from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from app.core.schemas import Output
from app.live.protocol import Member


class TicketPublic(Output):
    """A single-use ticket for a session's live room, bound to you and the session."""

    ticket: str = Field(description="Pass it as `?ticket=` when connecting; used once")
    expires_in: int = Field(description="Seconds the ticket stays valid")
    url: str = Field(description="The WebSocket URL to connect to, ticket included")


class ChatEntryPublic(Output):
    """One chat message of a session's room, as its teachers read it afterwards."""

    message_id: uuid.UUID
    author: Member | None = Field(description="As the room showed them; null once erased")
    text: str
    sent_at: datetime
    deleted_at: datetime | None = Field(description="When a teacher deleted it (still listed)")
    deleted_by: uuid.UUID | None
