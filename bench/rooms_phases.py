"""What `bench.rooms` does to one server: open idle connections, and publish into rooms at a
fixed rate and on a ramp, with the integrity of what every member received.

A step publishes for `seconds` at `rate` chat messages per second into each room (one
publisher per room, the rooms staggered, open loop: the publisher never waits for an answer),
then waits at most `DRAIN_S` for the deliveries. Delivered = deliveries of the messages sent in
the step (every member of the room, the publisher included, gets each one) per second of
sending; latency = from the publisher's send to each member's receipt. A step passes when its
p99 is under `P99_LIMIT_S`, every delivery arrived, and no member saw a gap, a duplicate, a
reorder or an error, or lost its connection.
"""

from __future__ import annotations

import asyncio
import math
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from bench.rooms_targets import Target, cpu_seconds, rss_kib
from bench.rooms_wire import Member, Window

P99_LIMIT_S = 0.2
DRAIN_S = 2.0
TICK_S = 0.005
SETTLE_LIMIT_S = 30.0


@dataclass
class Integrity:
    gaps: int = 0
    duplicates: int = 0
    reorders: int = 0
    disconnects: int = 0
    short: int = 0  # members whose last seq is behind their room's last seq
    refused: int = 0  # connections that did not get their welcome
    errors: int = 0  # error frames

    def __add__(self, other: Integrity) -> Integrity:
        return Integrity(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def __sub__(self, other: Integrity) -> Integrity:
        return Integrity(
            **{f.name: getattr(self, f.name) - getattr(other, f.name) for f in fields(self)}
        )

    @property
    def clean(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def integrity(members: list[Member], refused: int = 0) -> Integrity:
    last: dict[int, int] = {}
    for m in members:
        last[m.room] = max(last.get(m.room, -1), m.last_seq)
    return Integrity(
        gaps=sum(m.gaps for m in members),
        duplicates=sum(m.duplicates for m in members),
        reorders=sum(m.reorders for m in members),
        disconnects=sum(m.disconnected for m in members),
        short=sum(m.last_seq < last[m.room] for m in members),
        refused=refused,
        errors=sum(m.errors for m in members),
    )


def percentile(samples: list[float], q: float) -> float:
    """Nearest rank, as `bench.latency.Series`."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan


@dataclass
class Step:
    rate: float  # messages per second per room
    seconds: float
    sent: int
    expected: int
    delivered: int
    p50: float
    p99: float
    worst: float
    server_cpu: float  # share of one core, sending and draining
    client_cpu: float
    integrity: Integrity

    @property
    def per_second(self) -> float:
        return self.delivered / self.seconds

    @property
    def ok(self) -> bool:
        return self.delivered == self.expected and self.p99 < P99_LIMIT_S and self.integrity.clean


@dataclass
class Scenario:
    rooms: int
    size: int
    joined: int = 0
    fixed: Step | None = None
    steps: list[Step] = field(default_factory=list)
    integrity: Integrity = field(default_factory=Integrity)
    first_refusal: str = ""

    @property
    def best(self) -> Step | None:
        passed = [s for s in self.steps if s.ok]
        return max(passed, key=lambda s: s.per_second) if passed else None


@dataclass
class Connections:
    wanted: int
    opened: int = 0
    seconds: float = math.nan
    rss_before_kib: int = 0
    rss_after_kib: int = 0
    integrity: Integrity = field(default_factory=Integrity)
    first_refusal: str = ""

    @property
    def kib_per_connection(self) -> float:
        if not self.opened:
            return math.nan
        return (self.rss_after_kib - self.rss_before_kib) / self.opened


async def settle(pid: int) -> None:
    """Wait until the server has used under 10 % of a core for two quarter seconds in a row
    (at most `SETTLE_LIMIT_S`)."""
    deadline, quiet = time.monotonic() + SETTLE_LIMIT_S, 0
    while quiet < 2 and time.monotonic() < deadline:
        before = cpu_seconds(pid)
        await asyncio.sleep(0.25)
        quiet = quiet + 1 if cpu_seconds(pid) - before < 0.025 else 0


async def open_members(
    target: Target, who: Iterable[tuple[int, int]], window: Window, concurrency: int
) -> tuple[list[Member], int, str]:
    """Join every (room, index), `concurrency` at a time: (members, refused, first refusal)."""
    gate = asyncio.Semaphore(concurrency)
    refusals: list[str] = []

    async def one(room: int, index: int) -> Member | None:
        async with gate:
            try:
                return await target.member(room, index, window)
            except (OSError, TimeoutError) as exc:
                refusals.append(f"{type(exc).__name__}: {exc}"[:200])
                return None

    joined = await asyncio.gather(*(one(r, i) for r, i in who))
    members = [m for m in joined if m is not None]
    return members, len(refusals), refusals[0] if refusals else ""


async def leave_all(members: list[Member]) -> None:
    await asyncio.gather(*(m.leave() for m in members))


async def connections(target: Target, wanted: int, rooms: int, concurrency: int) -> Connections:
    """Open `wanted` idle connections spread over the classrooms, timed; the server's resident
    memory before and after (one connection per room was opened and closed first, so the
    rooms' code paths have run)."""
    result, window = Connections(wanted), Window()
    warm, _, _ = await open_members(target, ((r, 0) for r in range(rooms)), window, concurrency)
    await leave_all(warm)
    await settle(target.pid)
    result.rss_before_kib = rss_kib(target.pid)
    began = time.perf_counter()
    members, refused, result.first_refusal = await open_members(
        target, ((k % rooms, k // rooms) for k in range(wanted)), window, concurrency
    )
    result.seconds = time.perf_counter() - began
    result.opened = len(members)
    await settle(target.pid)
    result.rss_after_kib = rss_kib(target.pid)
    result.integrity = integrity(members, refused)
    await leave_all(members)
    await settle(target.pid)
    return result


class Publishers:
    def __init__(self, members: list[Member]) -> None:
        self.publishers: dict[int, Member] = {}
        self.sizes: dict[int, int] = {}
        for m in members:
            self.publishers.setdefault(m.room, m)
            self.sizes[m.room] = self.sizes.get(m.room, 0) + 1
        self.prefix = secrets.token_hex(4)
        self.count = 0

    async def publish(self, rate: float, seconds: float) -> tuple[int, int]:
        """Send `rate` messages per second into each room for `seconds`: (messages sent,
        deliveries expected)."""
        rooms = list(self.publishers.values())
        before = [p.sent for p in rooms]
        phase = [(i + 0.5) / len(rooms) for i in range(len(rooms))]
        start = time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            for publisher, offset, first in zip(rooms, phase, before, strict=True):
                due = first + int(elapsed * rate + offset)
                while publisher.sent < due:
                    self.count += 1
                    publisher.send_chat(f"{self.prefix}-{self.count}")
            await asyncio.sleep(TICK_S)
        sent = [p.sent - first for p, first in zip(rooms, before, strict=True)]
        expected = sum(n * self.sizes[p.room] for p, n in zip(rooms, sent, strict=True))
        return sum(sent), expected


async def step(
    target: Target, members: list[Member], publishers: Publishers, rate: float, seconds: float
) -> Step:
    window = members[0].window
    counted = integrity(members)
    server_before, client_before = cpu_seconds(target.pid), time.process_time()
    start = time.perf_counter()
    window.open(start, start + seconds)
    sent, expected = await publishers.publish(rate, seconds)
    for _ in range(round(DRAIN_S / 0.02)):  # the deliveries still on their way
        if len(window.latencies) >= expected:
            break
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - start
    latencies = window.latencies
    window.open(0.0, 0.0)  # late arrivals no longer count
    now = integrity(members)
    seen = now - counted
    seen.short = now.short  # a state, not a count
    return Step(
        rate=rate,
        seconds=seconds,
        sent=sent,
        expected=expected,
        delivered=len(latencies),
        p50=percentile(latencies, 0.5),
        p99=percentile(latencies, 0.99),
        worst=max(latencies, default=math.nan),
        server_cpu=(cpu_seconds(target.pid) - server_before) / elapsed,
        client_cpu=(time.process_time() - client_before) / elapsed,
        integrity=seen,
    )


async def scenario(
    target: Target,
    rooms: list[int],
    size: int,
    *,
    fixed_rate: float | None,
    fixed_seconds: float,
    ramp: tuple[float, int],
    seconds: float,
    concurrency: int,
) -> Scenario:
    """Fill `rooms` with `size` members each, then a fixed-rate step (if any) and a ramp from
    `ramp[0]` messages per second per room, doubling (halving, twice at most, while none
    passed), at most `ramp[1]` steps, then one step between the last rate that passed and the
    first that failed."""
    result, window = Scenario(len(rooms), size), Window()
    members, refused, result.first_refusal = await open_members(
        target, ((r, i) for r in rooms for i in range(size)), window, concurrency
    )
    result.joined = len(members)
    try:
        if not members:
            return result
        publishers = Publishers(members)
        await settle(target.pid)
        if fixed_rate:
            result.fixed = await step(target, members, publishers, fixed_rate, fixed_seconds)
            await settle(target.pid)
        rate, limit = ramp
        for _ in range(limit):
            done = await step(target, members, publishers, rate, seconds)
            result.steps.append(done)
            await settle(target.pid)
            if done.ok:
                rate *= 2
            elif any(s.ok for s in result.steps) or len(result.steps) > 2:
                break
            else:  # the start was already too fast: halve, twice at most
                rate /= 2
        passed = [s.rate for s in result.steps if s.ok]
        failed = [s.rate for s in result.steps if not s.ok and s.rate > max(passed, default=0)]
        if passed and failed:
            between = math.sqrt(max(passed) * min(failed))
            result.steps.append(await step(target, members, publishers, between, seconds))
            await settle(target.pid)
        await asyncio.sleep(0.5)  # what the server wrote last reaches the members
        result.integrity = integrity(members, refused)
    finally:
        await leave_all(members)
        await settle(target.pid)
    return result
