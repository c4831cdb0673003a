"""When things go wrong: a client that stops reading, a history too short to resume from, a
process that goes silent, a session that runs out of time, and rooms spread over processes."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from app.core.settings import Settings
from app.core.tables import utcnow
from app.live.tables import PresenceInterval
from app.scheduling.tables import LiveSession
from tests.realtime.conftest import World
from tests.realtime.live import (
    TIMEOUT,
    Frame,
    LiveClient,
    assert_contiguous,
    chat_texts,
    live_server,
    new_session,
    ticket,
)

QUEUE_LIMIT = 8


def has_seq(seq: int) -> Callable[[Frame], bool]:
    return lambda frame: frame.get("seq") == seq


async def drain(connection: ClientConnection) -> tuple[list[dict[str, Any]], ConnectionClosed]:
    """Read until the server closes: the frames, and how it closed."""
    frames: list[dict[str, Any]] = []
    async with asyncio.timeout(TIMEOUT):
        while True:
            try:
                frames.append(json.loads(await connection.recv()))
            except ConnectionClosed as closed:
                return frames, closed


async def test_a_slow_client_is_closed_and_never_slows_the_room(
    live_settings: Settings, world: World
) -> None:
    settings = live_settings.model_copy(
        update={
            "ws_outbound_queue": QUEUE_LIMIT,
            "ws_chat_max_chars": 4000,
            "ws_rate_per_second": 10_000.0,
            "ws_rate_burst": 10_000,
        }
    )
    # Small socket buffers on both sides, so that a few hundred KiB fill the path.
    async with live_server(settings, send_buffer=8192) as server:
        session_id = await new_session(server.http, world.exchange, world.t_fr)
        teacher = await LiveClient.join(server, world.t_fr, session_id)
        fast = await LiveClient.join(server, world.learners_fr[10], session_id)
        # The slow one reads its welcome, then nothing: a small receive buffer, a one-frame
        # client queue, so the server's writes back up quickly.
        slow_user = world.learners_fi[11]
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", server.port))
        url = server.ws_url(session_id, ticket=await ticket(server.http, slow_user, session_id))
        slow = await connect(url, sock=sock, max_queue=1, ping_interval=None, compression=None)
        welcome = json.loads(await slow.recv())
        assert welcome["type"] == "welcome"
        await teacher.wait_for(
            lambda f: f["type"] == "presence.joined" and f["member"]["id"] == slow_user.id
        )
        (slow_connection,) = [
            c
            for c in server.hub.rooms[uuid.UUID(session_id)].connections.values()
            if c.member is not None and str(c.member.user_id) == slow_user.id
        ]

        def slow_left() -> bool:
            return any(
                f["type"] == "presence.left" and f["member"]["id"] == slow_user.id
                for f in fast.frames
            )

        text = "x" * 3900
        sent = 0
        worst = 0.0
        while not slow_left():
            assert sent < 500, "the slow client was never closed"
            started = time.perf_counter()
            ack = await teacher.command("chat.send", text=f"{sent:05d}{text}")
            assert ack["type"] == "ack"
            await fast.wait_for(has_seq(ack["seq"]), within=2.0)
            worst = max(worst, time.perf_counter() - started)
            sent += 1
        # Everyone else got every message at once, in order; the room never waited.
        assert worst < 1.0
        assert len(chat_texts(fast.frames)) == sent
        assert_contiguous(fast)
        room = server.hub.rooms[uuid.UUID(session_id)]
        assert len(room.connections) == 2  # the slow one is gone from the room...
        assert slow_connection.peak_queued <= QUEUE_LIMIT  # ...having held at most this many
        assert slow_connection.queued == 0  # and its queue was dropped
        # The slow client now reads: what was in flight, then the 4008 that says "resume".
        received, closed = await drain(slow)
        assert closed.rcvd is not None
        assert closed.rcvd.code == 4008
        assert 0 < len(received) < sent
        last_seq = max(f["seq"] for f in received)
        # It resumes where it stopped and gets everything it missed.
        back = await LiveClient.join(
            server, slow_user, session_id, last_seq=last_seq, epoch=welcome["epoch"]
        )
        assert back.welcome["recovered"] is True
        assert len(chat_texts(back.frames)) == sent - len(chat_texts(received))
        for client in (teacher, fast, back):
            await client.close()


async def test_beyond_the_retention_a_client_gets_a_fresh_state(
    live_settings: Settings, world: World
) -> None:
    settings = live_settings.model_copy(update={"ws_history_events": 5})
    async with live_server(settings) as server:
        session_id = await new_session(server.http, world.exchange, world.t_fr)
        teacher = await LiveClient.join(server, world.t_fi, session_id)
        learner = await LiveClient.join(server, world.learners_fi[12], session_id)
        epoch = learner.welcome["epoch"]
        last = learner.welcome["seq"]
        await learner.close()
        for i in range(6):
            assert (await teacher.command("chat.send", text=f"m{i}"))["type"] == "ack"
        back = await LiveClient.join(
            server, world.learners_fi[12], session_id, last_seq=last, epoch=epoch
        )
        assert (back.welcome["recovered"], back.welcome["missed"]) == (False, 0)
        assert back.room_events() == []  # never a partial replay
        assert {m["id"] for m in back.welcome["presence"]} == {
            world.t_fi.id,
            world.learners_fi[12].id,
        }
        other_epoch = await LiveClient.join(
            server, world.learners_fi[13], session_id, last_seq=1, epoch="0123456789abcdef"
        )
        assert other_epoch.welcome["recovered"] is False
        future = await LiveClient.join(
            server, world.learners_fi[14], session_id, last_seq=10_000, epoch=epoch
        )
        assert future.welcome["recovered"] is False
        for client in (back, other_epoch, future):
            await client.close()
    # The server stops with the teacher still connected: 1012, reconnect and resume.
    assert await teacher.wait_closed() == 1012


async def test_silent_presence_expires_and_the_schedule_ends_the_room(
    live_settings: Settings, world: World
) -> None:
    settings = live_settings.model_copy(
        update={
            "ws_sweep_interval_s": 0.1,
            "ws_presence_heartbeat_s": 0.1,
            "ws_presence_stale_s": 0.6,
            "ws_room_grace_minutes": 0,
        }
    )
    async with live_server(settings) as server:
        session_id = await new_session(server.http, world.exchange, world.t_fr)
        teacher = await LiveClient.join(server, world.t_fr, session_id)
        ghost = await LiveClient.join(server, world.learners_fr[11], session_id)
        sid = uuid.UUID(session_id)
        # The ghost's interval now belongs to a connection of a process that stopped answering.
        async with server.app.state.ctx.db_factory() as db:
            await db.execute(
                update(PresenceInterval)
                .where(col(PresenceInterval.user_id) == uuid.UUID(world.learners_fr[11].id))
                .where(col(PresenceInterval.session_id) == sid)
                .values(
                    process_id="crashed",
                    connection_id=uuid.uuid4(),
                    last_heartbeat=utcnow() - timedelta(minutes=1),
                )
            )
            await db.commit()
        left = await teacher.wait_for(lambda f: f["type"] == "presence.left")
        assert left["member"]["id"] == world.learners_fr[11].id
        # Healthy connections stay present: the teacher's heartbeat keeps it fresh.
        await asyncio.sleep(1.0)  # longer than the staleness bound, on purpose
        assert [f["type"] for f in teacher.room_events()] == ["presence.joined", "presence.left"]
        # The session's end (plus grace) passes: the sweeper ends the room.
        async with server.app.state.ctx.db_factory() as db:
            await db.execute(
                update(LiveSession)
                .where(col(LiveSession.id) == sid)
                .values(ends_at=utcnow() - timedelta(seconds=1))
            )
            await db.commit()
        assert await teacher.wait_closed() == 4004
        ended = teacher.room_events()[-1]
        assert (ended["type"], ended["reason"]) == ("session.ended", "scheduled_end")
        assert await ghost.wait_closed() == 4004
        status = await server.http.get(f"/api/v1/sessions/{session_id}", headers=world.t_fr.headers)
        assert status.json()["status"] == "ended"


async def test_processes_share_rooms_through_redis(live_settings: Settings, world: World) -> None:
    if not live_settings.broker_url.startswith("redis"):
        pytest.skip("one process per memory broker: the PostgreSQL + Redis run covers this")
    async with live_server(live_settings) as one, live_server(live_settings) as two:
        assert one.hub.process_id != two.hub.process_id
        session_id = await new_session(one.http, world.exchange, world.t_fr)
        # the Finnish teacher: only they moderate their school's learners
        teacher = await LiveClient.join(one, world.t_fi, session_id)
        far = [await LiveClient.join(two, a, session_id) for a in world.learners_fi[:3]]
        near = await LiveClient.join(one, world.learners_fr[12], session_id)
        await teacher.wait_count(lambda f: f["type"] == "presence.joined", 4)
        said = await asyncio.gather(
            teacher.command("chat.send", text="from one"),
            far[0].command("chat.send", text="from two"),
            near.command("chat.send", text="from one again"),
            far[1].command("chat.send", text="from two again"),
        )
        assert {a["type"] for a in said} == {"ack"}
        orders = []
        for client in (teacher, near, *far):
            got = await client.wait_count(lambda f: f["type"] == "chat.message", 4)
            orders.append([(f["seq"], f["text"]) for f in got])
            assert_contiguous(client)
        assert all(order == orders[0] for order in orders)
        # A removal decided on one process closes the member's socket on the other.
        assert (await teacher.command("member.remove", user_id=world.learners_fi[2].id))[
            "type"
        ] == "ack"
        assert await far[2].wait_closed() == 4003
        left = await near.wait_for(lambda f: f["type"] == "presence.left")
        assert left["member"]["id"] == world.learners_fi[2].id
        assert (await far[0].command("session.end"))["code"] == "forbidden"
        assert (await teacher.command("session.end"))["type"] == "ack"
        codes = await asyncio.gather(*(c.wait_closed() for c in (teacher, near, *far[:2])))
        assert set(codes) == {4004}
