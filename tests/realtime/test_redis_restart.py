"""Issue 18, finding 7: after a Redis restart, the broker's pooled connections are dead; the
first room command after it (and the first readiness check) must not fail on one of them.
Each test runs its own throw-away `redis-server` on a free port and restarts it."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from app.core.settings import Settings
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient, live_server, new_session
from tests.realtime.server_process import free_port


class ThrowawayRedis:
    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _spawn(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (a fixed command line)
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"],  # noqa: S607
            stdout=subprocess.DEVNULL,
        )

    async def start(self) -> None:
        self._spawn()
        client: Redis = Redis.from_url(self.url)
        try:
            async with asyncio.timeout(10):
                while True:
                    try:
                        await client.ping()
                        return
                    except RedisConnectionError:  # not listening yet
                        await asyncio.sleep(0.05)
        finally:
            await client.aclose()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    async def restart(self) -> None:
        self.stop()
        await self.start()


@pytest.fixture
async def redis_server() -> AsyncIterator[ThrowawayRedis]:
    server = ThrowawayRedis(free_port())
    await server.start()
    try:
        yield server
    finally:
        server.stop()


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
