"""SIGTERM mid-session (issue 18, faults): the stopping process closes its sockets with 1012
within a bounded grace and closes their presence; the clients move to the other process, which
shares the database and Redis, and resume there with nothing acknowledged lost or repeated.
Two real server processes and a `redis-server` of the test's own."""

from __future__ import annotations

import signal
import uuid
from pathlib import Path

from app.core.settings import Settings
from tests.realtime.conftest import World
from tests.realtime.live import assert_contiguous, chat_texts, new_session
from tests.realtime.test_attendance_restart import intervals
from tests.realtime.throwaway_redis import ThrowawayRedis, redis_server
from tests.realtime.two_processes import API, resume_from, two_processes
from tests.run_kind import several_processes

__all__ = ["redis_server"]  # the fixture
GRACE_S = 2.0  # PASSERELLE_WS_CLOSE_TIMEOUT_S: how long a stopping process waits for sockets


@several_processes
async def test_sigterm_hands_the_room_to_the_other_process_losing_nothing(
    live_settings: Settings, world: World, redis_server: ThrowawayRedis, tmp_path: Path
) -> None:
    settings = live_settings.model_copy(
        update={"broker_url": redis_server.url, "ws_close_timeout_s": GRACE_S, "log_json": False}
    )
    async with two_processes(settings, tmp_path) as (a, b):
        session_id = await new_session(a.http, world.exchange, world.t_fr)
        teacher = await a.join(world.t_fr, session_id)
        learner = await a.join(world.learners_fi[0], session_id)
        acked = [await teacher.command("chat.send", text=t) for t in ("one", "two")]
        assert [x["type"] for x in acked] == ["ack", "ack"]
        await learner.wait_count(lambda f: f["type"] == "chat.message", 2)

        a.server.process.terminate()  # SIGTERM
        for client in (teacher, learner):
            assert await client.wait_closed(within=GRACE_S + 10) == 1012
        # a graceful exit: the lifespan ran to its end (uvicorn then re-raises the signal)
        assert a.server.process.wait(timeout=GRACE_S + 20) in (0, -signal.SIGTERM)
        assert b"Application shutdown complete." in a.log.read_bytes()

        # every interval the stopping process held is closed
        held = await intervals(settings, session_id)
        assert all(i.left_at is not None for rows in held.values() for i in rows)

        moved_teacher = await b.join(world.t_fr, session_id, **resume_from(teacher))
        moved_learner = await b.join(world.learners_fi[0], session_id, **resume_from(learner))
        for moved in (moved_teacher, moved_learner):
            assert moved.welcome["recovered"] is True, moved.welcome
        third = await moved_teacher.command("chat.send", text="three")
        assert third["type"] == "ack"
        await moved_learner.wait_for(lambda f: f.get("text") == "three")

        # Acknowledged: three messages, each once, in order, wherever one looks.
        seqs = [x["seq"] for x in [*acked, third]]
        assert seqs == sorted(set(seqs))
        seen = chat_texts(learner.frames) + chat_texts(moved_learner.frames)
        assert seen == ["one", "two", "three"]
        for client in (learner, moved_learner, moved_teacher):
            assert_contiguous(client)
        stored = await b.http.get(f"{API}/sessions/{session_id}/chat", headers=world.t_fr.headers)
        assert [m["text"] for m in stored.json()["items"]] == ["one", "two", "three"]
        now_open = await intervals(settings, session_id)
        open_ids = {i.user_id for rows in now_open.values() for i in rows if i.left_at is None}
        assert open_ids == {uuid.UUID(world.t_fr.id), uuid.UUID(world.learners_fi[0].id)}
        for client in (moved_teacher, moved_learner):
            await client.close()
