"""Latency probes against a running server: HTTP requests and live-room round trips, each
repeated on a fixed period, with percentiles.

A probe is an async callable that returns when its answer arrived; `probe_loop` times it and
starts the next one a period after the previous start (or at once when the answer came late,
never in a burst to catch up). A probe that fails or takes longer than `patience` counts as
an error, not as a sample.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

Probe = Callable[[], Awaitable[None]]


@dataclass
class Series:
    samples: list[tuple[float, float]] = field(default_factory=list)  # (at, seconds)
    errors: list[str] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        """Nearest rank: the smallest sample with at least `q` of the samples at or below."""
        ordered = sorted(s for _, s in self.samples)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan

    def worst(self) -> tuple[float, float]:
        """(when, seconds) of the slowest sample."""
        return max(self.samples, key=lambda x: x[1]) if self.samples else (math.nan, math.nan)


async def probe_loop(
    probe: Probe,
    period: float,
    series: Series,
    origin: float,
    stop: asyncio.Event,
    *,
    target: int | None = None,
    patience: float = 30.0,
) -> None:
    """Run `probe` every `period` seconds until `stop` is set or `target` samples are in;
    sample times are seconds since `origin` (a `time.perf_counter()` reading)."""
    next_at = time.perf_counter()
    while not stop.is_set() and (target is None or len(series.samples) < target):
        began = time.perf_counter()
        try:
            async with asyncio.timeout(patience):
                await probe()
        except TimeoutError:
            series.errors.append(f"no answer in {patience:.0f} s")
        except Exception as exc:  # a probe failure is a measurement, not a crash
            series.errors.append(f"{type(exc).__name__}: {exc}"[:200])
        else:
            series.samples.append((began - origin, time.perf_counter() - began))
        next_at = max(next_at + period, time.perf_counter())
        await asyncio.sleep(next_at - time.perf_counter())


class RoomError(RuntimeError):
    """The room answered a command with an `error` frame, or closed."""


class RoomClient:
    """One live-room WebSocket; `expect(key)` is a future for the arrival time of the frame
    with that key: `id:<command id>` for `ack`, `pong` and `error`, `chat:<text>` for a
    `chat.message`."""

    def __init__(self, connection: ClientConnection, welcome: dict[str, Any]) -> None:
        self.connection = connection
        self.welcome = welcome
        self._waiting: dict[str, asyncio.Future[float]] = {}
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, url: str, origin: str) -> RoomClient:
        connection = await connect(
            url, additional_headers={"Origin": origin}, compression=None, open_timeout=30
        )
        welcome = json.loads(await asyncio.wait_for(connection.recv(), 30))
        if welcome.get("type") != "welcome":
            raise RoomError(f"expected a welcome, got {welcome}")
        return cls(connection, welcome)

    async def _read(self) -> None:
        try:
            async for message in self.connection:
                arrived = time.perf_counter()
                frame = json.loads(message)
                if frame["type"] in ("ack", "pong", "error"):
                    key = f"id:{frame.get('id')}"
                elif frame["type"] == "chat.message":
                    key = f"chat:{frame['text']}"
                else:
                    continue
                waiting = self._waiting.pop(key, None)
                if waiting is None or waiting.done():
                    continue
                if frame["type"] == "error":
                    waiting.set_exception(RoomError(f"{frame['code']}: {frame['message']}"))
                else:
                    waiting.set_result(arrived)
        except ConnectionClosed:
            pass
        finally:
            code = self.connection.close_code
            for waiting in self._waiting.values():
                if not waiting.done():
                    waiting.set_exception(RoomError(f"connection closed ({code})"))
            self._waiting.clear()

    def expect(self, key: str) -> asyncio.Future[float]:
        if self._reader.done():
            raise RoomError(f"connection closed ({self.connection.close_code})")
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[key] = future
        return future

    async def send(self, frame: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(frame))

    async def close(self) -> None:
        await self.connection.close()
        await self._reader


def chat_round_trip(sender: RoomClient, receiver: RoomClient) -> Probe:
    """A chat message from `sender` until `receiver` has it (stored, then broadcast)."""

    async def probe() -> None:
        command_id = uuid.uuid4().hex
        text = f"probe {command_id}"
        acked, arrived = sender.expect(f"id:{command_id}"), receiver.expect(f"chat:{text}")
        try:
            await sender.send({"type": "chat.send", "id": command_id, "text": text})
            await asyncio.gather(acked, arrived)
        finally:
            for future in (acked, arrived):
                future.cancel()

    return probe


def ping_pong(client: RoomClient) -> Probe:
    """A `ping` command until its `pong` (no database, no broker)."""

    async def probe() -> None:
        command_id = uuid.uuid4().hex
        answered = client.expect(f"id:{command_id}")
        try:
            await client.send({"type": "ping", "id": command_id})
            await answered
        finally:
            answered.cancel()

    return probe
