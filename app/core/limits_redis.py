"""The abuse limits in Redis: one sorted set per key (its members the attempts, scored by
Redis's own clock in milliseconds), trimmed, counted and added to in one Lua script, so every
process sharing the Redis sees one count. Keys expire with their window.

When Redis does not answer (within half a second), the call is counted in this process instead
(the limits degrade to per process, logged once per outage) and Redis is left alone for a few
seconds: a login never fails nor hangs because the broker is down.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import time
import uuid
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from app.core.limits import Hit, MemoryLimiter

log = logging.getLogger(__name__)

HIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(first[2]) + window - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {1, 0}
"""

TIMEOUT_S = 0.5
PAUSE_AFTER_FAILURE_S = 5.0


class RedisLimiter:
    def __init__(self, url: str, *, prefix: str) -> None:
        self._redis: Redis = Redis.from_url(
            url,
            socket_connect_timeout=TIMEOUT_S,
            socket_timeout=TIMEOUT_S,
            retry=Retry(NoBackoff(), 0),
        )
        self._script = self._redis.register_script(HIT)
        self._prefix = prefix
        self._local = MemoryLimiter()
        self._down_until = 0.0
        self._degraded = False

    def _key(self, key: str) -> str:
        """`<prefix><name>:<digest>`: the limit's name readable, the account or address not."""
        name, _, subject = key.partition(":")
        return f"{self._prefix}{name}:{hashlib.sha256(subject.encode()).hexdigest()[:32]}"

    async def _call(self, command: Any) -> Any:
        """`command()` on Redis, or None when Redis is down (then this process counts)."""
        if time.monotonic() < self._down_until:
            return None
        try:
            async with asyncio.timeout(2 * TIMEOUT_S):
                answer = await command()
        except (RedisError, OSError, TimeoutError):
            self._down_until = time.monotonic() + PAUSE_AFTER_FAILURE_S
            if not self._degraded:
                self._degraded = True
                log.warning("Redis unreachable: abuse limits are counted per process meanwhile")
            return None
        if self._degraded:
            self._degraded = False
            log.info("Redis reachable again: abuse limits are shared again")
        return answer

    async def hit(self, key: str, limit: int, window_s: float) -> Hit:
        member = uuid.uuid4().hex
        window_ms = max(1, int(window_s * 1000))
        answer = await self._call(
            lambda: self._script(keys=[self._key(key)], args=[limit, window_ms, member])
        )
        if answer is None:
            return self._local.hit_now(key, limit, window_s)
        allowed, wait_ms = int(answer[0]), int(answer[1])
        if allowed:
            return Hit(True, member=member, local=False)
        return Hit(False, max(1, math.ceil(wait_ms / 1000)), local=False)

    async def take_back(self, key: str, hit: Hit, window_s: float) -> None:
        if not hit.allowed:
            return
        if hit.local:
            await self._local.take_back(key, hit, window_s)
        else:
            await self._call(lambda: self._redis.zrem(self._key(key), hit.member))

    async def clear(self, key: str, window_s: float) -> None:
        await self._local.clear(key, window_s)
        await self._call(lambda: self._redis.delete(self._key(key)))

    async def close(self) -> None:
        await self._redis.aclose()
