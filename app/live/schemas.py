from __future__ import annotations

from pydantic import Field

from app.core.schemas import Output


class TicketPublic(Output):
    """A single-use ticket for a session's live room, bound to you and the session."""

    ticket: str = Field(description="Pass it as `?ticket=` when connecting; used once")
    expires_in: int = Field(description="Seconds the ticket stays valid")
    url: str = Field(description="The WebSocket URL to connect to, ticket included")
