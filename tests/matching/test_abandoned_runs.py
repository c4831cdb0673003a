"""Matching runs left `queued` or `running` by a process that is gone are failed at start-up.

A run's process writes `heartbeat_at` while the run works; a run whose heartbeat (or, never
started, whose creation) is older than `PASSERELLE_MATCHING_STALE_SECONDS` has no live process
behind it. Runs of a live process (a fresh heartbeat) are left alone.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.core.settings import Settings
from app.factory import create_app
from app.matching.tables import MatchingRun
from tests.factories import Api

API = "/api/v1"


async def _run_row(
    app: FastAPI, network_id: str, status: str, beat: datetime | None, born: datetime
) -> uuid.UUID:
    async with app.state.ctx.db_factory() as db:
        run = MatchingRun(
            network_id=uuid.UUID(network_id),
            group_size=2,
            status=status,
            created_at=born,
            heartbeat_at=beat,
        )
        db.add(run)
        await db.commit()
        return run.id


async def test_runs_of_a_gone_process_are_failed_at_start_up(
    application: FastAPI, client: AsyncClient, api: Api, settings: Settings
) -> None:
    school = await api.organisation()
    network = await api.network([school["id"]])
    now = datetime.now(UTC)
    long_ago = now - timedelta(hours=1)
    dead_running = await _run_row(application, network["id"], "running", long_ago, long_ago)
    dead_queued = await _run_row(application, network["id"], "queued", None, long_ago)
    alive = await _run_row(application, network["id"], "running", now, long_ago)
    done = await _run_row(application, network["id"], "done", long_ago, long_ago)

    restarted = create_app(settings)
    async with LifespanManager(restarted):
        transport = ASGITransport(app=restarted)
        async with AsyncClient(transport=transport, base_url="http://test") as http:
            seen = {}
            for run_id in (dead_running, dead_queued, alive, done):
                answer = await http.get(f"{API}/matching/runs/{run_id}", headers=api.admin.headers)
                assert answer.status_code == 200, answer.text
                seen[run_id] = answer.json()
    assert seen[dead_running]["status"] == "failed"
    assert seen[dead_queued]["status"] == "failed"
    assert "stopped" in seen[dead_running]["error"]
    assert seen[alive]["status"] == "running"
    assert seen[done]["status"] == "done"
