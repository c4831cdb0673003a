"""Served on another port (`make run PORT=8801`), the default allowed origins follow it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import IO

import httpx

from app.core.settings import Settings
from tests.realtime.server_process import ROOT, environment, free_port


def _serve(env: dict[str, str], port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
    """`python -m app.serve --port N`, as `make run PORT=N` starts it."""
    return subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "app.serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


async def _preflight(http: httpx.AsyncClient, origin: str) -> httpx.Response:
    return await http.options(
        "/api/v1/users/me",
        headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
    )


async def test_the_default_origins_follow_the_port_in_use(
    settings: Settings, tmp_path: Path
) -> None:
    env = environment(settings)
    env.pop("PASSERELLE_ALLOWED_ORIGINS", None)
    port = free_port()
    with (tmp_path / "server.log").open("wb") as log:
        process = _serve(env, port, log)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
                for _ in range(300):
                    try:
                        if (await http.get("/readyz")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    assert process.poll() is None, (tmp_path / "server.log").read_text()
                    await asyncio.sleep(0.1)
                for origin in (f"http://localhost:{port}", f"http://127.0.0.1:{port}"):
                    allowed = await _preflight(http, origin)
                    assert allowed.status_code == 200, (origin, allowed.text)
                    assert allowed.headers["access-control-allow-origin"] == origin
                refused = await _preflight(http, "http://localhost:8000")
                assert "access-control-allow-origin" not in refused.headers
        finally:
            process.terminate()
            process.wait(timeout=10)
