"""Room commands: each checks what the room allows, stores what must survive, and returns the
room event(s) to broadcast. `CommandRefused` answers the sender with an `error`; the hub gives
each command one short unit of work, and who may send what is checked before (protocol).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.classes.tables import ClassLearner
from app.families import consents
from app.live import protocol
from app.live import rooms as live_rooms
from app.live.outcomes import CommandRefused
from app.live.rooms import FreshnessCutoff
from app.live.rules.breakout import Person, make_groups
from app.live.tables import BreakoutRound, ChatMessage, Poll, PollVote, RoomModeration
from app.live.tickets import RoomMember, is_removed
from app.matching.tables import ExchangeClass
from app.scheduling.tables import LiveSession

NO_COUNTRY = "??"


async def require_live(db: AsyncSession, session_id: uuid.UUID) -> LiveSession:
    live = await db.get(LiveSession, session_id)
    if live is None or live.status in ("ended", "cancelled"):
        raise CommandRefused("room_closed", "The session is over.")
    return live


async def muted_until(
    db: AsyncSession, *, session_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> datetime | None:
    return await db.scalar(
        select(col(RoomModeration.until))
        .where(
            col(RoomModeration.session_id) == session_id,
            col(RoomModeration.user_id) == user_id,
            col(RoomModeration.kind) == "mute",
            col(RoomModeration.until) > now,
        )
        .order_by(col(RoomModeration.until).desc())
    )


async def chat_send(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    member: RoomMember,
    text: str,
    now: datetime,
    max_chars: int,
) -> protocol.ChatMessageEvent:
    await require_live(db, session_id)
    if len(text) > max_chars:
        raise CommandRefused("text_too_long", f"A message holds at most {max_chars} characters.")
    until = await muted_until(db, session_id=session_id, user_id=member.user_id, now=now)
    if until is not None:
        raise CommandRefused("muted", f"A teacher muted you until {until.isoformat()}.")
    if member.role == "learner" and not await _may_chat(db, member.user_id, now):
        raise CommandRefused(
            "consent_required",
            "Chat needs consent (purpose `chat`): it was not given or was withdrawn.",
        )
    message = ChatMessage(session_id=session_id, author_id=member.user_id, text=text, sent_at=now)
    db.add(message)
    await db.flush()
    return protocol.ChatMessageEvent(
        message_id=message.id, author=member.public(), text=text, sent_at=now
    )


async def _may_chat(db: AsyncSession, user_id: uuid.UUID, now: datetime) -> bool:
    learner = await db.get(User, user_id)
    if learner is None:
        return False
    return await consents.has_consent(
        db, learner, "chat", await consents.learner_today(db, learner, now)
    )


async def chat_delete(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    member: RoomMember,
    message_id: uuid.UUID,
    now: datetime,
) -> protocol.ChatDeleted:
    await require_live(db, session_id)
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
    await require_live(db, session_id)
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
    await require_live(db, session_id)
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
    await require_live(db, session_id)
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
    await require_live(db, session_id)
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
    await require_live(db, session_id)
    running = await live_rooms.running_breakout(db, session_id)
    if running is None:
        raise CommandRefused("no_breakout", "No breakout is running.")
    running.ended_at = now
    await db.flush()
    return protocol.BreakoutEnded(breakout_id=running.id)


async def _learner_of(db: AsyncSession, live: LiveSession, user_id: uuid.UUID) -> None:
    found = await db.scalars(
        select(col(ClassLearner.learner_id))
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(ClassLearner.class_id))
        .where(
            col(ExchangeClass.exchange_id) == live.exchange_id,
            col(ClassLearner.learner_id) == user_id,
        )
    )
    if found.first() is None:
        raise CommandRefused("invalid_target", "Teachers moderate the learners of this session.")


async def member_mute(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    member: RoomMember,
    user_id: uuid.UUID,
    minutes: int,
    now: datetime,
) -> protocol.MemberMuted:
    live = await require_live(db, session_id)
    await _learner_of(db, live, user_id)
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
    live = await require_live(db, session_id)
    await _learner_of(db, live, user_id)
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
