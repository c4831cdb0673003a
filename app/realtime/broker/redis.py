"""Redis broker: pub/sub for live fan-out between processes and hosts, a hash per room for its
epoch and position (`HINCRBY`, the atomic sequence), and a capped stream per room for history
(`XADD MAXLEN`, entry id = the event's `seq`).

Every room operation that touches more than one key is one Lua script, so it is atomic: taking
a position creates the epoch (and drops a stale stream) when the room has none; appending
stores the event in the stream and publishes it in one step, so the stream order, the
publication order and `seq` agree. Writers of a room serialise on a lock key (`SET NX PX`,
released only by its holder), taken after a per-process lock so one process never polls
against itself.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from app.realtime.broker import (
    BrokerLockTimeout,
    KeyedLocks,
    Recovery,
    Retention,
    RoomEvent,
    new_epoch,
    select_replay,
)

ROOM_TTL_MS = 24 * 3600 * 1000  # an idle room's keys expire a day after its last event
LOCK_TTL_MS = 10_000  # a crashed holder's lock frees itself after this
LOCK_WAIT_S = 15.0
SUBSCRIBE_TIMEOUT_S = 5.0

_ENSURE = """
if redis.call('HEXISTS', KEYS[1], 'epoch') == 0 then
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'seq', 0)
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
"""

NEXT_SEQ = (
    _ENSURE
    + """
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
return {redis.call('HGET', KEYS[1], 'epoch'), seq}
"""
)

RECOVER = (
    _ENSURE
    + """
local epoch = redis.call('HGET', KEYS[1], 'epoch')
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq'))
if ARGV[3] == '' then return {epoch, seq} end
local after = tonumber(ARGV[3])
if after >= seq then return {epoch, seq, {}} end
return {epoch, seq, redis.call('XRANGE', KEYS[2], (after + 1) .. '-0', '+', 'COUNT', ARGV[4])}
"""
)

UNDO_SEQ = """
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
if tonumber(redis.call('HGET', KEYS[1], 'seq')) ~= tonumber(ARGV[2]) then return 0 end
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if #last > 0 and tonumber(string.match(last[1][1], '^(%d+)')) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('HINCRBY', KEYS[1], 'seq', -1)
return 1
"""

APPEND = """
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[4], ARGV[2] .. '-0', 'd', ARGV[3], 't', ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PUBLISH', ARGV[6], ARGV[1] .. ' ' .. ARGV[2] .. ' ' .. ARGV[3])
return 1
"""

UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisSubscription:
    def __init__(self, pubsub: PubSub) -> None:
        self._pubsub = pubsub
        self._closed = False

    @classmethod
    async def open(cls, redis: Redis, channel: str) -> RedisSubscription:
        pubsub = redis.pubsub()
        try:
            await pubsub.subscribe(channel)
            # Wait for the server's confirmation: from then on every PUBLISH reaches us.
            deadline = time.monotonic() + SUBSCRIBE_TIMEOUT_S
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("Redis did not confirm the subscription")
                message = await pubsub.get_message(timeout=remaining)
                if message is not None and message["type"] == "subscribe":
                    break
        except BaseException:
            await pubsub.aclose()  # type: ignore[no-untyped-call,unused-ignore]  # typed from redis 8.2
            raise
        return cls(pubsub)

    def __aiter__(self) -> AsyncIterator[RoomEvent]:
        return self

    async def __anext__(self) -> RoomEvent:
        while not self._closed:
            message = await self._pubsub.get_message(timeout=None)
            if message is None or message["type"] != "message":
                continue
            epoch, seq, data = bytes(message["data"]).split(b" ", 2)
            return RoomEvent(epoch.decode(), int(seq), data)
        raise StopAsyncIteration

    async def close(self) -> None:
        """Call once nothing iterates any more (cancel the reading task first)."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._pubsub.unsubscribe()
        finally:
            await self._pubsub.aclose()  # type: ignore[no-untyped-call,unused-ignore]  # typed from redis 8.2


class RedisBroker:
    def __init__(
        self, url: str, *, prefix: str = "passerelle:", retention: Retention | None = None
    ) -> None:
        # After a Redis restart every pooled connection is dead; a command that meets one is
        # retried on a fresh connection (twice, 50 ms then 100 ms apart) instead of failing.
        self._redis: Redis = Redis.from_url(
            url,
            socket_connect_timeout=2,
            socket_timeout=5,
            health_check_interval=30,
            retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 2),
            retry_on_error=[RedisConnectionError, RedisTimeoutError],
        )
        self._prefix = prefix
        self._retention = retention or Retention()
        self._locks = KeyedLocks()
        self._next_seq = self._redis.register_script(NEXT_SEQ)
        self._recover = self._redis.register_script(RECOVER)
        self._undo = self._redis.register_script(UNDO_SEQ)
        self._append = self._redis.register_script(APPEND)
        self._unlock = self._redis.register_script(UNLOCK)

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
            await pubsub.aclose()  # type: ignore[no-untyped-call,unused-ignore]  # typed from redis 8.2

    async def close(self) -> None:
        await self._redis.aclose()

    # --- rooms ---------------------------------------------------------------------------

    def _keys(self, room: str) -> list[str]:
        return [f"{self._prefix}room:{room}", f"{self._prefix}room:{room}:log"]

    def _channel(self, room: str) -> str:
        return f"{self._prefix}room:{room}:events"

    @asynccontextmanager
    async def room_lock(self, room: str) -> AsyncIterator[None]:
        key = f"{self._prefix}room:{room}:lock"
        async with self._locks.hold(room):
            token = secrets.token_hex(16)
            deadline = time.monotonic() + LOCK_WAIT_S
            delay = 0.002
            while not await self._redis.set(key, token, nx=True, px=LOCK_TTL_MS):
                if time.monotonic() > deadline:
                    raise BrokerLockTimeout(f"room {room} stayed locked for {LOCK_WAIT_S} s")
                await asyncio.sleep(delay)  # another process writes this room: back off
                delay = min(delay * 2, 0.05)
            try:
                yield
            finally:
                await self._unlock(keys=[key], args=[token])

    async def next_seq(self, room: str) -> tuple[str, int]:
        epoch, seq = await self._next_seq(keys=self._keys(room), args=[new_epoch(), ROOM_TTL_MS])
        return _text(epoch), int(seq)

    async def undo_seq(self, room: str, epoch: str, seq: int) -> None:
        await self._undo(keys=self._keys(room), args=[epoch, seq])

    async def append(self, room: str, event: RoomEvent) -> None:
        await self._append(
            keys=self._keys(room),
            args=[
                event.epoch,
                event.seq,
                event.data,
                self._retention.events,
                ROOM_TTL_MS,
                self._channel(room),
                int(time.time() * 1000),
            ],
        )

    async def subscribe_room(self, room: str) -> RedisSubscription:
        return await RedisSubscription.open(self._redis, self._channel(room))

    async def recover(self, room: str, *, epoch: str | None, after: int | None) -> Recovery:
        wanted = epoch is not None and after is not None and after >= 0
        reply = await self._recover(
            keys=self._keys(room),
            args=[new_epoch(), ROOM_TTL_MS, str(after) if wanted else "", self._retention.events],
        )
        current, head = _text(reply[0]), int(reply[1])
        if epoch is None or after is None:
            return Recovery(current, head)
        if not wanted or epoch != current:
            return Recovery(current, head, None)
        entries: list[tuple[int, float, bytes]] = []
        for entry_id, fields in reply[2]:
            values = dict(zip(fields[::2], fields[1::2], strict=True))
            seq = int(_text(entry_id).split("-", 1)[0])
            entries.append((seq, int(values[b"t"]) / 1000, bytes(values[b"d"])))
        events = select_replay(
            entries,
            epoch=current,
            after=after,
            head=head,
            now=time.time(),
            retention=self._retention,
        )
        return Recovery(current, head, events)

    async def drop_room(self, room: str) -> None:
        await self._redis.delete(*self._keys(room))
