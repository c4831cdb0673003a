"""SIGKILL of one of two server processes mid-session (issue 18, faults): no shutdown code
runs, so the dead process's presence intervals stay open until the other process's sweeper
closes them at their last heartbeat; the clients resume on the other process from Redis's
history with every acknowledged message once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.core.settings import Settings
from tests.realtime.conftest import World
from tests.realtime.live import assert_contiguous, chat_texts, new_session
from tests.realtime.test_attendance_restart import intervals
from tests.realtime.throwaway_redis import ThrowawayRedis, redis_server
from tests.realtime.two_processes import API, resume_from, two_processes
from tests.run_kind import several_processes

__all__ = ["redis_server"]  # the fixture
HEARTBEAT = 0.5
SWEEP = 0.1


@several_processes
async def test_the_other_process_closes_a_killed_processs_presence_and_takes_its_clients(
    live_settings: Settings, world: World, redis_server: ThrowawayRedis, tmp_path: Path
) -> None:
    settings = live_settings.model_copy(
        update={
            "broker_url": redis_server.url,
            "ws_presence_heartbeat_s": HEARTBEAT,
            "ws_presence_stale_s": 3 * HEARTBEAT,
            "ws_sweep_interval_s": SWEEP,
            "log_json": False,
        }
    )
    async with two_processes(settings, tmp_path) as (a, b):
        session_id = await new_session(a.http, world.exchange, world.t_fr)
        teacher = await a.join(world.t_fr, session_id)
        learner = await a.join(world.learners_fi[2], session_id)
        acked = [await teacher.command("chat.send", text=t) for t in ("one", "two")]
        assert [x["type"] for x in acked] == ["ack", "ack"]
        await learner.wait_count(lambda f: f["type"] == "chat.message", 2)
        await asyncio.sleep(3 * HEARTBEAT)  # some heartbeats written

        killed_at = datetime.now(UTC)
        a.server.kill()
        for client in (teacher, learner):
            assert await client.wait_closed() == 1006  # no closing handshake from a dead process

        ids = {uuid.UUID(world.t_fr.id), uuid.UUID(world.learners_fi[2].id)}
        async with asyncio.timeout(15):
            while True:  # process b's sweeper closes what a left open
                found = await intervals(settings, session_id)
                rows = [row for held in found.values() for row in held]
                if all(i.left_at is not None for i in rows if i.user_id in ids):
                    break
                await asyncio.sleep(0.1)
        for row in rows:
            assert row.left_at is not None
            assert row.left_at == row.last_heartbeat  # at its last heartbeat
            assert killed_at - row.left_at <= timedelta(seconds=HEARTBEAT + SWEEP + 0.5)

        moved_teacher = await b.join(world.t_fr, session_id, **resume_from(teacher))
        moved_learner = await b.join(world.learners_fi[2], session_id, **resume_from(learner))
        outcomes = [c.welcome["recovered"] for c in (moved_teacher, moved_learner)]
        assert outcomes == [True, True]  # Redis kept the room's history
        three = await moved_teacher.command("chat.send", text="three")
        assert three["type"] == "ack"
        await moved_learner.wait_for(lambda f: f.get("text") == "three")

        # Acknowledged before the kill: 2, after: 1; each seen once, in order, and stored once.
        seen = chat_texts(learner.frames) + chat_texts(moved_learner.frames)
        assert seen == ["one", "two", "three"]
        for client in (learner, moved_learner):
            assert_contiguous(client)
        stored = await b.http.get(f"{API}/sessions/{session_id}/chat", headers=world.t_fr.headers)
        assert [m["text"] for m in stored.json()["items"]] == ["one", "two", "three"]
        for client in (moved_teacher, moved_learner):
            await client.close()
