"""A room's chat as it was: the most recent messages for a `welcome` that is not a resume
(`welcome.chat`: a resumed client gets the events it missed instead), and the whole chat for
the session's teachers afterwards, paged, oldest first, deleted messages included and marked
(a teacher's deletion is recorded, not erased)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.errors import Forbidden
from app.core.paging import fetch_page
from app.live import protocol
from app.live.protocol import Member
from app.live.rooms import member_of
from app.live.tables import ChatMessage, PresenceInterval, RoomEvent
from app.live.tickets import room_member
from app.scheduling import sessions


@dataclass(frozen=True)
class ChatEntry:
    message: ChatMessage
    author: Member | None  # as the room showed them; None once their account is gone


async def history(
    db: AsyncSession, *, actor: User, session_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[ChatEntry], int]:
    """404 for a session the caller cannot see; 403 for one they see but do not teach."""
    live = await sessions.get_visible(db, actor=actor, session_id=session_id)
    if actor.role != "admin":
        member = await room_member(db, live=live, user=actor)
        if member is None or member.role != "teacher":
            raise Forbidden("Only the session's teachers read its chat.")
    stmt = (
        select(ChatMessage)
        .where(col(ChatMessage.session_id) == live.id)
        .order_by(col(ChatMessage.sent_at), col(ChatMessage.id))
    )
    rows, total = await fetch_page(db, stmt, limit=limit, offset=offset)
    authors = await _as_shown(db, live.id, {r.author_id for r in rows if r.author_id})
    return [ChatEntry(r, authors.get(r.author_id) if r.author_id else None) for r in rows], total


async def _as_shown(
    db: AsyncSession, session_id: uuid.UUID, user_ids: set[uuid.UUID]
) -> dict[uuid.UUID, Member]:
    """Each author as the room showed them (their latest presence in this room)."""
    if not user_ids:
        return {}
    intervals = await db.scalars(
        select(PresenceInterval)
        .where(
            col(PresenceInterval.session_id) == session_id,
            col(PresenceInterval.user_id).in_(list(user_ids)),
        )
        .order_by(col(PresenceInterval.joined_at))
    )
    shown = {i.user_id: member_of(i).public() for i in intervals}
    for user_id in user_ids - set(shown):  # presence purged: the account's name at least
        user = await db.get(User, user_id)
        if user is not None:
            shown[user_id] = Member(
                id=user.id,
                display_name=user.display_name,
                role="teacher" if user.role == "teacher" else "learner",
                class_id=None,
                country=None,
            )
    return shown


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
