"""Abuse limits: how many times a key may be hit in a sliding window.

`hit` counts one attempt and answers whether it was allowed; a refused attempt is not counted.
Counting and checking are one step (no await in between in memory, one Lua script in Redis),
so concurrent requests see each other's attempts. `take_back` uncounts an attempt that turned
out to be harmless (a successful login), `clear` forgets a key.

Two implementations: `MemoryLimiter` (this process's view) and `RedisLimiter`
(app/core/limits_redis.py, shared by every process on the same Redis), chosen from the broker
URL by `make_limiter`. See docs/operations.md, "Limits".
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol

from app.core.errors import RateLimited
from app.core.rules.rate_limit import FailureWindow


@dataclass(frozen=True, slots=True)
class Hit:
    """One counted (or refused) attempt; `retry_after` in whole seconds when refused."""

    allowed: bool
    retry_after: int = 0
    at: float = 0.0  # when, on the process's monotonic clock (memory)
    member: str = ""  # its unique name (Redis)
    local: bool = True  # counted in this process (memory, or Redis was unreachable)


class Limiter(Protocol):
    async def hit(self, key: str, limit: int, window_s: float) -> Hit: ...

    async def take_back(self, key: str, hit: Hit, window_s: float) -> None: ...

    async def clear(self, key: str, window_s: float) -> None: ...

    async def close(self) -> None: ...


@dataclass
class MemoryLimiter:
    """Sliding windows in this process (one per window length)."""

    _windows: dict[float, FailureWindow] = field(default_factory=dict)

    def _window(self, window_s: float) -> FailureWindow:
        window = self._windows.get(window_s)
        if window is None:
            window = self._windows[window_s] = FailureWindow(window_s)
        return window

    def hit_now(self, key: str, limit: int, window_s: float) -> Hit:
        window, now = self._window(window_s), time.monotonic()
        if window.count(key, now) >= limit:
            return Hit(False, window.retry_after(key, now))
        window.record(key, now)
        return Hit(True, at=now, member=uuid.uuid4().hex)

    async def hit(self, key: str, limit: int, window_s: float) -> Hit:
        return self.hit_now(key, limit, window_s)

    async def take_back(self, key: str, hit: Hit, window_s: float) -> None:
        if hit.allowed:
            self._window(window_s).forget(key, hit.at)

    async def clear(self, key: str, window_s: float) -> None:
        self._window(window_s).clear(key)

    async def close(self) -> None:
        return None


async def spend(limiter: Limiter, key: str, limit: int, window_s: float) -> Hit:
    """Count one attempt; RateLimited (429 with Retry-After) past `limit` in the window."""
    hit = await limiter.hit(key, limit, window_s)
    if not hit.allowed:
        raise RateLimited(max(1, hit.retry_after))
    return hit


@asynccontextmanager
async def failures_counted(
    limiter: Limiter, key: str, limit: int, window_s: float
) -> AsyncIterator[None]:
    """Count the attempt before the work (so concurrent attempts see it), and take it back when
    the work succeeds: only failures add up."""
    hit = await spend(limiter, key, limit, window_s)
    yield
    await limiter.take_back(key, hit, window_s)


def make_limiter(broker_url: str, *, prefix: str) -> Limiter:
    """Redis (shared by every process) when the broker is Redis, else this process's memory."""
    if broker_url.startswith(("redis://", "rediss://", "unix://")):
        from app.core.limits_redis import RedisLimiter

        return RedisLimiter(broker_url, prefix=prefix)
    return MemoryLimiter()
