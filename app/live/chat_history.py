"""The room's most recent chat messages, for a `welcome` (`welcome.chat`) that is not a
resume: a resumed client gets the events it missed instead."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.live import protocol
from app.live.tables import ChatMessage, RoomEvent

RECENT = 20


async def recent_chat(
    db: AsyncSession, *, session_id: uuid.UUID, epoch: str, limit: int = RECENT
) -> list[protocol.ChatMessageEvent]:
    """The last `limit` `chat.message` events of this epoch, oldest first, as they were
    broadcast (with their `seq`), leaving out the messages a teacher deleted since."""
    rows = list(
        await db.scalars(
            select(RoomEvent)
            .where(
                col(RoomEvent.session_id) == session_id,
                col(RoomEvent.epoch) == epoch,
                col(RoomEvent.type) == "chat.message",
            )
            .order_by(col(RoomEvent.seq).desc())
            .limit(limit)
        )
    )
    ids = [uuid.UUID(str(r.payload.get("message_id"))) for r in rows]
    deleted = set(
        await db.scalars(
            select(col(ChatMessage.id)).where(
                col(ChatMessage.id).in_(ids), col(ChatMessage.deleted_at).is_not(None)
            )
        )
    )
    events = [
        protocol.ChatMessageEvent.model_validate({**row.payload, "seq": row.seq})
        for row in reversed(rows)
    ]
    return [e for e in events if e.message_id not in deleted]
