"""The real server as a separate process (`python -m app.serve`), for tests that kill it."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

from app.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def environment(settings: Settings) -> dict[str, str]:
    """The settings as the process reads them: `PASSERELLE_*` variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PASSERELLE_")}
    for name, value in settings.model_dump().items():
        if value is None:
            continue
        env[f"PASSERELLE_{name.upper()}"] = (
            str(value).lower() if isinstance(value, bool) else str(value)
        )
    return env


class ServerProcess:
    def __init__(self, settings: Settings, port: int, log: IO[bytes]) -> None:
        self.port = port
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "app.serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=environment(settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def ready(self, within: float = 120.0) -> None:
        """Until `/readyz` answers 200; a loaded machine can take long to import the app."""
        async with httpx.AsyncClient(base_url=self.base_url, timeout=2.0) as http:
            async with asyncio.timeout(within):
                while True:
                    if self.process.poll() is not None:
                        raise RuntimeError(f"server exited with {self.process.returncode}")
                    try:
                        if (await http.get("/readyz")).status_code == 200:
                            return
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when a machine dies."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@contextmanager
def server_process(settings: Settings, port: int, log: IO[bytes]) -> Iterator[ServerProcess]:
    server = ServerProcess(settings, port, log)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.process.terminate()
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
