"""`GET /metrics`: off unless a token is set, then only for the scraper; HTTP answers counted
by route template (no id or secret ever becomes a label), the outbox read when scraped, and
matching runs timed."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.core.settings import Settings
from app.factory import create_app
from tests.conftest import _empty_tables
from tests.factories import Api
from tests.matching.test_matching_api import profile, wait_run
from tests.operations.metrics_scrape import SCRAPER, TOKEN, scrape, value


@pytest.fixture
async def watched(settings: Settings) -> AsyncIterator[AsyncClient]:
    await _empty_tables(settings.database_url)
    application: FastAPI = create_app(settings.model_copy(update={"metrics_token": TOKEN}))
    async with LifespanManager(application):
        transport = ASGITransport(app=application)
        async with AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


async def test_metrics_are_off_without_a_token(client: AsyncClient) -> None:
    answer = await client.get("/metrics", headers=SCRAPER)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


async def test_only_the_scraper_reads_them(watched: AsyncClient) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        answer = await watched.get("/metrics", headers=headers)
        assert answer.status_code == 401, headers
        assert answer.json()["error"]["code"] == "not_authenticated"
    await scrape(watched)


async def test_answers_are_counted_by_route_template(watched: AsyncClient) -> None:
    session_id, secret = uuid.uuid4(), "feed-token-never-in-metrics"
    assert (await watched.get(f"/api/v1/sessions/{session_id}")).status_code == 401
    assert (await watched.get(f"/calendar/{secret}.ics")).status_code == 404
    assert (await watched.get("/healthz")).status_code == 200
    assert (await watched.get("/nowhere")).status_code == 404

    text, samples = await scrape(watched)
    counted = "passerelle_http_requests_total"
    assert (
        value(samples, counted, method="GET", route="/api/v1/sessions/{session_id}", status="401")
        == 1
    )
    assert value(samples, counted, method="GET", route="/calendar/{token}.ics", status="404") == 1
    assert value(samples, counted, method="GET", route="/healthz", status="200") == 1
    assert value(samples, counted, method="GET", route="unmatched", status="404") == 1
    assert str(session_id) not in text
    assert secret not in text
    latency = "passerelle_http_request_duration_seconds_count"
    assert value(samples, latency, method="GET", route="/healthz") == 1
    # state read when scraped
    assert ("passerelle_outbox_messages", frozenset({("status", "pending")})) in samples
    assert ("passerelle_webhook_pending", frozenset()) in samples
    assert value(samples, "passerelle_rooms_open") == 0
    assert value(samples, "passerelle_background_loop_restarts", loop="live-sweeper") == 0


async def test_matching_runs_are_timed(watched: AsyncClient) -> None:
    api = await Api.start(watched)
    schools = [
        await api.organisation(country="FR", city="Lyon", timezone="Europe/Paris"),
        await api.organisation(country="IT", city="Bologna", timezone="Europe/Rome"),
    ]
    network = await api.network([s["id"] for s in schools])
    for school in schools:
        teacher = await api.user("teacher", school["id"], login_=False)
        await api.school_class(school["id"], [teacher.id], **profile())
    started = await watched.post(
        "/api/v1/matching/runs", json={"network_id": network["id"]}, headers=api.admin.headers
    )
    assert started.status_code == 202, started.text
    run = await wait_run(watched, started.json()["id"], api.admin.headers)
    assert run["status"] == "done", run

    _, samples = await scrape(watched)
    assert (
        value(samples, "passerelle_worker_runs_finished_total", kind="matching", status="done") == 1
    )
    assert value(samples, "passerelle_worker_run_seconds_count", kind="matching") == 1
    assert value(samples, "passerelle_worker_run_seconds_sum", kind="matching") > 0
