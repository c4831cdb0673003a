"""A request whose answer has not started in time is cancelled and answered 503
`request_timeout` with `Retry-After`, in the client's language; other requests go on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.core.settings import Settings
from app.factory import create_app


@pytest.fixture
async def short_timeout(settings: Settings) -> AsyncIterator[tuple[FastAPI, AsyncClient]]:
    application = create_app(settings.model_copy(update={"request_timeout_s": 0.3}))
    async with LifespanManager(application):
        transport = ASGITransport(app=application)
        async with AsyncClient(transport=transport, base_url="http://test") as http:
            yield application, http


async def test_a_stuck_request_is_answered_503_and_the_rest_go_on(
    short_timeout: tuple[FastAPI, AsyncClient],
) -> None:
    application, http = short_timeout
    stuck = asyncio.Event()

    async def never_answers() -> None:
        await stuck.wait()

    application.state.ctx.broker.ping = never_answers  # /readyz waits on the broker (3 s)
    answer = await http.get("/readyz", headers={"Accept-Language": "fr"})
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "request_timeout"
    assert answer.json()["error"]["message"].startswith("Le serveur a mis trop de temps")
    assert answer.headers["retry-after"] == "5"
    assert answer.headers["content-language"] == "fr"
    assert (await http.get("/healthz")).status_code == 200

    english = await http.get("/readyz")
    assert english.json()["error"]["message"] == "The server took too long to answer; try again."
