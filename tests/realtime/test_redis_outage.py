"""Redis stopped mid-session, then started again (issue 18, faults). HTTP keeps answering and
`/readyz` names the broker; the room's sockets stay open and a command gets `error
broker_unavailable` (with its id) at once instead of hanging; the room subscribes again with
backoff. The restarted Redis holds nothing (no persistence), so the room's history is gone: its
members are told to resume (4008) and do, in a new epoch, with every acknowledged message
stored once."""

from __future__ import annotations

import asyncio

from app.core.settings import Settings
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient, chat_texts, live_server, new_session
from tests.realtime.throwaway_redis import ThrowawayRedis, redis_server

__all__ = ["redis_server"]  # the fixture
OUTAGE_S = 3.0  # long enough for several resubscription attempts


async def test_a_redis_outage_keeps_the_room_and_refuses_commands_clearly(
    live_settings: Settings, world: World, redis_server: ThrowawayRedis
) -> None:
    settings = live_settings.model_copy(update={"broker_url": redis_server.url})
    async with live_server(settings) as server:
        session_id = await new_session(server.http, world.exchange, world.t_fr)
        teacher = await LiveClient.join(server, world.t_fr, session_id)
        learner = await LiveClient.join(server, world.learners_fr[2], session_id)
        assert (await teacher.command("chat.send", text="before"))["type"] == "ack"
        await learner.wait_for(lambda f: f.get("text") == "before")

        redis_server.stop()
        refused = await teacher.command("chat.send", id="during", text="lost?")
        assert (refused["type"], refused["code"], refused["id"]) == (
            "error",
            "broker_unavailable",
            "during",
        )
        ready = await server.http.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["error"]["details"] == {"failed": ["broker"]}
        health = await server.http.get("/api/v1/users/me", headers=world.t_fr.headers)
        assert health.status_code == 200  # HTTP that needs no broker keeps answering
        await asyncio.sleep(OUTAGE_S)
        assert not teacher.closed  # nobody was thrown out
        assert not learner.closed

        await redis_server.start()
        # the room is subscribed again and finds its history gone: everyone resumes
        for client in (teacher, learner):
            assert await client.wait_closed(within=30) == 4008
            assert client.close_reason == "room history lost: resume"
        resume = {"last_seq": teacher.room_events()[-1]["seq"], "epoch": teacher.welcome["epoch"]}
        back = await LiveClient.join(server, world.t_fr, session_id, **resume)
        assert back.welcome["recovered"] is False  # a fresh state, from the database
        assert back.welcome["epoch"] != teacher.welcome["epoch"]
        assert (await back.command("chat.send", text="after"))["type"] == "ack"
        await back.wait_for(lambda f: f.get("text") == "after")
        stored = await server.http.get(
            f"/api/v1/sessions/{session_id}/chat", headers=world.t_fr.headers
        )
        assert [m["text"] for m in stored.json()["items"]] == ["before", "after"]
        assert chat_texts(back.frames) == ["after"]
        await back.close()
