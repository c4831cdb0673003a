"""One contract, two brokers: the same tests prove the memory and the Redis implementation.

Redis: `PASSERELLE_TEST_BROKER_URL` when it is a Redis URL, else redis://127.0.0.1:6379/15;
every test uses a random key prefix and deletes its keys afterwards. Without a reachable Redis
the Redis half is skipped (and says so)."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis

from app.realtime.broker import Broker, Retention, RoomEvent, RoomSubscription
from app.realtime.broker.memory import MemoryBroker
from app.realtime.broker.redis import RedisBroker

TIMEOUT = 5.0


def redis_url() -> str:
    given = os.environ.get("PASSERELLE_TEST_BROKER_URL", "")
    return given if given.startswith("redis") else "redis://127.0.0.1:6379/15"


async def _redis_or_skip(url: str) -> Redis:
    client: Redis = Redis.from_url(url, socket_connect_timeout=1)
    try:
        await client.ping()
    except Exception as exc:  # no Redis here: the memory half still runs
        await client.aclose()
        pytest.skip(f"no Redis at {url}: {exc!r}")
    return client


@pytest.fixture(params=["memory", "redis"])
async def make(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """A factory of brokers sharing one namespace (like processes sharing one Redis)."""
    made: list[Broker] = []
    prefix = f"passerelle-test-{secrets.token_hex(6)}:"
    admin: Redis | None = None
    if request.param == "redis":
        admin = await _redis_or_skip(redis_url())
    shared_memory: list[MemoryBroker] = []

    def factory(retention: Retention | None = None) -> Broker:
        broker: Broker
        if request.param == "memory":
            # One process: every "process" is the same broker.
            if not shared_memory:
                shared_memory.append(MemoryBroker(retention=retention))
            broker = shared_memory[0]
        else:
            broker = RedisBroker(redis_url(), prefix=prefix, retention=retention)
        made.append(broker)
        return broker

    try:
        yield factory
    finally:
        for broker in {id(b): b for b in made}.values():
            await broker.close()
        if admin is not None:
            keys = [k async for k in admin.scan_iter(match=f"{prefix}*")]
            if keys:
                await admin.delete(*keys)
            await admin.aclose()


async def _next(subscription: RoomSubscription) -> RoomEvent:
    return await asyncio.wait_for(anext(aiter(subscription)), TIMEOUT)


async def _write(broker: Broker, room: str, text: str) -> RoomEvent:
    async with broker.room_lock(room):
        epoch, seq = await broker.next_seq(room)
        event = RoomEvent(epoch, seq, text.encode())
        await broker.append(room, event)
    return event


async def test_positions_are_contiguous_and_fan_out_in_order(make: Any) -> None:
    writer, reader = make(), make()
    room = secrets.token_hex(4)
    subscription = await reader.subscribe_room(room)
    try:
        written = [await _write(writer, room, f"event {i}") for i in range(5)]
        assert [e.seq for e in written] == [1, 2, 3, 4, 5]
        assert len({e.epoch for e in written}) == 1
        received = [await _next(subscription) for _ in range(5)]
        assert received == written
    finally:
        await subscription.close()


async def test_concurrent_writers_through_the_lock_give_one_order(make: Any) -> None:
    brokers = [make(), make(), make()]
    room = secrets.token_hex(4)
    subscription = await brokers[0].subscribe_room(room)
    try:
        results = await asyncio.gather(*(_write(brokers[i % 3], room, f"w{i}") for i in range(30)))
        assert sorted(e.seq for e in results) == list(range(1, 31))
        received = [await _next(subscription) for _ in range(30)]
        assert [e.seq for e in received] == list(range(1, 31))
        assert {e.data for e in received} == {f"w{i}".encode() for i in range(30)}
    finally:
        await subscription.close()


async def test_the_lock_excludes_other_holders(make: Any) -> None:
    a, b = make(), make()
    room = secrets.token_hex(4)
    inside = 0
    overlaps = 0

    async def hold(broker: Broker) -> None:
        nonlocal inside, overlaps
        async with broker.room_lock(room):
            inside += 1
            overlaps += inside > 1
            await asyncio.sleep(0.005)
            inside -= 1

    await asyncio.gather(*(hold(a if i % 2 else b) for i in range(10)))
    assert overlaps == 0


async def test_recover_gives_everything_after_a_position_or_nothing(make: Any) -> None:
    broker = make(Retention(events=5, seconds=600))
    room = secrets.token_hex(4)
    written = [await _write(broker, room, f"e{i}") for i in range(8)]
    epoch = written[0].epoch
    head = await broker.recover(room, epoch=None, after=None)
    assert (head.epoch, head.seq, head.events) == (epoch, 8, None)

    within = await broker.recover(room, epoch=epoch, after=4)
    assert within.events == written[4:]
    assert (await broker.recover(room, epoch=epoch, after=8)).events == []
    # Beyond the retention (5 events): nothing rather than a partial replay.
    assert (await broker.recover(room, epoch=epoch, after=2)).events is None
    assert (await broker.recover(room, epoch=epoch, after=3)).events == written[3:]
    # Another epoch, a position from the future, a negative one.
    assert (await broker.recover(room, epoch="other", after=6)).events is None
    assert (await broker.recover(room, epoch=epoch, after=9)).events is None
    assert (await broker.recover(room, epoch=epoch, after=-1)).events is None


async def test_history_older_than_the_retention_is_not_replayed(make: Any) -> None:
    broker = make(Retention(events=100, seconds=0.2))
    room = secrets.token_hex(4)
    old = await _write(broker, room, "old")
    await asyncio.sleep(0.3)  # the retention is a duration: let it pass
    await _write(broker, room, "new")
    assert (await broker.recover(room, epoch=old.epoch, after=0)).events is None
    recent = await broker.recover(room, epoch=old.epoch, after=1)
    assert [e.data for e in recent.events or []] == [b"new"]


async def test_an_undone_position_is_taken_again(make: Any) -> None:
    broker = make()
    room = secrets.token_hex(4)
    first = await _write(broker, room, "first")
    async with broker.room_lock(room):
        epoch, seq = await broker.next_seq(room)
        await broker.undo_seq(room, epoch, seq)  # the database write failed
    second = await _write(broker, room, "second")
    assert (first.seq, second.seq) == (1, 2)
    # An appended position is never given back.
    await broker.undo_seq(room, second.epoch, second.seq)
    assert (await _write(broker, room, "third")).seq == 3


async def test_a_dropped_room_starts_a_new_epoch(make: Any) -> None:
    broker = make()
    room = secrets.token_hex(4)
    before = await _write(broker, room, "before")
    await broker.drop_room(room)
    after = await _write(broker, room, "after")
    assert after.seq == 1
    assert after.epoch != before.epoch
    assert (await broker.recover(room, epoch=before.epoch, after=1)).events is None


async def test_rooms_are_separate_and_closed_subscriptions_end(make: Any) -> None:
    broker = make()
    room_a, room_b = secrets.token_hex(4), secrets.token_hex(4)
    sub_a = await broker.subscribe_room(room_a)
    sub_b = await broker.subscribe_room(room_b)
    try:
        await _write(broker, room_a, "for a")
        await _write(broker, room_b, "for b")
        assert (await _next(sub_a)).data == b"for a"
        assert (await _next(sub_b)).data == b"for b"
        assert (await broker.recover(room_b, epoch=None, after=None)).seq == 1
    finally:
        await sub_a.close()
        await sub_b.close()
