"""Two instances of the app (two lifespans, two limiters) on the same database and broker: what
two server processes behind one load balancer are, for the abuse limits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient

from app.core.settings import Settings
from app.factory import create_app


@asynccontextmanager
async def instances(settings: Settings, count: int) -> AsyncIterator[list[AsyncClient]]:
    """`count` app instances, an HTTP client on each."""
    async with AsyncExitStack() as stack:
        clients = []
        for _ in range(count):
            app = create_app(settings)
            await stack.enter_async_context(LifespanManager(app))
            transport = ASGITransport(app=app)
            clients.append(
                await stack.enter_async_context(
                    AsyncClient(transport=transport, base_url="http://test")
                )
            )
        yield clients


@asynccontextmanager
async def two_apps(settings: Settings) -> AsyncIterator[tuple[AsyncClient, AsyncClient]]:
    async with instances(settings, 2) as (a, b):
        yield a, b


async def wrong_login(client: AsyncClient, email: str) -> int:
    answer = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": "wrong-password-123"}
    )
    if answer.status_code == 429:
        assert answer.json()["error"]["code"] == "rate_limited"
        assert int(answer.headers["retry-after"]) >= 1
    return answer.status_code
