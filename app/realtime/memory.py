"""In-process broker: a real implementation for the single-process default."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator

SUBSCRIBER_QUEUE_SIZE = 10_000


class MemoryBroker:
    def __init__(self) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[bytes]]] = defaultdict(set)

    async def ping(self) -> None:
        return None

    async def publish(self, channel: str, data: bytes) -> None:
        for queue in list(self._subscribers.get(channel, ())):
            if queue.full():
                continue  # at most once: a subscriber that cannot keep up misses events
            queue.put_nowait(data)

    async def subscribe(self, channel: str) -> AsyncIterator[bytes]:
        queue: asyncio.Queue[bytes] = asyncio.Queue(SUBSCRIBER_QUEUE_SIZE)
        self._subscribers[channel].add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers[channel].discard(queue)
            if not self._subscribers[channel]:
                del self._subscribers[channel]

    async def close(self) -> None:
        self._subscribers.clear()
