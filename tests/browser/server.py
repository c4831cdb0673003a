"""The app on a real uvicorn server for the browser tests: its own origin allowed for the
live room's WebSocket handshake, and a clock the test may shift (the room and attendance read
it), so a session that starts in a few minutes can be played as if it had started."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import uvicorn
from fastapi import FastAPI
from httpx import AsyncClient

from app.core.settings import Settings
from app.core.tables import utcnow
from app.factory import create_app
from app.serve import uvicorn_ws_options

TIMEOUT = 10.0


class ShiftedClock:
    """The real time plus `offset`: it runs, unlike `ManualClock`."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset


@dataclass
class WebServer:
    app: FastAPI
    http: AsyncClient
    base_url: str
    clock: ShiftedClock


@asynccontextmanager
async def web_server(settings: Settings) -> AsyncIterator[WebServer]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    clock = ShiftedClock()
    app = create_app(settings.model_copy(update={"allowed_origins": base_url}), clock=clock)
    config = uvicorn.Config(
        app, lifespan="on", log_level="warning", log_config=None, **uvicorn_ws_options(settings)
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        async with asyncio.timeout(TIMEOUT):
            while not server.started:  # uvicorn offers a flag, not an event
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
        async with AsyncClient(base_url=base_url, timeout=TIMEOUT) as http:
            yield WebServer(app, http, base_url, clock)
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, TIMEOUT)
        listener.close()
