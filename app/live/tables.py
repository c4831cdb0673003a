"""Live rooms: what must survive a room is written here before it is broadcast.

The broker carries events between processes and keeps a short history for resume; these tables
are the truth (chat, poll results, breakout groups, moderation, presence for attendance).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.tables import UTCDateTime, created_at_field, id_field


class RoomEvent(SQLModel, table=True):
    """Every broadcast room event, in room order. `(session_id, epoch, seq)` is unique; an
    accepted client command is recorded on the event it produced, so a repeated command id is
    recognised (`(session_id, actor_id, command_id)` unique)."""

    __tablename__ = "room_event"
    __table_args__ = (
        UniqueConstraint("session_id", "epoch", "seq"),
        UniqueConstraint("session_id", "actor_id", "command_id"),
    )

    id: uuid.UUID = id_field()
    session_id: uuid.UUID = Field(foreign_key="live_session.id", ondelete="CASCADE", index=True)
    epoch: str = Field(max_length=32)
    seq: int
    type: str = Field(max_length=40)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    actor_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    command_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = created_at_field()


class ChatMessage(SQLModel, table=True):
    __tablename__ = "chat_message"

    id: uuid.UUID = id_field()
    session_id: uuid.UUID = Field(foreign_key="live_session.id", ondelete="CASCADE", index=True)
    author_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True
    )
    text: str = Field(max_length=4000)
    sent_at: datetime = created_at_field()
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deleted_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )


class Poll(SQLModel, table=True):
    __tablename__ = "poll"

    id: uuid.UUID = id_field()
    session_id: uuid.UUID = Field(foreign_key="live_session.id", ondelete="CASCADE", index=True)
    question: str = Field(max_length=300)
    options: list[str] = Field(default_factory=list, sa_type=JSON)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PollVote(SQLModel, table=True):
    """One vote per learner and poll; voting again changes it."""

    __tablename__ = "poll_vote"

    poll_id: uuid.UUID = Field(foreign_key="poll.id", primary_key=True, ondelete="CASCADE")
    user_id: uuid.UUID = Field(
        foreign_key="user_account.id", primary_key=True, ondelete="CASCADE", index=True
    )
    option: int
    voted_at: datetime = created_at_field()


class BreakoutRound(SQLModel, table=True):
    __tablename__ = "breakout_round"

    id: uuid.UUID = id_field()
    session_id: uuid.UUID = Field(foreign_key="live_session.id", ondelete="CASCADE", index=True)
    group_size: int
    groups: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    started_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    started_at: datetime = created_at_field()
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RoomModeration(SQLModel, table=True):
    """A teacher's action on a member: `mute` until a time, or `remove` for the session."""

    __tablename__ = "room_moderation"
    __table_args__ = (Index("ix_room_moderation_session_user", "session_id", "user_id"),)

    id: uuid.UUID = id_field()
    session_id: uuid.UUID = Field(foreign_key="live_session.id", ondelete="CASCADE")
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)
    until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    actor_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()


class PresenceInterval(SQLModel, table=True):
    """One connection's time in a room. Open while `left_at` is null; the process that holds
    the connection refreshes `last_heartbeat`, so a crashed process's intervals are closed by
    any other process once they go stale."""

    __tablename__ = "presence_interval"
    __table_args__ = (Index("ix_presence_interval_session_user", "session_id", "user_id"),)

    id: uuid.UUID = id_field()
    session_id: uuid.UUID = Field(foreign_key="live_session.id", ondelete="CASCADE")
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    # As the room showed the member when they joined (what presence events carry).
    role: str = Field(max_length=16)
    display_name: str = Field(max_length=120)
    class_id: uuid.UUID | None = Field(
        default=None, foreign_key="school_class.id", ondelete="SET NULL"
    )
    country: str | None = Field(default=None, max_length=2)
    connection_id: uuid.UUID = Field(unique=True)
    process_id: str = Field(max_length=64, index=True)
    joined_at: datetime = created_at_field()
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    last_heartbeat: datetime = created_at_field()


class LiveTicketUse(SQLModel, table=True):
    """A redeemed WebSocket ticket (its `jti`): a ticket opens one connection, once."""

    __tablename__ = "live_ticket_use"

    jti: str = Field(primary_key=True, max_length=64)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    session_id: uuid.UUID = Field(foreign_key="live_session.id", ondelete="CASCADE")
    used_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
