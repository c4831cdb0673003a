"""Redis stopped for ten seconds under two server processes, then started again (issue 18,
faults). Both processes keep answering HTTP and name the broker in `/readyz`; commands on
either get `error broker_unavailable` at once; no socket is dropped during the outage. The
restarted Redis is empty (no persistence), so each room tells its members to resume (4008);
they do, each on the other process, and every acknowledged message is stored once and seen at
most once by each member."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.core.settings import Settings
from tests.realtime.conftest import World
from tests.realtime.live import chat_texts, new_session
from tests.realtime.throwaway_redis import ThrowawayRedis, redis_server
from tests.realtime.two_processes import API, resume_from, two_processes
from tests.run_kind import several_processes

__all__ = ["redis_server"]  # the fixture
OUTAGE_S = 10.0


@several_processes
async def test_two_processes_ride_out_a_redis_outage(
    live_settings: Settings, world: World, redis_server: ThrowawayRedis, tmp_path: Path
) -> None:
    settings = live_settings.model_copy(update={"broker_url": redis_server.url, "log_json": False})
    async with two_processes(settings, tmp_path) as (a, b):
        session_id = await new_session(a.http, world.exchange, world.t_fr)
        teacher = await a.join(world.t_fr, session_id)
        learner = await b.join(world.learners_fi[1], session_id)  # fan-out crosses processes
        acked = [await teacher.command("chat.send", text=t) for t in ("one", "two")]
        assert [x["type"] for x in acked] == ["ack", "ack"]
        await learner.wait_count(lambda f: f["type"] == "chat.message", 2)

        redis_server.stop()
        for node, client, who in ((a, teacher, world.t_fr), (b, learner, world.learners_fi[1])):
            refused = await client.command("chat.send", id="during", text="lost?")
            assert (refused["type"], refused["code"], refused["id"]) == (
                "error",
                "broker_unavailable",
                "during",
            )
            ready = await node.http.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["error"]["details"] == {"failed": ["broker"]}
            me = await node.http.get(f"{API}/users/me", headers=who.headers)
            assert me.status_code == 200  # HTTP that needs no broker keeps answering
        await asyncio.sleep(OUTAGE_S)
        assert not teacher.closed  # nobody was thrown out
        assert not learner.closed

        await redis_server.start()
        for client in (teacher, learner):
            assert await client.wait_closed(within=30) == 4008
            assert client.close_reason == "room history lost: resume"
        for node in (a, b):
            assert (await node.http.get("/readyz")).status_code == 200

        # each resumes on the other process
        moved_teacher = await b.join(world.t_fr, session_id, **resume_from(teacher))
        moved_learner = await a.join(world.learners_fi[1], session_id, **resume_from(learner))
        outcomes = [c.welcome["recovered"] for c in (moved_teacher, moved_learner)]
        assert outcomes == [False, False]  # a fresh state from the database, in a new epoch
        assert moved_teacher.welcome["epoch"] != teacher.welcome["epoch"]
        three = await moved_teacher.command("chat.send", text="three")
        assert three["type"] == "ack"
        await moved_learner.wait_for(lambda f: f.get("text") == "three")

        # Acknowledged before: 2, after: 1; stored once each, in order; none seen twice.
        stored = await a.http.get(f"{API}/sessions/{session_id}/chat", headers=world.t_fr.headers)
        assert [m["text"] for m in stored.json()["items"]] == ["one", "two", "three"]
        seen = chat_texts(learner.frames) + chat_texts(moved_learner.frames)
        assert seen == ["one", "two", "three"]
        for client in (moved_teacher, moved_learner):
            await client.close()
