"""`apply(db, member, command, room)`: the one way a room command takes effect.

Every permission check happens here, once, before the command changes anything: the role may
send this command (`protocol.may_send`), the session is live, a chat message is within the
length limit and its author (like the author of a word-cloud word or a glossary term) neither
muted nor without the `chat` consent, a moderated member is a learner of the session from the
teacher's own school, only a teacher lowers another member's hand. Then `app.live.commands` (or
`app.live.activity_commands`) makes the change and returns the room event. The hub calls
`apply` inside its unit of work, under the room's lock; it numbers, commits and broadcasts what
comes back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.classes.tables import ClassLearner
from app.families import consents
from app.live import activity_commands, commands, protocol
from app.live.protocol import CommandRefused, RoomMember
from app.live.rooms import FreshnessCutoff
from app.live.tables import RoomModeration
from app.matching.tables import ExchangeClass
from app.scheduling.tables import LiveSession

_FORBIDDEN = {"observer": "Observers only watch.", "learner": "Only teachers may do this."}


@dataclass(frozen=True)
class RoomCall:
    """Where and when a command is applied: its room, the time and presence cut-off, and the
    chat length limit."""

    session_id: uuid.UUID
    presence: FreshnessCutoff
    chat_max_chars: int

    @property
    def now(self) -> datetime:
        return self.presence.now


async def apply(
    db: AsyncSession, member: RoomMember, command: protocol.ClientCommand, room: RoomCall
) -> list[protocol.RoomEventModel]:
    """The room events `command` produces; `CommandRefused` when it may not be applied."""
    if not protocol.may_send(member.role, command.type):
        raise CommandRefused("forbidden", _FORBIDDEN.get(member.role, "Only learners do this."))
    if isinstance(command, protocol.SessionEnd):
        return [
            await commands.session_end(db, session_id=room.session_id, member=member, now=room.now)
        ]
    live = await _require_live(db, room.session_id)
    return [await _dispatch(db, member, command, room, live)]


async def _dispatch(
    db: AsyncSession,
    member: RoomMember,
    command: protocol.ClientCommand,
    room: RoomCall,
    live: LiveSession,
) -> protocol.RoomEventModel:
    sid, now = live.id, room.now
    match command:
        case protocol.ChatSend(text=text):
            await _may_chat(db, member, text, room)
            return await commands.chat_send(db, session_id=sid, member=member, text=text, now=now)
        case protocol.ChatDelete(message_id=message_id):
            return await commands.chat_delete(
                db, session_id=sid, member=member, message_id=message_id, now=now
            )
        case protocol.PollStart(question=question, options=options):
            return await commands.poll_start(
                db, session_id=sid, member=member, question=question, options=options, now=now
            )
        case protocol.PollVote(poll_id=poll_id, option=option):
            return await commands.poll_vote(
                db, session_id=sid, member=member, poll_id=poll_id, option=option, now=now
            )
        case protocol.PollClose(poll_id=poll_id):
            return await commands.poll_close(db, session_id=sid, poll_id=poll_id, now=now)
        case protocol.BreakoutStart(group_size=group_size):
            return await commands.breakout_start(
                db, session_id=sid, member=member, group_size=group_size, presence=room.presence
            )
        case protocol.BreakoutEnd():
            return await commands.breakout_end(db, session_id=sid, now=now)
        case protocol.MemberMute(user_id=user_id, minutes=minutes):
            await _moderated_by(db, live, user_id, member)
            return await commands.member_mute(
                db, session_id=sid, member=member, user_id=user_id, minutes=minutes, now=now
            )
        case protocol.MemberRemove(user_id=user_id):
            await _moderated_by(db, live, user_id, member)
            return await commands.member_remove(
                db, session_id=sid, member=member, user_id=user_id, now=now
            )
        case protocol.HandRaise():
            return protocol.HandRaised(user_id=member.user_id)
        case protocol.HandLower(user_id=user_id):
            if user_id is not None and user_id != member.user_id and member.role != "teacher":
                raise CommandRefused("forbidden", "Only teachers lower another member's hand.")
            return protocol.HandLowered(user_id=user_id or member.user_id, by=member.user_id)
        case protocol.ReactionSend(emoji=emoji):
            return protocol.Reaction(user_id=member.user_id, emoji=emoji)
        case protocol.ActivityStart(index=index):
            return await activity_commands.activity_start(
                db, session_id=sid, member=member, index=index, now=now
            )
        case protocol.ActivityEnd():
            return await activity_commands.activity_end(db, session_id=sid, now=now)
        case protocol.QuizAnswer(question=question, option=option):
            return await activity_commands.quiz_answer(
                db, session_id=sid, member=member, question=question, option=option, now=now
            )
        case protocol.WordcloudSubmit(word=word):
            await _may_write(db, member, room)
            return await activity_commands.wordcloud_submit(
                db, session_id=sid, member=member, word=word, now=now
            )
        case protocol.GlossaryAdd(term=term, translations=translations):
            await _may_write(db, member, room)
            return await activity_commands.glossary_add(
                db,
                session_id=sid,
                exchange_id=live.exchange_id,
                member=member,
                term=term,
                translations=translations,
                now=now,
            )
    raise CommandRefused("unknown_type", f"Unhandled command {command.type!r}.")


# --- the checks ----------------------------------------------------------------------------


async def _require_live(db: AsyncSession, session_id: uuid.UUID) -> LiveSession:
    live = await db.get(LiveSession, session_id)
    if live is None or live.status in ("ended", "cancelled"):
        raise CommandRefused("room_closed", "The session is over.")
    return live


async def _may_chat(db: AsyncSession, member: RoomMember, text: str, room: RoomCall) -> None:
    if len(text) > room.chat_max_chars:
        raise CommandRefused(
            "text_too_long", f"A message holds at most {room.chat_max_chars} characters."
        )
    await _may_write(db, member, room)


async def _may_write(db: AsyncSession, member: RoomMember, room: RoomCall) -> None:
    """What a member writes for the room (chat, words, glossary terms): not while muted, and
    a learner only with the `chat` consent."""
    until = await muted_until(db, session_id=room.session_id, user_id=member.user_id, now=room.now)
    if until is not None:
        raise CommandRefused("muted", f"A teacher muted you until {until.isoformat()}.")
    if member.role == "learner" and not await _has_chat_consent(db, member.user_id, room.now):
        raise CommandRefused(
            "consent_required",
            "Chat needs consent (purpose `chat`): it was not given or was withdrawn.",
        )


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


async def _has_chat_consent(db: AsyncSession, user_id: uuid.UUID, now: datetime) -> bool:
    learner = await db.get(User, user_id)
    if learner is None:
        return False
    return await consents.has_consent(
        db, learner, "chat", await consents.learner_today(db, learner, now)
    )


async def _moderated_by(
    db: AsyncSession, live: LiveSession, user_id: uuid.UUID, member: RoomMember
) -> None:
    """A teacher mutes or removes a learner of this session from their own school, as for
    attendance overrides: a partner school's teacher never moderates my learners."""
    await _learner_of(db, live, user_id)
    moderator, learner = await db.get(User, member.user_id), await db.get(User, user_id)
    if moderator is None or learner is None:
        raise CommandRefused("invalid_target", "Teachers moderate the learners of this session.")
    if moderator.role != "admin" and moderator.organisation_id != learner.organisation_id:
        raise CommandRefused("forbidden", "Teachers moderate the learners of their own school.")


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
