"""Issue 18, finding 3: concurrent logins cannot pass the login limit, and the number of
password hashes verified at once is capped.

The attempt is counted before the password is verified, so 30 concurrent wrong passwords for one
account get at most `login_max_failures_per_account` verifications; the rest are 429 with
Retry-After. Verifications are counted by wrapping the verify function the login calls.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from httpx import AsyncClient

import app.accounts.auth as auth
from app.core.security.passwords import verify_password
from app.core.settings import Settings
from tests.factories import PASSWORD, Api


class Counting:
    def __init__(self) -> None:
        self.calls = 0
        self.running = 0
        self.most = 0
        self.real = verify_password

    async def __call__(self, password: str, password_hash: str | None) -> bool:
        self.calls += 1
        self.running += 1
        self.most = max(self.most, self.running)
        try:
            await asyncio.sleep(0.05)  # let the other requests reach the check meanwhile
            return await self.real(password, password_hash)
        finally:
            self.running -= 1


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> Counting:
    wrapper = Counting()
    monkeypatch.setattr(auth, "verify_password", wrapper)
    return wrapper


async def _login(client: AsyncClient, email: str, password: str) -> Any:
    return await client.post("/api/v1/auth/token", data={"username": email, "password": password})


async def test_concurrent_wrong_passwords_verify_at_most_the_limit(
    client: AsyncClient, api: Api, counting: Counting, settings: Settings
) -> None:
    learner = await api.user("learner", (await api.organisation())["id"], login_=False)
    counting.calls = 0
    answers = await asyncio.gather(
        *(_login(client, learner.email, "wrong-password-123") for _ in range(30))
    )
    statuses = [a.status_code for a in answers]
    limit = settings.login_max_failures_per_account
    assert counting.calls <= limit
    assert statuses.count(401) <= limit
    assert statuses.count(401) + statuses.count(429) == 30
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) >= 1
    # one at a time, the account locks once the limit is reached, right password or not
    for _ in range(limit + 1):
        if (await _login(client, learner.email, "wrong-password-123")).status_code == 429:
            break
    assert counting.calls <= limit
    assert (await _login(client, learner.email, PASSWORD)).status_code == 429


async def test_a_success_does_not_count_against_the_address(
    client: AsyncClient, api: Api, counting: Counting, settings: Settings
) -> None:
    org = await api.organisation()
    learner = await api.user("learner", org["id"], login_=False)
    for _ in range(settings.login_max_failures_per_address + 2):
        assert (await _login(client, learner.email, PASSWORD)).status_code == 200


@pytest.fixture
def few_hashes(settings: Settings) -> Settings:
    settings.login_max_concurrent_verifications = 2
    return settings


async def test_concurrent_verifications_are_capped(
    few_hashes: Settings, client: AsyncClient, api: Api, counting: Counting
) -> None:
    org = await api.organisation()
    learners = [await api.user("learner", org["id"], login_=False) for _ in range(8)]
    counting.most = 0
    answers = await asyncio.gather(*(_login(client, u.email, PASSWORD) for u in learners))
    assert counting.most <= 2
    busy = [a for a in answers if a.status_code == 429]
    assert busy, [a.status_code for a in answers]
    assert busy[0].headers["retry-after"] == "1"
    assert {a.status_code for a in answers} <= {200, 429}
