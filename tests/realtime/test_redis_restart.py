"""Issue 18, finding 7: after a Redis restart, the broker's pooled connections are dead; the
first room command after it (and the first readiness check) must not fail on one of them.
Each test runs its own throw-away `redis-server` on a free port and restarts it."""

from __future__ import annotations

from app.core.settings import Settings
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient, live_server, new_session
from tests.realtime.throwaway_redis import ThrowawayRedis, redis_server

__all__ = ["redis_server"]  # the fixture


async def test_the_first_command_after_a_redis_restart_is_answered(
    live_settings: Settings, world: World, redis_server: ThrowawayRedis
) -> None:
    settings = live_settings.model_copy(update={"broker_url": redis_server.url})
    async with live_server(settings) as server:
        first = await new_session(server.http, world.exchange, world.t_fr)
        teacher = await LiveClient.join(server, world.t_fr, first)
        assert (await teacher.command("chat.send", text="before"))["type"] == "ack"
        await teacher.close()
        await redis_server.restart()
        # the pool still holds the connections of before the restart, all dead now
        second = await new_session(server.http, world.exchange, world.t_fr)
        again = await LiveClient.join(server, world.t_fr, second)
        answer = await again.command("chat.send", text="after")
        assert answer["type"] == "ack", answer
        await again.close()


async def test_the_first_readiness_check_after_a_redis_restart_is_answered(
    live_settings: Settings, world: World, redis_server: ThrowawayRedis
) -> None:
    settings = live_settings.model_copy(update={"broker_url": redis_server.url})
    async with live_server(settings) as server:
        assert (await server.http.get("/readyz")).status_code == 200
        await redis_server.restart()
        ready = await server.http.get("/readyz")
        assert ready.status_code == 200, ready.text
