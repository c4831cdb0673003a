"""A `redis-server` of a test's own on a free port, which the test stops and restarts (never
the shared one)."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

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
