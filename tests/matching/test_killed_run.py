"""A matching run whose server process is killed (SIGKILL: no shutdown code runs) is failed by
the next process, from the heartbeat the dead one stopped writing; it does not stay `running`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from app.core.settings import Settings
from tests.factories import Api
from tests.matching.test_matching_api import profile
from tests.realtime.server_process import free_port, server_process

API = "/api/v1"
HEARTBEAT = 0.5
STALE = 3.0


async def _run(http: httpx.AsyncClient, run_id: str, headers: dict[str, str]) -> dict[str, Any]:
    response = await http.get(f"{API}/matching/runs/{run_id}", headers=headers)
    assert response.status_code == 200, response.text
    run: dict[str, Any] = response.json()
    return run


async def _until(
    http: httpx.AsyncClient,
    run_id: str,
    headers: dict[str, str],
    done: Callable[[dict[str, Any]], bool],
    within: float,
) -> dict[str, Any]:
    """The run, polled every 50 ms until `done` (fails after `within` seconds)."""
    for _ in range(int(within / 0.05)):
        run = await _run(http, run_id, headers)
        if done(run):
            return run
        await asyncio.sleep(0.05)
    raise AssertionError(f"the run did not get there in {within} s: {run}")


async def test_a_run_whose_process_was_killed_is_failed_by_the_next_process(
    api: Api, settings: Settings, tmp_path: Path
) -> None:
    schools = [
        await api.organisation(country=country, city=city, timezone=zone)
        for country, city, zone in (
            ("FR", "Lyon", "Europe/Paris"),
            ("IT", "Bologna", "Europe/Rome"),
            ("DE", "Köln", "Europe/Berlin"),
        )
    ]
    network = await api.network([s["id"] for s in schools])
    for school in schools:
        teacher = await api.user("teacher", school["id"], login_=False)
        for _ in range(8):  # groups of three among 24 classes: the search uses its budget
            await api.school_class(school["id"], [teacher.id], **profile())
    settings = settings.model_copy(
        update={
            "matching_time_budget_s": 8.0,
            "matching_heartbeat_seconds": HEARTBEAT,
            "matching_stale_seconds": STALE,
        }
    )
    headers = api.admin.headers
    with (tmp_path / "server.log").open("wb") as log:
        with server_process(settings, free_port(), log) as first:
            await first.ready()
            async with httpx.AsyncClient(base_url=first.base_url, timeout=10) as http:
                started = await http.post(
                    f"{API}/matching/runs",
                    json={"network_id": network["id"], "group_size": 3},
                    headers=headers,
                )
                assert started.status_code == 202, started.text
                run_id = started.json()["id"]
                await _until(http, run_id, headers, lambda run: run["status"] == "running", 20)
            first.kill()

        orphan = await _run(api.client, run_id, headers)
        assert orphan["status"] == "running"  # nobody is left to say otherwise

        with server_process(settings, free_port(), log) as second:
            await second.ready()
            async with httpx.AsyncClient(base_url=second.base_url, timeout=10) as http:
                run = await _until(
                    http, run_id, headers, lambda run: run["status"] != "running", 6 * STALE
                )
    assert run["status"] == "failed"
    assert run["error"] == "interrupted: the process running it stopped"
