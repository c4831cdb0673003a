"""PostgreSQL unreachable: every request answers 503 `database_unavailable` at once (never a
hang, never a 500), `/readyz` names the database, and the same process recovers when the
server is back. The test runs a PostgreSQL cluster of its own, stops and starts it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from alembic import command
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient

from app.core.settings import Settings
from app.factory import create_app
from tests.conftest import alembic_config
from tests.factories import Api
from tests.faults.throwaway_postgres import ThrowawayPostgres
from tests.run_kind import own_postgres

# A hang guard, far above the 2 s connect timeout and far below the driver's own 60 s.
ANSWER_WITHIN_S = 15


@pytest.fixture(scope="module")
def postgres() -> Iterator[ThrowawayPostgres]:
    cluster = ThrowawayPostgres()
    try:
        cluster.init()
        cluster.start()
        command.upgrade(alembic_config(cluster.url), "head")
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
async def api_on(settings: Settings, postgres: ThrowawayPostgres) -> AsyncIterator[Api]:
    application = create_app(settings.model_copy(update={"database_url": postgres.url}))
    async with LifespanManager(application):
        transport = ASGITransport(app=application)
        async with AsyncClient(transport=transport, base_url="http://test") as client:
            yield await Api.start(client)


async def _get(api: Api, path: str) -> tuple[int, dict[str, object], dict[str, str]]:
    async with asyncio.timeout(ANSWER_WITHIN_S):
        answer = await api.client.get(path, headers=api.admin.headers)
    return answer.status_code, answer.json(), dict(answer.headers)


@own_postgres
async def test_an_unreachable_database_answers_503_and_the_process_recovers(
    api_on: Api, postgres: ThrowawayPostgres
) -> None:
    status, _, _ = await _get(api_on, "/api/v1/organisations")
    assert status == 200

    postgres.stop()
    try:
        for path in ("/api/v1/organisations", "/api/v1/users/me", "/api/v1/organisations"):
            status, body, headers = await _get(api_on, path)
            error = body["error"]
            assert isinstance(error, dict)
            assert (status, error["code"]) == (503, "database_unavailable"), body
            assert headers["retry-after"] == "5"
        status, body, _ = await _get(api_on, "/readyz")
        assert status == 503
        assert body["error"] == {
            "code": "not_ready",
            "message": "Not ready: database unavailable.",
            "details": {"failed": ["database"]},
        }
        # a login, which reads the database before any token exists
        async with asyncio.timeout(ANSWER_WITHIN_S):
            login = await api_on.client.post(
                "/api/v1/auth/token", data={"username": "a@b.eu", "password": "whatever"}
            )
        assert (login.status_code, login.json()["error"]["code"]) == (503, "database_unavailable")
    finally:
        postgres.start()

    # the same process, the same pool: dead connections are dropped and replaced
    status, _, _ = await _get(api_on, "/api/v1/organisations")
    assert status == 200
    status, body, _ = await _get(api_on, "/readyz")
    assert (status, body["status"]) == (200, "ready")
