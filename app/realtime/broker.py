"""The broker carries room events between processes. The database stays the truth."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol


class Broker(Protocol):
    """Fan-out between processes. `memory://` for one process, `redis://` for many."""

    async def ping(self) -> None:
        """Return when the broker answers; raise otherwise."""

    async def publish(self, channel: str, data: bytes) -> None:
        """Deliver `data` to current subscribers of `channel` (at most once)."""

    def subscribe(self, channel: str) -> AsyncIterator[bytes]:
        """Messages published on `channel` from now on, until the iterator is closed."""
        ...

    async def close(self) -> None: ...


def make_broker(url: str) -> Broker:
    if url.startswith("memory://"):
        from app.realtime.memory import MemoryBroker

        return MemoryBroker()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from app.realtime.redis import RedisBroker

        return RedisBroker(url)
    raise ValueError(f"unsupported broker URL scheme: {url.split(':', 1)[0]!r}")
