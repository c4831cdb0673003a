"""Issue 18: with Redis down, the abuse limits degrade to per-process counts: logins keep
working (no 500, no hang), and a failing account is still refused past the limit by this
process. The Redis is the test's own (`redis-server` on a free port), which it stops."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from app.core.settings import Settings
from tests.factories import PASSWORD, Api, login
from tests.limits.two_apps import instances, wrong_login
from tests.realtime.throwaway_redis import ThrowawayRedis, redis_server

__all__ = ["redis_server"]  # the fixture


@pytest.fixture
def warnings() -> Iterator[list[str]]:
    """What the limiter logs (the app's logging set-up replaces the root handlers)."""
    seen: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("app.core.limits_redis")
    logger.addHandler(handler)
    try:
        yield seen
    finally:
        logger.removeHandler(handler)


async def test_logins_work_and_stay_limited_while_redis_is_down(
    settings: Settings, api: Api, redis_server: ThrowawayRedis, warnings: list[str]
) -> None:
    org = await api.organisation()
    victim = await api.user("learner", org["id"], login_=False)
    other = await api.user("learner", org["id"], login_=False)
    limit = settings.login_max_failures_per_account
    on_redis = settings.model_copy(update={"broker_url": redis_server.url})
    async with instances(on_redis, 1) as (a,):
        assert await wrong_login(a, victim.email) == 401  # counted in Redis
        redis_server.stop()
        # counted in this process from now on: `limit` more failures, then refused
        for _ in range(limit):
            assert await wrong_login(a, victim.email) == 401
        assert await wrong_login(a, victim.email) == 429
        assert (await login(a, other.email, PASSWORD))["access_token"]
    assert len([w for w in warnings if "counted per process" in w]) == 1  # once per outage
