"""A run and the sweep for abandoned runs: a process never fails a run it is running itself,
however late its heartbeat (a loaded machine), and a run another process failed meanwhile keeps
its failure (its late outcome is dropped), rather than turning `done` with the error kept."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update
from sqlmodel import col

from app.matching.run_data import MatchingInstance, MatchingOutcome
from app.matching.runner import MatchingRunner
from app.matching.tables import MatchingRun
from tests.factories import Api
from tests.matching.slow_solver import slow_run_matching
from tests.matching.test_matching_api import profile

API = "/api/v1"


@pytest.fixture(autouse=True)
def slow(monkeypatch: pytest.MonkeyPatch) -> None:
    def solver(self: MatchingRunner) -> Callable[[MatchingInstance], MatchingOutcome]:
        return slow_run_matching

    monkeypatch.setattr(MatchingRunner, "solver", solver)


async def running(client: AsyncClient, api: Api) -> str:
    """A run of two partner classes, once it is `running` (in the slow solver)."""
    fr = await api.organisation(country="FR", city="Lyon", timezone="Europe/Paris")
    it = await api.organisation(country="IT", city="Bologna", timezone="Europe/Rome")
    network = await api.network([fr["id"], it["id"]])
    for school in (fr, it):
        teacher = await api.user("teacher", school["id"], login_=False)
        await api.school_class(school["id"], [teacher.id], **profile())
    started = await client.post(
        f"{API}/matching/runs", json={"network_id": network["id"]}, headers=api.admin.headers
    )
    assert started.status_code == 202, started.text
    run_id: str = started.json()["id"]
    assert (await until(client, api, run_id, "running"))["status"] == "running"
    return run_id


async def until(client: AsyncClient, api: Api, run_id: str, *statuses: str) -> dict[str, Any]:
    async with asyncio.timeout(60):
        while True:
            answer = await client.get(f"{API}/matching/runs/{run_id}", headers=api.admin.headers)
            run: dict[str, Any] = answer.json()
            if run["status"] in statuses:
                return run
            await asyncio.sleep(0.05)


async def test_a_process_never_fails_its_own_run_however_stale_its_heartbeat(
    application: FastAPI, client: AsyncClient, api: Api
) -> None:
    run_id = await running(client, api)
    sweep = application.state.ctx.matching.fail_abandoned
    assert await sweep(stale_after=timedelta(0)) == 0  # every heartbeat is "stale" now

    run = await until(client, api, run_id, "done", "failed")
    assert (run["status"], run["error"]) == ("done", None)
    assert len(run["proposals"]) == 1


async def test_a_run_failed_meanwhile_by_another_process_stays_failed(
    application: FastAPI, client: AsyncClient, api: Api
) -> None:
    run_id = await running(client, api)
    async with application.state.ctx.db_factory() as db:  # what another process's sweep does
        await db.execute(
            update(MatchingRun)
            .where(col(MatchingRun.id) == uuid.UUID(run_id))
            .values(status="failed", error="interrupted: the process running it stopped")
        )
        await db.commit()

    await application.state.ctx.matching.wait_idle()  # the solver has returned
    run = await until(client, api, run_id, "done", "failed")
    assert (run["status"], run["error"]) == (
        "failed",
        "interrupted: the process running it stopped",
    )
    assert run["proposals"] == []
    exchanges = await client.get(f"{API}/exchanges", headers=api.admin.headers)
    assert exchanges.json()["total"] == 0
