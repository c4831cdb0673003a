"""The hub: this process's live rooms and connections (docs/realtime.md).

- `serve` runs one WebSocket from ticket to goodbye: redeem the ticket, join (a presence
  interval, maybe `presence.joined`), send the `welcome` (and the missed events on resume), then
  read commands and write queued events until the connection ends, and leave.
- `emit` is the one way a room event comes to exist: under the room's lock, in one short unit
  of work, the change is stored with the event and its `seq`; only after the commit is the event
  appended to the broker, which fans it out to every process's room.
- The sweeper (`app.realtime.sweeper`, run by `app.background`) refreshes this process's
  presence heartbeats, closes the presence of processes that went silent, and ends rooms whose
  scheduled end plus grace has passed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.websockets import WebSocket

from app.attendance import certificates
from app.core.clock import Clock, system_clock
from app.core.db import unit_of_work
from app.core.metrics import Metrics
from app.core.rules.languages import DEFAULT_LANGUAGE
from app.core.security.tokens import KeyRing
from app.core.settings import Settings
from app.live import protocol
from app.live import rooms as live_rooms
from app.live import tickets as live_tickets
from app.live.chat import recent_chat
from app.live.protocol import CloseCode, RoomMember, RoomRefused
from app.live.rooms import FreshnessCutoff
from app.live.rules.window import RoomWindow
from app.realtime.broker import Broker, RoomEvent
from app.realtime.connection import Connection
from app.realtime.frames import handle_frame
from app.realtime.limits import StrikeWindow, TokenBucket
from app.realtime.redaction import install_ticket_redaction
from app.realtime.room import Room

log = logging.getLogger(__name__)

Build = Callable[[AsyncSession], Awaitable[Sequence[protocol.RoomEventModel]]]


@dataclass
class Emitted:
    seqs: list[int] = field(default_factory=list)
    duplicate_of: int | None = None


@dataclass(frozen=True)
class UnsentLeave:
    """A closed socket whose presence interval could not be closed yet."""

    session_id: uuid.UUID
    connection_id: uuid.UUID
    member: RoomMember
    at: FreshnessCutoff  # when the socket closed


class Hub:
    def __init__(
        self,
        *,
        settings: Settings,
        db_factory: async_sessionmaker[AsyncSession],
        broker: Broker,
        keys: KeyRing,
        clock: Clock = system_clock,
        metrics: Metrics | None = None,
    ) -> None:
        self.settings = settings
        self.metrics = metrics or Metrics()
        self.db_factory = db_factory
        self.broker = broker
        self.keys = keys
        self.clock = clock
        self.process_id = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.window = RoomWindow(
            opens_before=timedelta(minutes=settings.ws_room_opens_minutes_before),
            grace=timedelta(minutes=settings.ws_room_grace_minutes),
        )
        self.rooms: dict[uuid.UUID, Room] = {}
        self._rooms_lock = asyncio.Lock()
        self._serving: set[Connection] = set()
        self._unsent_leaves: list[UnsentLeave] = []
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopping = False

    @property
    def serving(self) -> bool:
        """Whether this process holds any live connection."""
        return bool(self._serving)

    @property
    def connection_count(self) -> int:
        return len(self._serving)

    def presence(self) -> FreshnessCutoff:
        return FreshnessCutoff(self.clock(), timedelta(seconds=self.settings.ws_presence_stale_s))

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        install_ticket_redaction()

    async def stop(self) -> None:
        """Close every connection (1012: restarting, resume elsewhere) and the rooms."""
        self._stopping = True
        for connection in list(self._serving):
            connection.abort(CloseCode.RESTARTING, "server restarting: resume")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), self.settings.ws_close_timeout_s)
        await self.retry_leaves()  # what is still unsent then, the other processes' sweep closes
        async with self._rooms_lock:
            for room in list(self.rooms.values()):
                await room.close()
            self.rooms.clear()

    async def _acquire(self, session_id: uuid.UUID) -> Room:
        async with self._rooms_lock:
            room = self.rooms.get(session_id)
            if room is None:
                room = Room(session_id, self.broker, self.metrics)
                await room.open()
                self.rooms[session_id] = room
            return room

    async def _release(self, room: Room) -> None:
        async with self._rooms_lock:
            if not room.connections and self.rooms.get(room.session_id) is room:
                del self.rooms[room.session_id]
                await room.close()

    # --- one connection ------------------------------------------------------------------

    async def serve(
        self,
        websocket: WebSocket,
        session_id: uuid.UUID,
        *,
        ticket: str | None,
        last_seq: int | None,
        epoch: str | None,
        language: str = DEFAULT_LANGUAGE,
    ) -> None:
        """Run one accepted WebSocket until it ends; refusals close it with their code.
        `language` is the one its `error` events speak."""
        if self._stopping:
            await websocket.close(CloseCode.RESTARTING, "server restarting")
            return
        try:
            async with unit_of_work(self.db_factory) as db:
                user_id = await live_tickets.redeem_ticket(
                    db, keys=self.keys, ticket=ticket, session_id=session_id
                )
        except RoomRefused as refused:
            await websocket.close(refused.code, refused.reason)
            return
        except Exception:
            log.exception("redeeming a live ticket failed", extra={"session_id": str(session_id)})
            await websocket.close(CloseCode.SERVER_ERROR, "server error")
            return
        settings = self.settings
        loop = asyncio.get_running_loop()
        connection = Connection(
            websocket,
            queue_limit=settings.ws_outbound_queue,
            close_timeout=settings.ws_close_timeout_s,
            bucket=TokenBucket(
                rate=settings.ws_rate_per_second, burst=settings.ws_rate_burst, now=loop.time()
            ),
            control_bucket=TokenBucket(
                rate=settings.ws_control_rate_per_second,
                burst=settings.ws_control_burst,
                now=loop.time(),
            ),
            strikes=StrikeWindow(
                limit=settings.ws_rate_strikes, window_s=settings.ws_rate_strike_window_s
            ),
            on_overflow=self.metrics.queue_overflows.inc,
            language=language,
        )
        self.metrics.ws_opened.inc()
        self._serving.add(connection)
        self._idle.clear()
        room: Room | None = None
        try:
            room = await self._acquire(session_id)
            room.add(connection)  # from now on, room events queue up for this connection
            try:
                member = await self._join(room, connection, user_id)
            except RoomRefused as refused:
                await websocket.close(refused.code, refused.reason)
                return
            await self._live(room, connection, member, last_seq, epoch)
        except Exception:  # the database or the broker failed: say so, the client resumes
            log.exception("live connection failed", extra={"session_id": str(session_id)})
            with contextlib.suppress(Exception):
                await websocket.close(CloseCode.SERVER_ERROR, "server error")
        finally:
            if room is not None:
                room.remove(connection)
                await self._release(room)
            self._serving.discard(connection)
            if not self._serving:
                self._idle.set()

    async def _live(
        self,
        room: Room,
        connection: Connection,
        member: RoomMember,
        last_seq: int | None,
        epoch: str | None,
    ) -> None:
        """Welcome, then run the connection. It leaves the room as soon as it is over for the
        room (closing, or gone), not after its closing handshake, which a client that stopped
        reading could hold up until the close timeout."""
        runner: asyncio.Task[None] | None = None
        try:
            preamble = await self._welcome(room, connection, member, last_seq, epoch)

            async def on_frame(conn: Connection, text: str | None, data: bytes | None) -> None:
                await handle_frame(self, room, conn, text, data)

            runner = asyncio.create_task(connection.run(preamble, on_frame))
            try:
                await connection.until_over(runner)
            except asyncio.CancelledError:
                runner.cancel()
                await asyncio.gather(runner, return_exceptions=True)
                raise
        finally:
            room.remove(connection)
            await self._leave(room, connection, member)
        try:
            await runner
        except asyncio.CancelledError:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
            raise

    async def _join(self, room: Room, connection: Connection, user_id: uuid.UUID) -> RoomMember:
        joined: list[RoomMember] = []

        async def build(db: AsyncSession) -> list[protocol.RoomEventModel]:
            member, first = await live_rooms.join(
                db,
                session_id=room.session_id,
                user_id=user_id,
                connection_id=connection.id,
                process_id=self.process_id,
                presence=self.presence(),
                window=self.window,
                max_connections=self.settings.ws_max_connections_per_user,
            )
            joined.append(member)
            return [protocol.PresenceJoined(member=member.public())] if first else []

        await self.emit(room.session_id, build)
        connection.member = joined[0]
        return joined[0]

    async def _welcome(
        self,
        room: Room,
        connection: Connection,
        member: RoomMember,
        last_seq: int | None,
        epoch: str | None,
    ) -> list[str]:
        resuming = last_seq is not None and epoch is not None
        recovery = await self.broker.recover(
            room.key, epoch=epoch if resuming else None, after=last_seq if resuming else None
        )
        async with unit_of_work(self.db_factory) as db:
            presence, state = await live_rooms.snapshot(
                db, session_id=room.session_id, presence=self.presence()
            )
            recovered = resuming and recovery.events is not None
            if resuming:
                self.metrics.resumes.labels("recovered" if recovered else "fresh").inc()
            # a resumed client has the chat already: the missed events follow instead
            chat = (
                []
                if recovered
                else await recent_chat(db, session_id=room.session_id, epoch=recovery.epoch)
            )
        replay = recovery.events if resuming and recovery.events is not None else []
        connection.after = recovery.seq
        welcome = protocol.Welcome(
            room=room.session_id,
            epoch=recovery.epoch,
            seq=recovery.seq,
            you=member.public(),
            presence=presence,
            state=state,
            recovered=recovered,
            missed=len(replay),
            chat=chat,
        )
        return [protocol.encode(welcome), *(event.data.decode() for event in replay)]

    async def _leave(self, room: Room, connection: Connection, member: RoomMember) -> None:
        leave = UnsentLeave(room.session_id, connection.id, member, self.presence())
        try:
            await self._send_leave(leave)
        except Exception:  # the broker or the database is down: the sweeper retries it
            log.warning(
                "leaving a live room failed; retried by the sweeper",
                extra={"session_id": room.key},
                exc_info=True,
            )
            self._unsent_leaves.append(leave)

    async def _send_leave(self, leave: UnsentLeave) -> None:
        async def build(db: AsyncSession) -> list[protocol.RoomEventModel]:
            last = await live_rooms.leave(db, connection_id=leave.connection_id, presence=leave.at)
            return [protocol.PresenceLeft(member=leave.member.public())] if last else []

        await self.emit(leave.session_id, build)

    async def retry_leaves(self) -> None:
        """Close, at the time their sockets closed, the intervals whose leave failed."""
        pending, self._unsent_leaves = self._unsent_leaves, []
        for index, leave in enumerate(pending):
            try:
                await self._send_leave(leave)
            except Exception:  # still down: keep them for the next sweep
                self._unsent_leaves.extend(pending[index:])
                return

    def live_connection_ids(self) -> list[uuid.UUID]:
        """The connections this process still serves: the only ones it heartbeats."""
        return [connection.id for connection in self._serving]

    # --- room events ---------------------------------------------------------------------

    async def emit(
        self,
        session_id: uuid.UUID,
        build: Build,
        *,
        actor_id: uuid.UUID | None = None,
        command_id: str | None = None,
        on_commit: Callable[[Emitted], None] | None = None,
    ) -> Emitted:
        """Store `build`'s change and events (numbered), commit, then broadcast. A command id
        already applied for this actor is not applied again: `duplicate_of` is its `seq`.
        `on_commit` runs between the commit and the broadcast (the sender's `ack` goes first)."""
        key = str(session_id)
        async with self.broker.room_lock(key):
            started = time.perf_counter()
            taken: list[tuple[str, int]] = []
            outgoing: list[RoomEvent] = []
            try:
                async with unit_of_work(self.db_factory) as db:
                    if command_id is not None and actor_id is not None:
                        prior = await live_rooms.applied_command(
                            db, session_id=session_id, actor_id=actor_id, command_id=command_id
                        )
                        if prior is not None:
                            return Emitted(duplicate_of=prior)
                    for index, event in enumerate(await build(db)):
                        epoch, seq = await self.broker.next_seq(key)
                        taken.append((epoch, seq))
                        event.seq = seq
                        live_rooms.record(
                            db,
                            session_id=session_id,
                            epoch=epoch,
                            seq=seq,
                            event=event,
                            actor_id=actor_id,
                            command_id=command_id if index == 0 else None,
                        )
                        outgoing.append(RoomEvent(epoch, seq, protocol.encode(event).encode()))
            except BaseException:
                for epoch, seq in reversed(taken):  # the room's sequence stays contiguous
                    with contextlib.suppress(Exception):
                        await self.broker.undo_seq(key, epoch, seq)
                raise
            emitted = Emitted(seqs=[e.seq for e in outgoing])
            self.metrics.room_write.observe(time.perf_counter() - started)
            self.metrics.room_commands.inc()
            self.metrics.room_events_stored.inc(len(outgoing))
            if on_commit is not None:
                on_commit(emitted)
            for stored in outgoing:
                await self.broker.append(key, stored)
        return emitted

    async def end_room(self, session_id: uuid.UUID, *, reason: str, by: uuid.UUID | None) -> bool:
        """End a session's room (teacher or schedule): stored, broadcast, then forgotten."""

        async def build(db: AsyncSession) -> list[protocol.RoomEventModel]:
            ended = await live_rooms.end_session(
                db, session_id=session_id, now=self.clock(), reason=reason, by=by
            )
            return [] if ended is None else [ended]

        emitted = await self.emit(session_id, build)
        if emitted.seqs:
            await self.forget_room(session_id)
        return bool(emitted.seqs)

    async def consent_withdrawn(self, user_id: uuid.UUID) -> int:
        """A learner's consent to live sessions was withdrawn (and committed): every room in
        which they hold a connection, on any process, announces `member.removed` with reason
        `consent_withdrawn`, and each process closes their sockets with 4003. No moderation
        record: given again, the consent lets them back in. Answers the rooms told."""
        async with unit_of_work(self.db_factory) as db:
            rooms = await live_rooms.rooms_with(db, user_id=user_id)

        async def build(db: AsyncSession) -> list[protocol.RoomEventModel]:
            return [protocol.MemberRemoved(user_id=user_id, by=None, reason="consent_withdrawn")]

        for session_id in rooms:
            try:
                await self.emit(session_id, build)
            except Exception:
                log.exception(
                    "closing a withdrawn learner's room failed",
                    extra={"session_id": str(session_id)},
                )
        return len(rooms)

    async def forget_room(self, session_id: uuid.UUID) -> None:
        """After `session.ended` is out: the broker's position and history are not needed, and
        the certificates the session made due are issued (a failure is only logged: listing a
        learner's certificates issues what is still due)."""
        with contextlib.suppress(Exception):
            await self.broker.drop_room(str(session_id))
        issuing = certificates.issuing_from_settings(self.settings, self.keys)
        try:
            async with unit_of_work(self.db_factory) as db:
                await certificates.issue_after_session(
                    db, session_id=session_id, issuing=issuing, now=self.clock()
                )
        except Exception:
            log.exception("issuing certificates failed", extra={"session_id": str(session_id)})
