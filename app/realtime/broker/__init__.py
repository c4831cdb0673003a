"""The broker carries room events between processes. The database stays the truth.

Two implementations keep the same contract (tests/realtime/test_broker_contract.py runs against
both): `memory://` for one process, `redis://` for many.

Rooms. The hub writes a room event in this order, holding `room_lock(room)`:
`next_seq` (the room's next position), store it in the database, then `append` (history and
fan-out, atomically). If the database write fails, `undo_seq` gives the position back, so the
room's sequence stays contiguous. The lock makes the order of positions the order of fan-out,
across processes too.

A room has an `epoch`, created with its first position; it changes when the room's state in the
broker is lost (a process restart for `memory://`, an evicted key for Redis), and positions then
restart at 1. `recover` answers a resuming client with every event after its position, or with
`None`: never with a partial history.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RoomEvent:
    epoch: str
    seq: int
    data: bytes


@dataclass(frozen=True, slots=True)
class Recovery:
    """The room's position, and when asked for and still held, the events after a position."""

    epoch: str
    seq: int
    events: list[RoomEvent] | None = None


@dataclass(frozen=True, slots=True)
class Retention:
    """How much history a room keeps for resume: the last `events`, none older than `seconds`."""

    events: int = 1000
    seconds: float = 600.0


class BrokerLockTimeout(TimeoutError):
    """The room lock stayed taken for longer than the wait allows."""


class RoomSubscription(Protocol):
    """Live room events, from the moment `subscribe_room` returned, until `close`."""

    def __aiter__(self) -> AsyncIterator[RoomEvent]: ...

    async def close(self) -> None: ...


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

    # --- rooms ---------------------------------------------------------------------------

    def room_lock(self, room: str) -> AbstractAsyncContextManager[None]:
        """Mutual exclusion for writers of `room`, across every process sharing the broker."""
        ...

    async def next_seq(self, room: str) -> tuple[str, int]:
        """Take the room's next position: `(epoch, seq)`. Call under `room_lock`."""
        ...

    async def undo_seq(self, room: str, epoch: str, seq: int) -> None:
        """Give back `seq` if it is still the room's last position and was never appended."""

    async def append(self, room: str, event: RoomEvent) -> None:
        """Keep `event` in the room's bounded history and deliver it to subscribers."""

    async def subscribe_room(self, room: str) -> RoomSubscription:
        """Subscribe; when this returns, every later `append` reaches the subscription."""
        ...

    async def recover(self, room: str, *, epoch: str | None, after: int | None) -> Recovery:
        """The room's position; with `epoch` and `after`, also the events after `after`, or
        `events=None` when they cannot all be given (other epoch, beyond the retention)."""
        ...

    async def drop_room(self, room: str) -> None:
        """Forget the room's position and history (its session ended)."""


_UNAVAILABLE = frozenset({"ConnectionError", "TimeoutError", "BusyLoadingError"})


def is_broker_unavailable(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) says the broker cannot be reached right now (its
    server is down, restarting or loading), as opposed to a bug: the command may be retried."""
    seen: BaseException | None = exc
    for _ in range(8):  # the cause chain, bounded
        if seen is None:
            return False
        if isinstance(seen, (ConnectionError, BrokerLockTimeout)):
            return True
        kind = type(seen)
        if kind.__module__.startswith("redis") and kind.__name__ in _UNAVAILABLE:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def new_epoch() -> str:
    return secrets.token_hex(8)


def select_replay(
    entries: Sequence[tuple[int, float, bytes]],
    *,
    epoch: str,
    after: int,
    head: int,
    now: float,
    retention: Retention,
) -> list[RoomEvent] | None:
    """From history entries `(seq, stored_at, data)` with `seq > after`, the replay of
    `after + 1 .. head`, or `None` unless it is complete, contiguous and within retention."""
    if after > head or after < 0:
        return None
    wanted = head - after
    if wanted == 0:
        return []
    if wanted > retention.events:
        return None
    chosen = [e for e in entries if after < e[0] <= head]
    if len(chosen) != wanted:
        return None
    if any(entry[0] != after + 1 + i for i, entry in enumerate(chosen)):
        return None
    if chosen[0][1] < now - retention.seconds:
        return None
    return [RoomEvent(epoch, seq, data) for seq, _, data in chosen]


class KeyedLocks:
    """One `asyncio.Lock` per key, forgotten when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


def make_broker(
    url: str, *, prefix: str = "passerelle:", retention: Retention | None = None
) -> Broker:
    retention = retention or Retention()
    if url.startswith("memory://"):
        from app.realtime.broker.memory import MemoryBroker

        return MemoryBroker(retention=retention)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from app.realtime.broker.redis import RedisBroker

        return RedisBroker(url, prefix=prefix, retention=retention)
    raise ValueError(f"unsupported broker URL scheme: {url.split(':', 1)[0]!r}")
