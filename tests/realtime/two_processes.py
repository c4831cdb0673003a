"""Two real server processes sharing the test's database and a `redis-server` of the test's
own, and how a client joins or resumes on either (the fault tests of issue 18)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.core.settings import Settings
from tests.factories import Actor
from tests.realtime.live import LiveClient
from tests.realtime.server_process import ServerProcess, free_port, server_process

API = "/api/v1"


@dataclass
class Node:
    """One server process and an HTTP client on it."""

    server: ServerProcess
    http: httpx.AsyncClient
    log: Path

    async def join(self, who: Actor, session_id: str, **resume: str) -> LiveClient:
        issued = await self.http.post(f"{API}/sessions/{session_id}/tickets", headers=who.headers)
        assert issued.status_code == 201, issued.text
        params = {"ticket": issued.json()["ticket"], **resume}
        query = "&".join(f"{k}={v}" for k, v in params.items())
        client = await LiveClient.open(
            f"ws://127.0.0.1:{self.server.port}/ws/sessions/{session_id}?{query}", name=who.id
        )
        await client.wait_for(lambda f: f["type"] == "welcome")
        return client


def resume_from(client: LiveClient) -> dict[str, str]:
    """The resume parameters of a client whose socket was closed: its last seq and epoch."""
    seqs = [f["seq"] for f in client.room_events()]
    last = seqs[-1] if seqs else client.welcome["seq"]
    return {"last_seq": str(last), "epoch": client.welcome["epoch"]}


@asynccontextmanager
async def two_processes(settings: Settings, folder: Path) -> AsyncIterator[tuple[Node, Node]]:
    """Processes `a` and `b`, both ready, each logging to a file in `folder`."""
    async with AsyncExitStack() as stack:
        nodes = []
        for name in ("a", "b"):
            log_path = folder / f"{name}.log"
            log = stack.enter_context(log_path.open("wb"))
            server = stack.enter_context(server_process(settings, free_port(), log))
            http = await stack.enter_async_context(
                httpx.AsyncClient(base_url=server.base_url, timeout=10)
            )
            nodes.append(Node(server, http, log_path))
        for node in nodes:
            await node.server.ready()
        yield nodes[0], nodes[1]
