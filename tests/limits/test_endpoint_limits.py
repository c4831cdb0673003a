"""Issue 18: token refresh and invitation acceptance count failures per client address, and
exports count every request per account; past the limit, 429 `rate_limited` with Retry-After
in the contract's error shape. Small limits here; the defaults are in docs/operations.md."""

from __future__ import annotations

import pytest
from httpx import AsyncClient, Response

from app.core.settings import Settings
from tests.factories import Api, login

LIMIT = 3


@pytest.fixture
def small_limits(settings: Settings) -> Settings:
    """Before the app is built (the `client` fixture), so the app reads them."""
    settings.refresh_max_failures_per_address = LIMIT
    settings.invite_max_failures_per_address = LIMIT
    settings.export_max_per_account = LIMIT
    return settings


def refused(answer: Response) -> bool:
    if answer.status_code != 429:
        return False
    assert answer.json()["error"]["code"] == "rate_limited"
    assert int(answer.headers["retry-after"]) >= 1
    return True


async def test_failed_refreshes_are_limited_per_address_and_successes_are_not(
    small_limits: Settings, client: AsyncClient, api: Api
) -> None:
    learner = await api.user("learner", (await api.organisation())["id"], login_=False)
    token = (await login(client, learner.email))["refresh_token"]
    for _ in range(LIMIT + 2):  # successes take their attempt back
        answer = await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
        assert answer.status_code == 200, answer.text
        token = answer.json()["refresh_token"]
    for _ in range(LIMIT):
        bad = await client.post("/api/v1/auth/refresh", json={"refresh_token": "not-a-token"})
        assert bad.status_code == 401
    assert refused(await client.post("/api/v1/auth/refresh", json={"refresh_token": token}))


@pytest.mark.parametrize("kind", ["guardian-invites", "host-invites"])
async def test_failed_invitation_acceptances_are_limited_per_address(
    small_limits: Settings, client: AsyncClient, kind: str
) -> None:
    body = {"display_name": "Guessing", "password": "a-long-password-1"}
    for n in range(LIMIT):
        answer = await client.post(f"/api/v1/{kind}/guess-{n}/accept", json=body)
        assert answer.status_code == 404
    assert refused(await client.post(f"/api/v1/{kind}/guess-last/accept", json=body))


async def test_exports_are_limited_per_account(
    small_limits: Settings, client: AsyncClient, api: Api
) -> None:
    org = await api.organisation()
    coordinator = await api.user("coordinator", org["id"])
    other = await api.user("coordinator", org["id"])
    exports = [
        "/api/v1/mobilities/export?format=csv",
        f"/api/v1/users/{coordinator.id}/export",
        f"/api/v1/organisations/{org['id']}/impact.csv",
    ]
    for path in exports:
        assert (await client.get(path, headers=coordinator.headers)).status_code == 200
    for path in exports:
        assert refused(await client.get(path, headers=coordinator.headers))
    # per account: a colleague's budget is their own
    assert (await client.get(exports[0], headers=other.headers)).status_code == 200
