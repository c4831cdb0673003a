"""Redis broker: pub/sub for live fan-out between processes and hosts."""

from __future__ import annotations

from collections.abc import AsyncIterator

from redis.asyncio import Redis


class RedisBroker:
    def __init__(self, url: str) -> None:
        self._redis: Redis = Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30
        )

    async def ping(self) -> None:
        await self._redis.ping()

    async def publish(self, channel: str, data: bytes) -> None:
        await self._redis.publish(channel, data)

    async def subscribe(self, channel: str) -> AsyncIterator[bytes]:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(channel)
        try:
            async for message in pubsub.listen():
                if message["type"] == "message":
                    yield bytes(message["data"])
        finally:
            await pubsub.unsubscribe(channel)
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await self._redis.aclose()
