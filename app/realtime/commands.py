"""Inbound frames: limits, parsing, permission, then one command in one unit of work.

Every refusal is an `error` event `{id, code, message}` to the sender; the connection stays up
and the room is unaffected. Only a frame over the size limit (1009) and a client that keeps
exceeding the rate limit (4008) lose the connection.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.live import commands, protocol
from app.live.outcomes import CloseCode, CommandRefused, RoomRefused
from app.live.tickets import RoomMember

if TYPE_CHECKING:
    from app.realtime.connection import Connection
    from app.realtime.hub import Emitted, Hub
    from app.realtime.room import Room

log = logging.getLogger(__name__)


def _error(
    command_id: str | None, code: str, message: str, details: list[dict[str, str]] | None = None
) -> protocol.Error:
    return protocol.Error(id=command_id, code=code, message=message, details=details)


def _too_big(text: str | None, data: bytes | None, limit: int) -> bool:
    if data is not None:
        return len(data) > limit
    if text is None or len(text) * 4 <= limit:  # UTF-8 takes at most 4 bytes a character
        return False
    return len(text) > limit or len(text.encode()) > limit


async def handle_frame(
    hub: Hub, room: Room, connection: Connection, text: str | None, data: bytes | None
) -> None:
    settings = hub.settings
    if _too_big(text, data, settings.ws_max_frame_bytes):
        connection.abort(CloseCode.FRAME_TOO_BIG, "frame too big")
        return
    now = asyncio.get_running_loop().time()
    if not connection.bucket.take(now):
        connection.send(_error(None, "rate_limited", "Too many commands: slow down."))
        if connection.strikes.strike(now):
            connection.close(CloseCode.SLOW_DOWN, "rate limit exceeded")
        return
    if text is None:
        connection.send(_error(None, "invalid_json", "Send text frames holding one JSON object."))
        return
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        connection.send(_error(None, "invalid_json", "The frame is not valid JSON."))
        return
    if not isinstance(raw, dict):
        connection.send(_error(None, "invalid_json", "A command is a JSON object."))
        return
    given_id = raw.get("id")
    command_id = given_id if isinstance(given_id, str) and 0 < len(given_id) <= 64 else None
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in protocol.COMMAND_TYPES:
        connection.send(
            _error(command_id, "unknown_type", f"Unknown command type: {kind!r}."[:200])
        )
        return
    try:
        command = protocol.COMMANDS.validate_json(text, strict=True)
    except ValidationError as exc:
        details = [
            {"field": ".".join(str(p) for p in err["loc"][1:]) or "type", "message": err["msg"]}
            for err in exc.errors(include_url=False, include_input=False)
        ]
        fields = ", ".join(sorted({d["field"] for d in details}))
        connection.send(
            _error(command_id, "invalid_message", f"Invalid fields: {fields}.", details)
        )
        return
    member = connection.member
    assert member is not None
    if not protocol.may_send(member.role, command.type):
        who = {"observer": "Observers only watch", "learner": "Only teachers may do this"}
        connection.send(
            _error(command.id, "forbidden", who.get(member.role, "Only learners vote") + ".")
        )
        return
    if isinstance(command, protocol.Ping):
        connection.send(protocol.Pong(id=command.id))
        return
    acked = False

    def ack(emitted: Emitted) -> None:  # before the broadcast: the sender learns its seq first
        nonlocal acked
        acked = True
        connection.send(protocol.Ack(id=command.id, seq=emitted.seqs[0] if emitted.seqs else None))

    try:
        emitted = await hub.emit(
            room.session_id,
            lambda db: _apply(hub, room, member, command, db),
            actor_id=member.user_id,
            command_id=command.id,
            on_commit=ack,
        )
    except CommandRefused as refused:
        connection.send(_error(command.id, refused.code, refused.message, refused.details))
        return
    except RoomRefused as refused:
        connection.close(refused.code, refused.reason)
        return
    except Exception:
        log.exception("live command failed", extra={"session_id": room.key, "type": command.type})
        if not acked:  # stored but not broadcast: the room resumes around the gap
            connection.send(_error(command.id, "internal_error", "The command failed; try again."))
        return
    if emitted.duplicate_of is not None:
        connection.send(protocol.Ack(id=command.id, seq=emitted.duplicate_of, duplicate=True))
    elif isinstance(command, protocol.SessionEnd):
        await hub.forget_room(room.session_id)


async def _apply(
    hub: Hub,
    room: Room,
    member: RoomMember,
    command: protocol.ClientCommand,
    db: AsyncSession,
) -> list[protocol.RoomEventModel]:
    sid = room.session_id
    now = hub.clock()
    event: protocol.RoomEventModel
    match command:
        case protocol.ChatSend(text=text):
            event = await commands.chat_send(
                db,
                session_id=sid,
                member=member,
                text=text,
                now=now,
                max_chars=hub.settings.ws_chat_max_chars,
            )
        case protocol.ChatDelete(message_id=message_id):
            event = await commands.chat_delete(
                db, session_id=sid, member=member, message_id=message_id, now=now
            )
        case protocol.PollStart(question=question, options=options):
            event = await commands.poll_start(
                db, session_id=sid, member=member, question=question, options=options, now=now
            )
        case protocol.PollVote(poll_id=poll_id, option=option):
            event = await commands.poll_vote(
                db, session_id=sid, member=member, poll_id=poll_id, option=option, now=now
            )
        case protocol.PollClose(poll_id=poll_id):
            event = await commands.poll_close(db, session_id=sid, poll_id=poll_id, now=now)
        case protocol.BreakoutStart(group_size=group_size):
            event = await commands.breakout_start(
                db, session_id=sid, member=member, group_size=group_size, presence=hub.presence()
            )
        case protocol.BreakoutEnd():
            event = await commands.breakout_end(db, session_id=sid, now=now)
        case protocol.MemberMute(user_id=user_id, minutes=minutes):
            event = await commands.member_mute(
                db, session_id=sid, member=member, user_id=user_id, minutes=minutes, now=now
            )
        case protocol.MemberRemove(user_id=user_id):
            event = await commands.member_remove(
                db, session_id=sid, member=member, user_id=user_id, now=now
            )
        case protocol.HandRaise():
            await commands.require_live(db, sid)
            event = protocol.HandRaised(user_id=member.user_id)
        case protocol.ReactionSend(emoji=emoji):
            await commands.require_live(db, sid)
            event = protocol.Reaction(user_id=member.user_id, emoji=emoji)
        case protocol.SessionEnd():
            event = await commands.session_end(db, session_id=sid, member=member, now=now)
        case _:
            raise CommandRefused("unknown_type", f"Unhandled command {command.type!r}.")
    return [event]
