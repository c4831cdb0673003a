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
from tests.run_kind import several_processes

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


async def _busy_network(api: Api) -> str:
    """A network whose matching search uses its whole time budget: 24 classes in groups of 3."""
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
        for _ in range(8):
            await api.school_class(school["id"], [teacher.id], **profile())
    network_id: str = network["id"]
    return network_id


def _slow(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "matching_time_budget_s": 8.0,
            "matching_heartbeat_seconds": HEARTBEAT,
            "matching_stale_seconds": STALE,
        }
    )


async def _start_run(http: httpx.AsyncClient, network_id: str, headers: dict[str, str]) -> str:
    """A run started on the process behind `http`, once it is running there."""
    started = await http.post(
        f"{API}/matching/runs", json={"network_id": network_id, "group_size": 3}, headers=headers
    )
    assert started.status_code == 202, started.text
    run_id: str = started.json()["id"]
    await _until(http, run_id, headers, lambda run: run["status"] == "running", 20)
    return run_id


async def test_a_run_whose_process_was_killed_is_failed_by_the_next_process(
    api: Api, settings: Settings, tmp_path: Path
) -> None:
    network_id = await _busy_network(api)
    settings = _slow(settings)
    headers = api.admin.headers
    with (tmp_path / "server.log").open("wb") as log:
        with server_process(settings, free_port(), log) as first:
            await first.ready()
            async with httpx.AsyncClient(base_url=first.base_url, timeout=10) as http:
                run_id = await _start_run(http, network_id, headers)
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


@several_processes
async def test_a_run_whose_process_was_killed_is_failed_by_the_other_running_process(
    api: Api, settings: Settings, tmp_path: Path
) -> None:
    """Two processes serve at once; the one running the search dies; the survivor's periodic
    check fails the run from its stopped heartbeat, with no restart of anything."""
    network_id = await _busy_network(api)
    settings = _slow(settings)
    headers = api.admin.headers
    with (
        (tmp_path / "first.log").open("wb") as first_log,
        (tmp_path / "second.log").open("wb") as second_log,
        server_process(settings, free_port(), first_log) as first,
        server_process(settings, free_port(), second_log) as second,
    ):
        await asyncio.gather(first.ready(), second.ready())
        async with (
            httpx.AsyncClient(base_url=first.base_url, timeout=10) as on_first,
            httpx.AsyncClient(base_url=second.base_url, timeout=10) as on_second,
        ):
            run_id = await _start_run(on_first, network_id, headers)
            first.kill()
            assert (await _run(on_second, run_id, headers))["status"] == "running"
            run = await _until(
                on_second, run_id, headers, lambda run: run["status"] != "running", 6 * STALE
            )
    assert run["status"] == "failed"
    assert run["error"] == "interrupted: the process running it stopped"
