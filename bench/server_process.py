"""The real server as a child process, for benchmarks that measure it from outside.

`start_server(workdir)` migrates a fresh SQLite file in `workdir` (`alembic upgrade head` in a
child process), then runs `python -m app.serve` on a free local port with `PASSERELLE_*`
settings of its own (a random secret key and admin password, one allowed origin). The server's
output goes to a log file in `workdir`, so a benchmark can report the errors it logged.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parent.parent
ORIGIN = "https://school.example"
ADMIN_EMAIL = "admin@bench.passerelle.eu"
START_TIMEOUT_S = 60.0
ERROR_LINE = re.compile(
    r'"level": "(warning|error|critical)"|^(WARNING|ERROR|CRITICAL):|Traceback \(most recent'
    r"|\w+Warning: ",
    re.IGNORECASE,
)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    admin_password: str
    env: dict[str, str] = field(repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self, session_id: str, ticket: str) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/sessions/{session_id}?ticket={ticket}"

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) used so far by the server and by each child process
        (the matching worker), read from /proc; empty where /proc is not there."""
        result: dict[str, float] = {}
        server = _cpu_of(self.process.pid)
        if server is None:
            return result
        result["server"] = server
        for child in _children(self.process.pid):
            cpu = _cpu_of(child)
            if cpu is not None:
                result[f"{_role(child)} (pid {child})"] = cpu
        return result

    def logged_errors(self) -> list[str]:
        """Lines of the server's log at WARNING level or above, Python warnings and the
        first line of each traceback."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        return [line for line in lines if ERROR_LINE.search(line)]

    def stop(self) -> int | None:
        """SIGTERM, then wait for the server and its children (they may still log)."""
        children = _children(self.process.pid)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{c}").exists() for c in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.process.returncode


def machine_busy_seconds() -> float | None:
    """CPU time all cores spent busy (not idle, not waiting for I/O) since boot."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    ticks = [int(x) for x in first[1:9]]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


def _role(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "child"
    if "resource_tracker" in command:
        return "multiprocessing resource tracker"
    return "matching worker" if "spawn_main" in command else "child"


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    for child in list(children):
        children += _children(child)
    return children


async def _admin(url: str, statement: str) -> None:
    engine = create_async_engine(
        make_url(url).set(drivername="postgresql+asyncpg"), isolation_level="AUTOCOMMIT"
    )
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@contextmanager
def fresh_postgres(url: str) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server of `url`, dropped afterwards."""
    name = f"passerelle_bench_{secrets.token_hex(4)}"
    asyncio.run(_admin(url, f'CREATE DATABASE "{name}"'))
    try:
        yield (
            make_url(url)
            .set(drivername="postgresql+asyncpg", database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        asyncio.run(_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(
    workdir: Path, *, database_url: str | None = None, broker_url: str = "memory://"
) -> Server:
    """Migrate a fresh database (a SQLite file in `workdir`, or the empty database
    `database_url` names) and start the server; returns once /healthz answers. The caller
    stops it (`Server.stop`)."""
    admin_password = secrets.token_urlsafe(18)
    env = os.environ | {
        "PASSERELLE_ENV": "development",
        "PASSERELLE_DATABASE_URL": database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}",
        "PASSERELLE_BROKER_URL": broker_url,
        "PASSERELLE_SECRET_KEY": secrets.token_urlsafe(48),
        "PASSERELLE_ADMIN_EMAIL": ADMIN_EMAIL,
        "PASSERELLE_ADMIN_PASSWORD": admin_password,
        "PASSERELLE_ALLOWED_ORIGINS": ORIGIN,
        # Argon2id at a test-sized cost: seeding creates a user per school (~2,000 at 3,000
        # classes) and no login is measured.
        "PASSERELLE_PASSWORD_HASH_TIME_COST": "1",
        "PASSERELLE_PASSWORD_HASH_MEMORY_KIB": "1024",
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "alembic", "-c", str(ROOT / "alembic.ini"), "upgrade", "head"],
        cwd=workdir,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "-m", "app.serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, port, log_path, admin_password, env)
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise SystemExit(f"the server exited ({process.returncode}):\n{log_path.read_text()}")
        try:
            if httpx.get(f"{server.base_url}/healthz", timeout=1.0).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise SystemExit(f"the server did not answer in {START_TIMEOUT_S:.0f} s")
        time.sleep(0.2)
