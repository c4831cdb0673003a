"""Test helpers for live rooms: a real uvicorn server on a free port, and a client on the real
`websockets` library that records every frame and lets a test await one."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import uvicorn
from fastapi import FastAPI
from httpx import AsyncClient
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from app.core.clock import Clock, system_clock
from app.core.settings import Settings
from app.factory import create_app
from app.realtime.hub import Hub
from app.serve import uvicorn_ws_options
from tests.factories import Actor

TIMEOUT = 10.0
Frame = dict[str, Any]
DIRECT = frozenset({"welcome", "ack", "error", "pong"})  # frames for one connection, no seq
_slots = itertools.count()


@dataclass
class LiveServer:
    app: FastAPI
    server: uvicorn.Server
    http: AsyncClient
    port: int

    @property
    def hub(self) -> Hub:
        hub: Hub = self.app.state.ctx.hub
        return hub

    def ws_url(self, session_id: str, **params: str | int) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"ws://127.0.0.1:{self.port}/ws/sessions/{session_id}" + (
            f"?{query}" if query else ""
        )


@asynccontextmanager
async def live_server(
    settings: Settings,
    *,
    log_level: str = "warning",
    send_buffer: int | None = None,
    clock: Clock = system_clock,
) -> AsyncIterator[LiveServer]:
    """`create_app(settings)` served by uvicorn on a free port, in this event loop.
    `send_buffer` sets the kernel send buffer of the server's sockets (accepted sockets
    inherit it from the listening one)."""
    app = create_app(settings, clock=clock)
    options = uvicorn_ws_options(settings)
    del options["ws_max_size"]  # uvicorn's larger default: the app's own 1009 check is tested
    config = uvicorn.Config(app, lifespan="on", log_level=log_level, log_config=None, **options)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if send_buffer is not None:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        async with asyncio.timeout(TIMEOUT):
            while not server.started:  # uvicorn offers a flag, not an event
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
        async with AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=TIMEOUT) as http:
            yield LiveServer(app, server, http, port)
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, TIMEOUT)
        listener.close()


async def new_session(
    http: AsyncClient, exchange_id: str, teacher: Actor, *, later: timedelta = timedelta()
) -> str:
    """A one-minute session a few minutes from now (plus `later`); each call takes the next
    free slot, so sessions of the shared exchange never overlap."""
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(
        minutes=5 + 2 * next(_slots)
    )
    start += later
    response = await http.post(
        f"/api/v1/exchanges/{exchange_id}/sessions",
        json={"title": "Live", "starts_at": start.isoformat(), "duration_minutes": 1},
        headers=teacher.headers,
    )
    assert response.status_code == 201, response.text
    session_id: str = response.json()["id"]
    return session_id


async def ticket(http: AsyncClient, actor: Actor, session_id: str) -> str:
    response = await http.post(f"/api/v1/sessions/{session_id}/tickets", headers=actor.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["expires_in"] == 30
    value: str = body["ticket"]
    assert body["url"].startswith("ws://")
    assert value in body["url"]
    return value


class LiveClient:
    """One WebSocket; every frame it receives is kept, in order, in `frames`."""

    def __init__(self, connection: ClientConnection, name: str) -> None:
        self.connection = connection
        self.name = name
        self.frames: list[Frame] = []
        self.close_code: int | None = None
        self.close_reason = ""
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        name: str = "",
        origin: str | None = None,
        headers: dict[str, str] | None = None,
        **options: Any,
    ) -> LiveClient:
        headers = {**(headers or {}), **({"Origin": origin} if origin else {})} or None
        connection = await connect(
            url, additional_headers=headers, open_timeout=TIMEOUT, compression=None, **options
        )
        return cls(connection, name)

    @classmethod
    async def join(
        cls, server: LiveServer, actor: Actor, session_id: str, **params: str | int
    ) -> LiveClient:
        value = await ticket(server.http, actor, session_id)
        client = await cls.open(server.ws_url(session_id, ticket=value, **params), name=actor.id)
        welcome = await client.wait_for(lambda f: f["type"] == "welcome")
        assert client.frames[0] is welcome
        return client

    async def _read(self) -> None:
        try:
            async for message in self.connection:
                self.frames.append(json.loads(message))
                async with self._changed:
                    self._changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            self.close_code = self.connection.close_code
            self.close_reason = self.connection.close_reason or ""
            async with self._changed:
                self._changed.notify_all()

    @property
    def closed(self) -> bool:
        return self._reader.done()

    @property
    def welcome(self) -> Frame:
        assert self.frames, self.name
        assert self.frames[0]["type"] == "welcome", self.frames[0]
        return self.frames[0]

    def room_events(self) -> list[Frame]:
        return [f for f in self.frames if f["type"] not in DIRECT]

    def of_type(self, kind: str) -> list[Frame]:
        return [f for f in self.frames if f["type"] == kind]

    async def wait_for(self, predicate: Callable[[Frame], bool], within: float = TIMEOUT) -> Frame:
        """The first frame (from the start) that satisfies `predicate`."""
        seen = 0

        def found() -> bool:
            return self.closed or any(predicate(f) for f in self.frames[seen:])

        async with asyncio.timeout(within), self._changed:
            while True:
                for frame in self.frames[seen:]:
                    if predicate(frame):
                        return frame
                seen = len(self.frames)
                if self.closed:
                    raise AssertionError(
                        f"{self.name}: closed {self.close_code} {self.close_reason!r} while waiting"
                    )
                await self._changed.wait_for(found)

    async def wait_count(self, predicate: Callable[[Frame], bool], count: int) -> list[Frame]:
        """Wait until `count` frames satisfy `predicate`; return them."""
        async with asyncio.timeout(TIMEOUT), self._changed:
            await self._changed.wait_for(
                lambda: self.closed or sum(1 for f in self.frames if predicate(f)) >= count
            )
        matching = [f for f in self.frames if predicate(f)]
        assert len(matching) >= count, (self.name, self.close_code, len(matching))
        return matching

    async def frame_at(self, index: int) -> Frame:
        """The frame at `index` once it has arrived."""
        async with asyncio.timeout(TIMEOUT), self._changed:
            await self._changed.wait_for(lambda: self.closed or len(self.frames) > index)
        assert len(self.frames) > index, (self.name, self.close_code, self.close_reason)
        return self.frames[index]

    async def wait_closed(self, within: float = TIMEOUT) -> int | None:
        await asyncio.wait_for(asyncio.shield(self._reader), within)
        return self.close_code

    async def send(self, frame: Frame | str | bytes) -> None:
        await self.connection.send(frame if isinstance(frame, str | bytes) else json.dumps(frame))

    async def command(self, kind: str, **fields: Any) -> Frame:
        """Send a command; its `ack`, `error` or `pong` (matched by id)."""
        command_id = fields.pop("id", None) or uuid.uuid4().hex
        await self.send({"type": kind, "id": command_id, **fields})
        return await self.wait_for(
            lambda f: f["type"] in ("ack", "error", "pong") and f.get("id") == command_id
        )

    async def close(self) -> None:
        await self.connection.close()
        await asyncio.wait_for(self._reader, TIMEOUT)


def chat_texts(frames: list[Frame]) -> list[str]:
    return [f["text"] for f in frames if f["type"] == "chat.message"]


def assert_contiguous(client: LiveClient) -> list[int]:
    """The room events a client got are numbered without a hole or a repeat: on resume from
    the replayed `missed` ones, else from `welcome.seq + 1`."""
    welcome = client.welcome
    seqs = [f["seq"] for f in client.room_events()]
    first = welcome["seq"] - welcome["missed"] + 1
    assert seqs == list(range(first, first + len(seqs))), (client.name, seqs)
    return seqs
