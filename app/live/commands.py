"""Room commands: what each one changes. Each stores what must survive and returns the room
event to broadcast; `CommandRefused` answers the sender with an `error` when the room's state
does not allow it (no such poll, a poll already running, ...). Who may send what was checked
before, once, by `app.live.apply`, which is the only caller.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.live import protocol
from app.live import rooms as live_rooms
from app.live.protocol import CommandRefused, RoomMember
from app.live.rooms import FreshnessCutoff
from app.live.rules.breakout import Person, make_groups
from app.live.tables import BreakoutRound, ChatMessage, Poll, PollVote, RoomModeration
from app.live.tickets import is_removed

NO_COUNTRY = "??"


async def chat_send(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    member: RoomMember,
    text: str,
    now: datetime,
) -> protocol.ChatMessageEvent:
    message = ChatMessage(session_id=session_id, author_id=member.user_id, text=text, sent_at=now)
    db.add(message)
    await db.flush()
    return protocol.ChatMessageEvent(
        message_id=message.id, author=member.public(), text=text, sent_at=now
    )


async def chat_delete(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    member: RoomMember,
    message_id: uuid.UUID,
    now: datetime,
) -> protocol.ChatDeleted:
    message = await db.get(ChatMessage, message_id)
    if message is None or message.session_id != session_id:
        raise CommandRefused("not_found", "No such message in this room.")
    if message.deleted_at is not None:
        raise CommandRefused("already_deleted", "The message is deleted already.")
    message.deleted_at = now
    message.deleted_by = member.user_id
    await db.flush()
    return protocol.ChatDeleted(message_id=message_id, by=member.user_id)


async def poll_start(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    member: RoomMember,
    question: str,
    options: list[str],
    now: datetime,
) -> protocol.PollStarted:
    if await live_rooms.running_poll(db, session_id) is not None:
        raise CommandRefused("poll_running", "Close the running poll first.")
    poll = Poll(
        session_id=session_id,
        question=question,
        options=options,
        created_by=member.user_id,
        created_at=now,
    )
    db.add(poll)
    await db.flush()
    return protocol.PollStarted(poll_id=poll.id, question=question, options=options)


async def _open_poll(db: AsyncSession, session_id: uuid.UUID, poll_id: uuid.UUID) -> Poll:
    poll = await db.get(Poll, poll_id)
    if poll is None or poll.session_id != session_id:
        raise CommandRefused("not_found", "No such poll in this room.")
    if poll.closed_at is not None:
        raise CommandRefused("poll_closed", "The poll is closed.")
    return poll


async def poll_vote(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    member: RoomMember,
    poll_id: uuid.UUID,
    option: int,
    now: datetime,
) -> protocol.PollResults:
    poll = await _open_poll(db, session_id, poll_id)
    if option >= len(poll.options):
        raise CommandRefused(
            "invalid_option", f"Choose an option from 0 to {len(poll.options) - 1}."
        )
    vote = await db.get(PollVote, (poll.id, member.user_id))
    if vote is None:
        db.add(PollVote(poll_id=poll.id, user_id=member.user_id, option=option, voted_at=now))
    else:
        vote.option = option
        vote.voted_at = now
    await db.flush()
    return protocol.PollResults(poll_id=poll.id, counts=await live_rooms.poll_counts(db, poll))


async def poll_close(
    db: AsyncSession, *, session_id: uuid.UUID, poll_id: uuid.UUID, now: datetime
) -> protocol.PollClosed:
    poll = await _open_poll(db, session_id, poll_id)
    poll.closed_at = now
    await db.flush()
    return protocol.PollClosed(poll_id=poll.id, counts=await live_rooms.poll_counts(db, poll))


async def breakout_start(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    member: RoomMember,
    group_size: int,
    presence: FreshnessCutoff,
) -> protocol.BreakoutStarted:
    """Groups of the learners present now, countries mixed as evenly as the room allows."""
    if await live_rooms.running_breakout(db, session_id) is not None:
        raise CommandRefused("breakout_running", "End the running breakout first.")
    learners = {
        m.user_id: m
        for m in await live_rooms.present(db, session_id=session_id, presence=presence)
        if m.role == "learner"
    }
    if not learners:
        raise CommandRefused("nobody_to_group", "No learner is in the room.")
    people = [Person(str(m.user_id), m.country or NO_COUNTRY) for m in learners.values()]
    round_id = uuid.uuid4()
    groups = make_groups(people, group_size, seed=round_id.int)
    public = [
        protocol.BreakoutGroup(
            group_id=f"g{index + 1}",
            members=[learners[uuid.UUID(p.id)].public() for p in group],
        )
        for index, group in enumerate(groups)
    ]
    db.add(
        BreakoutRound(
            id=round_id,
            session_id=session_id,
            group_size=group_size,
            groups=[g.model_dump(mode="json") for g in public],
            started_by=member.user_id,
            started_at=presence.now,
        )
    )
    await db.flush()
    return protocol.BreakoutStarted(breakout_id=round_id, group_size=group_size, groups=public)


async def breakout_end(
    db: AsyncSession, *, session_id: uuid.UUID, now: datetime
) -> protocol.BreakoutEnded:
    running = await live_rooms.running_breakout(db, session_id)
    if running is None:
        raise CommandRefused("no_breakout", "No breakout is running.")
    running.ended_at = now
    await db.flush()
    return protocol.BreakoutEnded(breakout_id=running.id)


async def member_mute(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    member: RoomMember,
    user_id: uuid.UUID,
    minutes: int,
    now: datetime,
) -> protocol.MemberMuted:
    until = now + timedelta(minutes=minutes)
    db.add(
        RoomModeration(
            session_id=session_id,
            user_id=user_id,
            kind="mute",
            until=until,
            actor_id=member.user_id,
            created_at=now,
        )
    )
    await db.flush()
    return protocol.MemberMuted(user_id=user_id, minutes=minutes, until=until, by=member.user_id)


async def member_remove(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    member: RoomMember,
    user_id: uuid.UUID,
    now: datetime,
) -> protocol.MemberRemoved:
    if await is_removed(db, session_id=session_id, user_id=user_id):
        raise CommandRefused("already_removed", "The learner was removed already.")
    db.add(
        RoomModeration(
            session_id=session_id,
            user_id=user_id,
            kind="remove",
            actor_id=member.user_id,
            created_at=now,
        )
    )
    await db.flush()
    return protocol.MemberRemoved(user_id=user_id, by=member.user_id)


async def session_end(
    db: AsyncSession, *, session_id: uuid.UUID, member: RoomMember, now: datetime
) -> protocol.SessionEnded:
    ended = await live_rooms.end_session(
        db, session_id=session_id, now=now, reason="ended_by_teacher", by=member.user_id
    )
    if ended is None:
        raise CommandRefused("room_closed", "The session is over.")
    return ended
