"""Passerelle as a `bench.rooms` target, talked to only through its HTTP API and live room.

`seed_rooms` starts the real server once (`bench.server_process.start_server`: a freshly
migrated database, `python -m app.serve`), builds one live room per wanted size through the
API and stops it. A room of `n` members is an exchange of two classes, a French one (its
teacher and `n - 2` learners) and a Finnish one (its teacher), paired by a one-pair matching
run, accepted by both teachers, with a session that starts in five minutes and lasts eight
hours, so its room is open. Each round then starts the server again on the same database, with
the live-room limits raised for the ramp (`ROOM_SETTINGS`), and logs every member in before
anything is measured. A member joins as a client would: a ticket
(`POST /api/v1/sessions/{id}/tickets`, with the member's access token), then the WebSocket
`/ws/sessions/{id}?ticket=...` until its `welcome`.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bench.api_seed import (
    Headers,
    bounded,
    call,
    live_classes,
    login,
    new_user,
    organisation,
    wait_run,
)
from bench.rooms_targets import Target, stop_process
from bench.rooms_wire import JsonMember, Member, Window, join
from bench.server_process import (
    ADMIN_EMAIL,
    ERROR_LINE,
    START_TIMEOUT_S,
    Server,
    free_port,
    start_server,
)

# The ramp sends far more than a person types, from one connection per room, and the idle
# connections phase opens several connections per member.
ROOM_SETTINGS = {
    "PASSERELLE_WS_RATE_PER_SECOND": "1000000",
    "PASSERELLE_WS_RATE_BURST": "1000000",
    "PASSERELLE_WS_MAX_CONNECTIONS_PER_USER": "1000",
    "PASSERELLE_ACCESS_TOKEN_MINUTES": "60",
}
TICKET_CONCURRENCY = 64  # HTTP connections for tickets


@dataclass
class Room:
    session_id: str
    credentials: list[tuple[str, str]]  # (e-mail, password); the first is the publisher


async def one_room(
    http: httpx.AsyncClient,
    admin: Headers,
    network_id: str,
    schools: tuple[str, str],
    size: int,
    concurrency: int,
) -> Room:
    fr, fi = schools
    (t_fr, e_fr, p_fr), (t_fi, e_fi, p_fi) = [
        await new_user(http, admin, "teacher", org) for org in schools
    ]
    learners = await bounded(
        (new_user(http, admin, "learner", fr) for _ in range(size - 2)), concurrency
    )
    classes = await live_classes(
        http,
        admin,
        ((fr, t_fr), (fi, t_fi)),
        name="Room",
        learner_count=max(size - 2, 1),
        age_max=19,
    )
    roster = {"learner_ids": [learner[0] for learner in learners]}
    await call(http, "PUT", f"/api/v1/classes/{classes[0]['id']}/learners", admin, 200, roster)
    body = {"network_id": network_id, "class_ids": [c["id"] for c in classes], "group_size": 2}
    queued = await call(http, "POST", "/api/v1/matching/runs", admin, 202, body)
    run = await wait_run(http, queued["id"], admin)
    if run["status"] != "done" or len(run["proposals"]) != 1:
        raise SystemExit(f"the room's pair was not proposed: {run}")
    exchange_id = run["proposals"][0]["exchange_id"]
    teacher = await login(http, e_fr, p_fr)
    for headers in (teacher, await login(http, e_fi, p_fi)):
        await call(http, "POST", f"/api/v1/exchanges/{exchange_id}/accept", headers, 200)
    starts = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=5)
    session = await call(
        http,
        "POST",
        f"/api/v1/exchanges/{exchange_id}/sessions",
        teacher,
        201,
        {"title": f"Room of {size}", "starts_at": starts.isoformat(), "duration_minutes": 480},
    )
    return Room(session["id"], [(e_fr, p_fr), (e_fi, p_fi), *((x[1], x[2]) for x in learners)])


async def seed_rooms(server: Server, sizes: list[int], concurrency: int) -> list[Room]:
    """One open live room per size, in this order."""
    async with httpx.AsyncClient(base_url=server.base_url, timeout=120.0) as http:
        admin = await login(http, ADMIN_EMAIL, server.admin_password)
        fr = (await organisation(http, admin, "FR", "Rooms school FR"))["id"]
        fi = (await organisation(http, admin, "FI", "Rooms school FI"))["id"]
        network = await call(
            http,
            "POST",
            "/api/v1/networks",
            admin,
            201,
            {"name": "Rooms network", "coordinating_organisation_id": fr},
        )
        members = f"/api/v1/networks/{network['id']}/members"
        await call(http, "POST", members, admin, 201, {"organisation_id": fi})
        rooms = []
        for size in sizes:
            rooms.append(await one_room(http, admin, network["id"], (fr, fi), size, concurrency))
        return rooms


def seeded(
    workdir: Path, sizes: list[int], *, database_url: str | None, broker_url: str
) -> tuple[Server, list[Room]]:
    """Migrate, start, seed the rooms and stop: the server's settings and the rooms."""
    server = start_server(workdir, database_url=database_url, broker_url=broker_url)
    try:
        rooms = asyncio.run(seed_rooms(server, sizes, concurrency=4))
    finally:
        server.stop()
    return server, rooms


class Passerelle(Target):
    """`python -m app.serve` on the seeded database, started afresh for each round."""

    name, label = "passerelle", "Passerelle"

    def __init__(self, seeded: Server, rooms: list[Room], label: str) -> None:
        self.label = label
        self.rooms = rooms
        self.env = seeded.env | ROOM_SETTINGS
        self.log = seeded.log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.tokens: list[list[Headers]] = []
        self.http: httpx.AsyncClient | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "app.serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                command, cwd=self.log.parent, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited ({self.process.returncode})")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not answer in {START_TIMEOUT_S:.0f} s")
            time.sleep(0.2)

    def stop(self) -> int | None:
        return stop_process(self.process) if self.process is not None else None

    async def prepare(self) -> None:
        limits = httpx.Limits(
            max_connections=TICKET_CONCURRENCY, max_keepalive_connections=TICKET_CONCURRENCY
        )
        self.http = httpx.AsyncClient(base_url=self.base_url, timeout=60.0, limits=limits)
        if not self.tokens:  # the tokens outlive a restart: same signing key, 60 minutes
            http = self.http
            for room in self.rooms:
                self.tokens.append(
                    await bounded((login(http, e, p) for e, p in room.credentials), 4)
                )

    async def release(self) -> None:
        if self.http is not None:
            await self.http.aclose()
            self.http = None

    async def member(self, room: int, index: int, window: Window) -> Member:
        assert self.http is not None
        tokens = self.tokens[room]
        path = f"/api/v1/sessions/{self.rooms[room].session_id}/tickets"
        for attempt in (1, 2):  # a keep-alive connection the server just closed: once more
            try:
                response = await self.http.post(path, headers=tokens[index % len(tokens)])
                break
            except httpx.TransportError as exc:
                if attempt == 2:
                    raise ConnectionError(f"ticket: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 201:
            raise ConnectionError(f"ticket: {response.status_code} {response.text[:200]}")
        url = urlsplit(response.json()["url"])
        return await join(JsonMember(room, f"{url.path}?{url.query}", window), self.port)

    def errors(self) -> list[str]:
        lines = self.log.read_text(errors="replace").splitlines()
        return [line for line in lines if ERROR_LINE.search(line)]
