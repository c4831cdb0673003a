from __future__ import annotations

import json
import logging

import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient

from app.core.logs import JsonFormatter
from app.core.settings import Settings
from app.factory import create_app
from app.middleware import loggable_path


async def test_healthz_answers(client: AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_checks_database_and_broker(client: AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


async def test_readyz_names_the_failed_broker(settings: Settings) -> None:
    broken = settings.model_copy(update={"broker_url": "redis://127.0.0.1:1/0"})
    application = create_app(broken)
    async with (
        LifespanManager(application),
        AsyncClient(transport=ASGITransport(app=application), base_url="http://t") as c,
    ):
        response = await c.get("/readyz")
    assert response.status_code == 503
    assert response.json()["error"]["details"] == {"failed": ["broker"]}


async def test_readyz_names_the_failed_database(settings: Settings, tmp_path: object) -> None:
    broken = settings.model_copy(
        update={
            "database_url": "sqlite+aiosqlite:////nonexistent-dir/passerelle.db",
            "admin_email": None,
        }
    )
    application = create_app(broken)
    async with (
        LifespanManager(application),
        AsyncClient(transport=ASGITransport(app=application), base_url="http://t") as c,
    ):
        response = await c.get("/readyz")
    assert response.status_code == 503
    body = response.json()["error"]
    assert body["code"] == "not_ready"
    assert body["details"] == {"failed": ["database"]}


async def test_every_response_carries_a_request_id(client: AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = await client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32


async def test_log_lines_carry_the_request_id(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="passerelle.access"):
        response = await client.get("/healthz?ticket=should-not-be-logged")
    lines = [r for r in caplog.records if r.name == "passerelle.access"]
    assert len(lines) == 1
    record = lines[0]
    assert record.__dict__["request_id"] == response.headers["x-request-id"]
    assert record.__dict__["path"] == "/healthz"
    assert record.__dict__["status"] == 200
    formatted = JsonFormatter().format(record)
    assert json.loads(formatted)["request_id"] == response.headers["x-request-id"]
    assert "should-not-be-logged" not in formatted


def test_secret_path_segments_are_masked_in_logs() -> None:
    assert loggable_path("/calendar/s3cr3t-token.ics") == "/calendar/***.ics"
    assert (
        loggable_path("/api/v1/guardian-invites/s3cr3t/accept")
        == "/api/v1/guardian-invites/***/accept"
    )
    assert loggable_path("/api/v1/sessions/abc") == "/api/v1/sessions/abc"
