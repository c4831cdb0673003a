"""Inbound frames: the transport's limits, then the pure parse, then one command applied in
one unit of work by `app.live.apply` (which does every permission check).

Every refusal is an `error` event `{id, code, message}` to the sender, its `message` in the
connection's language (from the catalogue, app/core/rules/error_texts; the `code` never
changes); the connection stays up and the room is unaffected. Only a frame over the size limit
(1009) and a client that keeps exceeding the rate limit (4008) lose the connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import is_database_unavailable
from app.core.rules import error_texts
from app.live import protocol
from app.live.apply import RoomCall, apply
from app.live.protocol import CloseCode, CommandRefused, RoomMember, RoomRefused
from app.realtime.broker import is_broker_unavailable
from app.realtime.limits import TokenBucket

if TYPE_CHECKING:
    from app.realtime.connection import Connection
    from app.realtime.hub import Emitted, Hub
    from app.realtime.room import Room

log = logging.getLogger(__name__)


def send_error(connection: Connection, error: protocol.Error) -> None:
    """Send `error` with its message in the connection's language (English when the catalogue
    has no text for its code)."""
    message, _ = error_texts.localise(error.message, connection.language, error.code)
    connection.send(
        error if message == error.message else error.model_copy(update={"message": message})
    )


def _too_big(text: str | None, data: bytes | None, limit: int) -> bool:
    if data is not None:
        return len(data) > limit
    if text is None or len(text) * 4 <= limit:  # UTF-8 takes at most 4 bytes a character
        return False
    return len(text) > limit or len(text.encode()) > limit


def _bucket(
    connection: Connection, command: protocol.ClientCommand | protocol.Error
) -> TokenBucket:
    """A teacher's room controls (end, remove, mute, delete, poll, breakout, activity) spend a
    budget of their own: a teacher who has just chatted fast can still stop the room."""
    member = connection.member
    if (
        member is not None
        and member.role == "teacher"
        and not isinstance(command, protocol.Error)
        and command.type in protocol.TEACHER_COMMANDS
    ):
        return connection.control_bucket
    return connection.bucket


def _within_rate(connection: Connection, command: protocol.ClientCommand | protocol.Error) -> bool:
    """A command past its budget is dropped with `rate_limited` (echoing its `id`); a client that
    keeps exceeding it loses the connection (4008)."""
    now = asyncio.get_running_loop().time()
    if _bucket(connection, command).take(now):
        return True
    send_error(
        connection,
        protocol.Error(id=command.id, code="rate_limited", message="Too many commands: slow down."),
    )
    if connection.strikes.strike(now):
        connection.close(CloseCode.SLOW_DOWN, "rate limit exceeded")
    return False


async def handle_frame(
    hub: Hub, room: Room, connection: Connection, text: str | None, data: bytes | None
) -> None:
    if _too_big(text, data, hub.settings.ws_max_frame_bytes):
        connection.abort(CloseCode.FRAME_TOO_BIG, "frame too big")
        return
    command = protocol.parse_command(text)  # bounded by the size limit; it names the budget
    if not _within_rate(connection, command):
        return
    if isinstance(command, protocol.Error):
        send_error(connection, command)
        return
    if isinstance(command, protocol.Ping):
        connection.send(protocol.Pong(id=command.id))
        return
    member = connection.member
    assert member is not None
    await _run(hub, room, connection, member, command)


# A dependency that is down: the client may try again shortly; the connection stays.
_UNAVAILABLE: tuple[tuple[Callable[[BaseException], bool], str, str], ...] = (
    (
        is_broker_unavailable,
        "broker_unavailable",
        "The room's message service is unavailable; try again shortly.",
    ),
    (
        is_database_unavailable,
        "database_unavailable",
        "The database is unavailable; try again shortly.",
    ),
)


def _failure(room: Room, command: protocol.ClientCommand, exc: Exception) -> protocol.Error:
    """What a command that raised answers: a dependency that is down, or a bug (logged)."""
    for down, code, message in _UNAVAILABLE:
        if down(exc):
            log.warning("live command: %s", code, extra={"session_id": room.key})
            return protocol.Error(id=command.id, code=code, message=message)
    log.error(
        "live command failed", extra={"session_id": room.key, "type": command.type}, exc_info=exc
    )
    return protocol.Error(
        id=command.id, code="internal_error", message="The command failed; try again."
    )


async def _run(
    hub: Hub,
    room: Room,
    connection: Connection,
    member: RoomMember,
    command: protocol.ClientCommand,
) -> None:
    """Apply under the room's lock; ack the sender before the broadcast; say what failed."""
    acked = False

    def ack(emitted: Emitted) -> None:  # before the broadcast: the sender learns its seq first
        nonlocal acked
        acked = True
        connection.send(protocol.Ack(id=command.id, seq=emitted.seqs[0] if emitted.seqs else None))

    call = RoomCall(
        session_id=room.session_id,
        presence=hub.presence(),
        chat_max_chars=hub.settings.ws_chat_max_chars,
    )

    async def build(db: AsyncSession) -> list[protocol.RoomEventModel]:
        return await apply(db, member, command, call)

    try:
        emitted = await hub.emit(
            room.session_id, build, actor_id=member.user_id, command_id=command.id, on_commit=ack
        )
    except CommandRefused as refused:
        send_error(
            connection,
            protocol.Error(
                id=command.id, code=refused.code, message=refused.message, details=refused.details
            ),
        )
        return
    except RoomRefused as refused:
        connection.close(refused.code, refused.reason)
        return
    except Exception as exc:
        if acked:  # stored but not broadcast: the room resumes around the gap
            log.exception("live broadcast failed", extra={"session_id": room.key})
            return
        send_error(connection, _failure(room, command, exc))
        return
    if emitted.duplicate_of is not None:
        connection.send(protocol.Ack(id=command.id, seq=emitted.duplicate_of, duplicate=True))
    elif isinstance(command, protocol.SessionEnd):
        await hub.forget_room(room.session_id)
