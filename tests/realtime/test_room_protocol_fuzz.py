"""A protocol fuzzer for the live room, driven by its AsyncAPI document
(tests/realtime/room_fuzz_frames.py): a teacher's connection sends random valid and broken
frames, one at a time, on a real uvicorn server.

After each frame: every frame the server sent is a documented event or an `error` in the
contract's shape, echoing the command's `id` when one could be read; the connection is open,
or closed with a documented close code (then it reconnects). After each batch: the room is
alive (a learner's chat message reaches another learner) and the server answers HTTP.
The seed is in the failure message; `PASSERELLE_FUZZ_SEED` and `PASSERELLE_FUZZ_FRAMES`
replay or lengthen a run (docs/testing.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from app.core.settings import Settings
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient, LiveServer, live_server, new_session
from tests.realtime.room_fuzz_frames import Fuzzed, commands, draw

FRAMES = int(os.environ.get("PASSERELLE_FUZZ_FRAMES", "200"))
SEED = int(os.environ.get("PASSERELLE_FUZZ_SEED", "20261204"))
BATCH = 25
WAIT = 10.0
# A broken frame may earn any close code the AsyncAPI document names but 1011 (server error).
SERVER_ERROR = 1011
ERROR_KEYS = {"type", "id", "code", "message", "details"}


@pytest.fixture
async def fuzz_server(live_settings: Settings, world: World) -> AsyncIterator[LiveServer]:
    """The rate limits out of the way: the fuzzer sends far faster than a person types (the
    limits have their own tests in test_limits.py)."""
    relaxed = live_settings.model_copy(
        update={
            "ws_rate_per_second": 10000.0,
            "ws_rate_burst": 10000,
            "ws_control_rate_per_second": 10000.0,
            "ws_control_burst": 10000,
            "ws_rate_strikes": 100000,
            "ws_tickets_per_minute": 1000,
        }
    )
    async with live_server(relaxed) as running:
        yield running


async def _settled(client: LiveClient, answered: Any) -> None:
    """Until a frame satisfies `answered`, or the connection is closed."""
    async with asyncio.timeout(WAIT), client._changed:
        await client._changed.wait_for(
            lambda: client.closed or any(answered(f) for f in client.frames)
        )


def _problems(frames: list[dict[str, Any]], known: set[str], sent: Fuzzed) -> list[str]:
    problems = []
    for frame in frames:
        kind = frame.get("type")
        if kind not in known:
            problems.append(f"undocumented frame {frame!r} after {sent.kind}")
        if kind != "error":
            continue
        if not set(frame) <= ERROR_KEYS or not {"code", "message"} <= set(frame):
            problems.append(f"error not in shape: {frame!r} after {sent.kind}")
        elif not (isinstance(frame["code"], str) and frame["code"] and frame["message"]):
            problems.append(f"error without code or message: {frame!r} after {sent.kind}")
        if frame.get("code") == "internal_error":
            problems.append(f"server error: {frame!r} after {sent.kind} {sent.data[:200]!r}")
    return problems


async def _send(client: LiveClient, frame: Fuzzed) -> None:
    await client.connection.send(frame.data, text=frame.text)


@dataclass
class Report:
    known: set[str]  # the frame types the AsyncAPI document names
    allowed_close: set[int]  # the close codes it names, but a server error
    problems: list[str] = field(default_factory=list)
    closes: dict[int | None, int] = field(default_factory=dict)  # close code -> times

    async def answer(self, client: LiveClient, frame: Fuzzed) -> None:
        """Send one frame; wait for its answer (by its id, else a ping's pong after it), or
        the connection's close; record what is wrong."""
        start = len(client.frames)
        await _send(client, frame)
        marker = frame.echo
        if marker is None:
            marker = "p-" + uuid.uuid4().hex[:12]
            if not client.closed:
                # closed under us: the close code is checked below
                with contextlib.suppress(ConnectionClosed):
                    await client.send({"type": "ping", "id": marker})
        try:
            await _settled(
                client,
                lambda f: f.get("id") == marker and f.get("type") in ("ack", "error", "pong"),
            )
        except TimeoutError:
            self.problems.append(f"no answer echoing {marker!r} to {frame.kind}")
        if client.closed:
            await client.wait_closed()
            self.closes[client.close_code] = self.closes.get(client.close_code, 0) + 1
            if client.close_code not in self.allowed_close:
                self.problems.append(
                    f"closed {client.close_code} {client.close_reason!r} by {frame.kind}"
                )
        self.problems += _problems(client.frames[start:], self.known, frame)


async def _alive(server: LiveServer, sender: LiveClient, observer: LiveClient, n: int) -> None:
    """A learner's chat message reaches another learner, and the server answers HTTP."""
    text = f"still here {n}"
    try:
        assert (await sender.command("chat.send", text=text))["type"] == "ack"
        await observer.wait_for(lambda f: f.get("type") == "chat.message" and f.get("text") == text)
        assert (await server.http.get("/healthz")).status_code == 200
    except (AssertionError, TimeoutError) as exc:
        pytest.fail(f"seed {SEED}: the room is dead after {n} frames: {exc!r}")


async def test_room_survives_random_frames(fuzz_server: LiveServer, world: World) -> None:
    server = fuzz_server
    asyncapi = (await server.http.get("/asyncapi.json")).json()
    closes = {int(c) for c in asyncapi["channels"]["liveRoom"]["x-close-codes"]}
    report = Report(set(asyncapi["components"]["messages"]), closes - {SERVER_ERROR})
    examples = commands(asyncapi)
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    sender = await LiveClient.join(server, world.learners_fr[0], session_id)
    observer = await LiveClient.join(server, world.learners_fi[0], session_id)
    fuzzer = await LiveClient.join(server, world.t_fr, session_id)
    rng = random.Random(SEED)
    kinds: dict[str, int] = {}
    for n in range(FRAMES):
        if fuzzer.closed:
            fuzzer = await LiveClient.join(server, world.t_fr, session_id)
        frame = draw(rng, examples)
        kinds[frame.kind.split(" ")[0]] = kinds.get(frame.kind.split(" ")[0], 0) + 1
        await report.answer(fuzzer, frame)
        if n % BATCH == BATCH - 1:
            await _alive(server, sender, observer, n)
    await _alive(server, sender, observer, FRAMES)
    print(f"frames by kind {kinds}; closed by code {report.closes}")  # shown with -s
    assert not report.problems, f"seed {SEED}, {FRAMES} frames:\n" + "\n".join(report.problems)
    assert kinds.get("valid", 0) > 0, kinds
    for client in (sender, observer):
        await client.close()
    if not fuzzer.closed:
        await fuzzer.close()
