"""In-process broker: a real implementation for the single-process default.

A room's position, epoch and history live in this process; a restart loses them, and the next
position opens a new epoch (resuming clients then get `recovered: false`).
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager

from app.realtime.broker import KeyedLocks, Recovery, Retention, RoomEvent, new_epoch, select_replay

SUBSCRIBER_QUEUE_SIZE = 10_000


class _Room:
    __slots__ = ("epoch", "log", "seq")

    def __init__(self, retention: Retention) -> None:
        self.epoch = new_epoch()
        self.seq = 0
        self.log: deque[tuple[int, float, bytes]] = deque(maxlen=retention.events)


class MemorySubscription:
    """A bounded queue per subscriber: one that cannot keep up misses events (at most once)
    and sees a gap in `seq`, which the hub fills from `recover` or answers by resuming."""

    def __init__(self, subscribers: dict[str, set[MemorySubscription]], room: str) -> None:
        self._subscribers = subscribers
        self._room = room
        self._queue: asyncio.Queue[RoomEvent | None] = asyncio.Queue(SUBSCRIBER_QUEUE_SIZE)
        self._closed = False

    def offer(self, event: RoomEvent) -> None:
        if not self._queue.full():
            self._queue.put_nowait(event)

    def __aiter__(self) -> AsyncIterator[RoomEvent]:
        return self

    async def __anext__(self) -> RoomEvent:
        if self._closed:
            raise StopAsyncIteration
        event = await self._queue.get()
        if event is None:
            raise StopAsyncIteration
        return event

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        owner = self._subscribers.get(self._room)
        if owner is not None:
            owner.discard(self)
            if not owner:
                del self._subscribers[self._room]
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(None)


class MemoryBroker:
    def __init__(self, *, retention: Retention | None = None) -> None:
        self._retention = retention or Retention()
        self._subscribers: dict[str, set[asyncio.Queue[bytes]]] = defaultdict(set)
        self._rooms: dict[str, _Room] = {}
        self._room_subscribers: dict[str, set[MemorySubscription]] = {}
        self._locks = KeyedLocks()

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
        for subscriptions in list(self._room_subscribers.values()):
            for subscription in list(subscriptions):
                await subscription.close()
        self._room_subscribers.clear()
        self._rooms.clear()

    # --- rooms ---------------------------------------------------------------------------

    def _room(self, room: str) -> _Room:
        found = self._rooms.get(room)
        if found is None:
            found = self._rooms[room] = _Room(self._retention)
        return found

    def room_lock(self, room: str) -> AbstractAsyncContextManager[None]:
        return self._locks.hold(room)

    async def next_seq(self, room: str) -> tuple[str, int]:
        state = self._room(room)
        state.seq += 1
        return state.epoch, state.seq

    async def undo_seq(self, room: str, epoch: str, seq: int) -> None:
        state = self._rooms.get(room)
        if state is None or state.epoch != epoch or state.seq != seq:
            return
        if state.log and state.log[-1][0] >= seq:
            return
        state.seq -= 1

    async def append(self, room: str, event: RoomEvent) -> None:
        state = self._rooms.get(room)
        if state is None or state.epoch != event.epoch:
            return  # the room was dropped meanwhile: nobody may see this epoch again
        now = time.time()
        state.log.append((event.seq, now, event.data))
        oldest = now - self._retention.seconds
        while state.log and state.log[0][1] < oldest:
            state.log.popleft()
        for subscription in list(self._room_subscribers.get(room, ())):
            subscription.offer(event)

    async def subscribe_room(self, room: str) -> MemorySubscription:
        subscription = MemorySubscription(self._room_subscribers, room)
        self._room_subscribers.setdefault(room, set()).add(subscription)
        return subscription

    async def recover(self, room: str, *, epoch: str | None, after: int | None) -> Recovery:
        state = self._room(room)
        if epoch is None or after is None:
            return Recovery(state.epoch, state.seq)
        if epoch != state.epoch:
            return Recovery(state.epoch, state.seq, None)
        events = select_replay(
            state.log,
            epoch=state.epoch,
            after=after,
            head=state.seq,
            now=time.time(),
            retention=self._retention,
        )
        return Recovery(state.epoch, state.seq, events)

    async def drop_room(self, room: str) -> None:
        self._rooms.pop(room, None)
