"""Retention: chat messages and presence details are kept for a set number of days only.

- Chat: `chat_message` rows and the room events of a session (they carry chat texts and
  names) once the session ended more than `chat_days` ago.
- Presence: the `presence_interval` rows of sessions whose attendance is sealed and that
  ended more than `presence_days` ago. Attendance, reports, hours and certificates read the
  sealed `attendance_record` lines, which stay (they are what the law asks schools to keep).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.live.tables import ChatMessage, PresenceInterval, RoomEvent
from app.scheduling.tables import LiveSession


@dataclass(frozen=True)
class DataRetention:
    chat_days: int
    presence_days: int


@dataclass(frozen=True)
class Purged:
    chat_messages: int
    room_events: int
    presence_intervals: int


async def purge(db: AsyncSession, *, now: datetime, retention: DataRetention) -> Purged:
    chat_cutoff = now - timedelta(days=retention.chat_days)
    ended_for_chat = select(col(LiveSession.id)).where(col(LiveSession.ends_at) < chat_cutoff)
    messages = await db.execute(
        delete(ChatMessage).where(col(ChatMessage.session_id).in_(ended_for_chat))
    )
    events = await db.execute(
        delete(RoomEvent).where(col(RoomEvent.session_id).in_(ended_for_chat))
    )
    sealed = select(col(LiveSession.id)).where(
        col(LiveSession.ends_at) < now - timedelta(days=retention.presence_days),
        col(LiveSession.attendance_sealed_at).is_not(None),
    )
    intervals = await db.execute(
        delete(PresenceInterval).where(col(PresenceInterval.session_id).in_(sealed))
    )
    return Purged(
        messages.rowcount,  # type: ignore[attr-defined]
        events.rowcount,  # type: ignore[attr-defined]
        intervals.rowcount,  # type: ignore[attr-defined]
    )
