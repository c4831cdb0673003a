"""What a live room stores: presence intervals, the room event log, the room's state for a
`welcome`, and the end of a session. Called by the hub inside one short unit of work per
connection step or command; nothing here holds a session across messages.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.live import protocol
from app.live.activity_commands import activity_state
from app.live.protocol import CloseCode, RoomMember, RoomRefused
from app.live.rules.window import RoomWindow, room_phase
from app.live.tables import (
    BreakoutRound,
    LiveTicketUse,
    Poll,
    PollVote,
    PresenceInterval,
    RoomEvent,
)
from app.live.tickets import is_removed, room_member, ticket_consent_check
from app.scheduling.tables import LiveSession
from app.webhooks import events as webhook_events


@dataclass(frozen=True)
class FreshnessCutoff:
    """How fresh an open interval must be to count: its process answered since `fresh_since`."""

    now: datetime
    stale_after: timedelta

    @property
    def fresh_since(self) -> datetime:
        return self.now - self.stale_after


def _open_for(session_id: uuid.UUID, presence: FreshnessCutoff) -> list[ColumnElement[bool]]:
    return [
        col(PresenceInterval.session_id) == session_id,
        col(PresenceInterval.left_at).is_(None),
        col(PresenceInterval.last_heartbeat) >= presence.fresh_since,
    ]


async def _open_count(
    db: AsyncSession, session_id: uuid.UUID, user_id: uuid.UUID, presence: FreshnessCutoff
) -> int:
    count = await db.scalar(
        select(func.count())
        .select_from(PresenceInterval)
        .where(*_open_for(session_id, presence), col(PresenceInterval.user_id) == user_id)
    )
    return int(count or 0)


def member_of(interval: PresenceInterval) -> RoomMember:
    role: protocol.Role = interval.role  # type: ignore[assignment]  # written from a Role
    return RoomMember(
        user_id=interval.user_id,
        display_name=interval.display_name,
        role=role,
        class_id=interval.class_id,
        country=interval.country,
    )


async def join(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    user_id: uuid.UUID,
    connection_id: uuid.UUID,
    process_id: str,
    presence: FreshnessCutoff,
    window: RoomWindow,
    max_connections: int,
) -> tuple[RoomMember, bool]:
    """Open a presence interval for a new connection: `(member, first)`, `first` when this
    is the member's only open connection (the room then announces them). `RoomRefused` when
    the session is gone, over or not open, the user no member or removed, or has too many
    connections here already."""
    live = await db.get(LiveSession, session_id)
    if live is None:
        raise RoomRefused(CloseCode.NOT_FOUND, "session not found")
    phase = room_phase(
        status=live.status,
        starts_at=live.starts_at,
        ends_at=live.ends_at,
        now=presence.now,
        window=window,
    )
    if phase != "open":
        reason = {"early": "room not open yet", "over": "session ended"}.get(
            phase, f"session {phase}"
        )
        raise RoomRefused(CloseCode.NOT_FOUND, reason)
    user = await db.get(User, user_id)
    member = None if user is None else await room_member(db, live=live, user=user)
    if member is None:
        raise RoomRefused(CloseCode.NOT_ALLOWED, "not a member of this session")
    if await is_removed(db, session_id=session_id, user_id=user_id):
        raise RoomRefused(CloseCode.NOT_ALLOWED, "removed from this room")
    if not await ticket_consent_check(db, member=member, live=live, now=presence.now):
        # the consent was withdrawn between the ticket and the connection
        raise RoomRefused(CloseCode.NOT_ALLOWED, "consent to live sessions required")
    already = await _open_count(db, session_id, user_id, presence)
    if already >= max_connections:
        raise RoomRefused(CloseCode.SLOW_DOWN, f"at most {max_connections} connections per member")
    db.add(
        PresenceInterval(
            session_id=session_id,
            user_id=user_id,
            role=member.role,
            display_name=member.display_name,
            class_id=member.class_id,
            country=member.country,
            connection_id=connection_id,
            process_id=process_id,
            joined_at=presence.now,
            last_heartbeat=presence.now,
        )
    )
    if live.status == "scheduled":
        live.status = "live"
        live.updated_at = presence.now
    await db.flush()
    return member, already == 0


async def leave(db: AsyncSession, *, connection_id: uuid.UUID, presence: FreshnessCutoff) -> bool:
    """Close a connection's interval at `presence.now` (when its socket closed, also when this
    is a retry): True when it was the member's last open connection in a room that goes on (the
    room then announces that they left)."""
    interval = (
        await db.scalars(
            select(PresenceInterval).where(col(PresenceInterval.connection_id) == connection_id)
        )
    ).first()
    if interval is None or interval.left_at is not None:
        return False  # closed already: by the end of the session, or as stale
    interval.left_at = presence.now
    await db.flush()
    live = await db.get(LiveSession, interval.session_id)
    if live is None or live.status in ("ended", "cancelled"):
        return False
    return await _open_count(db, interval.session_id, interval.user_id, presence) == 0


async def rooms_with(db: AsyncSession, *, user_id: uuid.UUID) -> list[uuid.UUID]:
    """The sessions in which `user_id` holds an open connection (on any process)."""
    found = await db.scalars(
        select(col(PresenceInterval.session_id))
        .where(col(PresenceInterval.user_id) == user_id, col(PresenceInterval.left_at).is_(None))
        .distinct()
    )
    return list(found)


HEARTBEAT_CHUNK = 500  # connection ids per UPDATE


async def heartbeat(
    db: AsyncSession, *, connection_ids: Sequence[uuid.UUID], now: datetime
) -> None:
    """Refresh the open intervals of the connections a process still serves, and only those:
    an interval whose socket is gone but whose leave failed (the broker or the database was
    down) goes stale at its last heartbeat, and the sweeper closes it there."""
    for start in range(0, len(connection_ids), HEARTBEAT_CHUNK):
        await db.execute(
            update(PresenceInterval)
            .where(
                col(PresenceInterval.connection_id).in_(
                    connection_ids[start : start + HEARTBEAT_CHUNK]
                ),
                col(PresenceInterval.left_at).is_(None),
            )
            .values(last_heartbeat=now)
        )


async def rooms_with_stale_presence(
    db: AsyncSession, *, presence: FreshnessCutoff
) -> list[uuid.UUID]:
    rows = await db.scalars(
        select(col(PresenceInterval.session_id))
        .where(
            col(PresenceInterval.left_at).is_(None),
            col(PresenceInterval.last_heartbeat) < presence.fresh_since,
        )
        .distinct()
    )
    return list(rows.all())


async def close_stale(
    db: AsyncSession, *, session_id: uuid.UUID, presence: FreshnessCutoff
) -> list[RoomMember]:
    """Close the intervals whose process went silent (left at their last heartbeat): the
    members who are therefore no longer present anywhere."""
    stale = list(
        (
            await db.scalars(
                select(PresenceInterval).where(
                    col(PresenceInterval.session_id) == session_id,
                    col(PresenceInterval.left_at).is_(None),
                    col(PresenceInterval.last_heartbeat) < presence.fresh_since,
                )
            )
        ).all()
    )
    for interval in stale:
        interval.left_at = interval.last_heartbeat
    await db.flush()
    live = await db.get(LiveSession, session_id)
    if live is None or live.status in ("ended", "cancelled"):
        return []
    gone: dict[uuid.UUID, RoomMember] = {}
    for interval in stale:
        if interval.user_id not in gone and not await _open_count(
            db, session_id, interval.user_id, presence
        ):
            gone[interval.user_id] = member_of(interval)
    return list(gone.values())


async def present(
    db: AsyncSession, *, session_id: uuid.UUID, presence: FreshnessCutoff
) -> list[RoomMember]:
    """Members with at least one open connection, once each, in order of arrival."""
    rows = await db.scalars(
        select(PresenceInterval)
        .where(*_open_for(session_id, presence))
        .order_by(col(PresenceInterval.joined_at), col(PresenceInterval.id))
    )
    members: dict[uuid.UUID, RoomMember] = {}
    for interval in rows:
        members.setdefault(interval.user_id, member_of(interval))
    return list(members.values())


async def poll_counts(db: AsyncSession, poll: Poll) -> list[int]:
    counts = [0] * len(poll.options)
    rows = await db.execute(
        select(col(PollVote.option), func.count())
        .where(col(PollVote.poll_id) == poll.id)
        .group_by(col(PollVote.option))
    )
    for option, count in rows:
        if 0 <= option < len(counts):
            counts[option] = int(count)
    return counts


async def running_poll(db: AsyncSession, session_id: uuid.UUID) -> Poll | None:
    return (
        await db.scalars(
            select(Poll)
            .where(col(Poll.session_id) == session_id, col(Poll.closed_at).is_(None))
            .order_by(col(Poll.created_at).desc())
        )
    ).first()


async def running_breakout(db: AsyncSession, session_id: uuid.UUID) -> BreakoutRound | None:
    return (
        await db.scalars(
            select(BreakoutRound)
            .where(
                col(BreakoutRound.session_id) == session_id, col(BreakoutRound.ended_at).is_(None)
            )
            .order_by(col(BreakoutRound.started_at).desc())
        )
    ).first()


async def snapshot(
    db: AsyncSession, *, session_id: uuid.UUID, presence: FreshnessCutoff
) -> tuple[list[protocol.Member], protocol.RoomState]:
    """Who is here, and the running poll, breakout groups and activity: a `welcome`'s fresh
    state."""
    members = [m.public() for m in await present(db, session_id=session_id, presence=presence)]
    state = protocol.RoomState()
    poll = await running_poll(db, session_id)
    if poll is not None:
        state.poll = protocol.PollState(
            poll_id=poll.id,
            question=poll.question,
            options=poll.options,
            counts=await poll_counts(db, poll),
        )
    breakout = await running_breakout(db, session_id)
    if breakout is not None:
        state.breakout = protocol.BreakoutState(
            breakout_id=breakout.id,
            group_size=breakout.group_size,
            groups=[protocol.BreakoutGroup.model_validate(g) for g in breakout.groups],
        )
    state.activity = await activity_state(db, session_id)
    return members, state


def record(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    epoch: str,
    seq: int,
    event: protocol.RoomEventModel,
    actor_id: uuid.UUID | None,
    command_id: str | None,
) -> None:
    db.add(
        RoomEvent(
            session_id=session_id,
            epoch=epoch,
            seq=seq,
            type=event.type,
            payload=protocol.stored_payload(event),
            actor_id=actor_id,
            command_id=command_id,
        )
    )


async def applied_command(
    db: AsyncSession, *, session_id: uuid.UUID, actor_id: uuid.UUID, command_id: str
) -> int | None:
    """The `seq` of the event a command produced, if this member's command id was applied."""
    found = await db.scalars(
        select(col(RoomEvent.seq)).where(
            col(RoomEvent.session_id) == session_id,
            col(RoomEvent.actor_id) == actor_id,
            col(RoomEvent.command_id) == command_id,
        )
    )
    return found.first()


async def end_session(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    now: datetime,
    reason: str,
    by: uuid.UUID | None,
) -> protocol.SessionEnded | None:
    """Mark the session ended and close every open presence interval; None if already over."""
    live = await db.get(LiveSession, session_id)
    if live is None or live.status in ("ended", "cancelled"):
        return None
    live.status = "ended"
    live.ended_at = live.updated_at = now
    await db.execute(
        update(PresenceInterval)
        .where(
            col(PresenceInterval.session_id) == session_id, col(PresenceInterval.left_at).is_(None)
        )
        .values(left_at=now)
    )
    await db.flush()
    await webhook_events.sessions(db, event_type="session.ended", rows=[live], now=now)
    return protocol.SessionEnded(
        reason="scheduled_end" if reason == "scheduled_end" else "ended_by_teacher", by=by
    )


async def sessions_due_to_end(
    db: AsyncSession, *, now: datetime, grace: timedelta
) -> list[uuid.UUID]:
    """Live sessions whose end plus the grace period has passed."""
    rows = await db.scalars(
        select(col(LiveSession.id)).where(
            col(LiveSession.status) == "live", col(LiveSession.ends_at) <= now - grace
        )
    )
    return list(rows.all())


async def forget_used_tickets(db: AsyncSession, *, now: datetime) -> None:
    """Redeemed tickets are kept until they would have expired anyway, and a little longer."""
    await db.execute(
        delete(LiveTicketUse).where(col(LiveTicketUse.expires_at) < now - timedelta(hours=1))
    )
