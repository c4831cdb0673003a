"""Issue 18: the abuse limits hold across processes when the broker is Redis.

Two app instances share one Redis (the test run's, `PASSERELLE_TEST_BROKER_URL`): failed logins
for one account split across both add up to one count. With the memory broker each instance
counts its own (a documented limitation of one-process deployments), which the same test
checks instead, so it means something on both runs.
"""

from __future__ import annotations

from app.core.settings import Settings
from tests.factories import Api
from tests.limits.two_apps import two_apps, wrong_login


async def test_failed_logins_split_across_two_instances(settings: Settings, api: Api) -> None:
    learner = await api.user("learner", (await api.organisation())["id"], login_=False)
    limit = settings.login_max_failures_per_account
    shared = settings.broker_url.startswith("redis")
    async with two_apps(settings) as (a, b):
        first = limit // 2 + 1
        for _ in range(first):
            assert await wrong_login(a, learner.email) == 401
        for _ in range(limit - first):
            assert await wrong_login(b, learner.email) == 401
        # `limit` failures in all: shared, both refuse the next; per process, neither reached it
        expected = 429 if shared else 401
        assert await wrong_login(b, learner.email) == expected
        assert await wrong_login(a, learner.email) == expected


async def test_the_ticket_budget_is_shared_too(settings: Settings, api: Api) -> None:
    """Tickets count whatever the answer (here 404: no such session), per user and session."""
    org = await api.organisation()
    teacher = await api.user("teacher", org["id"])
    path = "/api/v1/sessions/00000000-0000-4000-8000-000000000001/tickets"
    shared = settings.broker_url.startswith("redis")
    async with two_apps(settings.model_copy(update={"ws_tickets_per_minute": 3})) as (a, b):
        answers = [
            (await http.post(path, headers=teacher.headers)).status_code
            for http in (a, b, a, b, a, b)
        ]
    assert answers == ([404, 404, 404, 429, 429, 429] if shared else [404] * 6)
