"""Login, lockouts, refresh-token rotation and reuse, logout, key rotation, start-up checks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from jose import jwt

from app.core.security.tokens import key_id
from app.core.settings import ConfigurationError, Settings
from app.factory import create_app
from tests.conftest import TEST_SECRET
from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, Api, bearer, login

TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/users/me"
NEW_SECRET = "the-next-secret-key-after-rotation-0123456789abcdef"


@asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[FastAPI]:
    """Another app process on the same database (the `application` fixture emptied it)."""
    application = create_app(settings)
    async with LifespanManager(application):
        yield application


def client_for(application: FastAPI, address: str = "127.0.0.1") -> AsyncClient:
    transport = ASGITransport(app=application, client=(address, 40000))
    return AsyncClient(transport=transport, base_url="http://test")


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[AsyncClient]:
    async with started(settings) as application, client_for(application) as client:
        yield client


async def attempt(client: AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post(TOKEN, data={"username": email, "password": password})


async def refresh(client: AsyncClient, token: str) -> httpx.Response:
    return await client.post(REFRESH, json={"refresh_token": token})


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    error: dict[str, Any] = body["error"]
    return error


async def me_status(client: AsyncClient, access_token: str) -> int:
    return (await client.get(ME, headers=bearer(access_token))).status_code


# --- login ------------------------------------------------------------------------------------


async def test_login_returns_a_bearer_pair(client: AsyncClient) -> None:
    response = await attempt(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["access_token"] != body["refresh_token"]
    me = await client.get(ME, headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["email"] == ADMIN_EMAIL


async def test_wrong_password_and_unknown_email_are_indistinguishable(
    client: AsyncClient,
) -> None:
    wrong_password = await attempt(client, ADMIN_EMAIL, "not-the-password")
    unknown_email = await attempt(client, "nobody@passerelle.eu", ADMIN_PASSWORD)
    error = error_of(wrong_password, 401)
    assert error["code"] == "invalid_credentials"
    assert error_of(unknown_email, 401) == error
    assert wrong_password.headers["www-authenticate"] == "Bearer"
    assert unknown_email.headers["www-authenticate"] == "Bearer"


async def test_deactivated_account_loses_access(api: Api, client: AsyncClient) -> None:
    user = await api.user("guardian", login_=False)
    pair = await login(client, user.email)
    deleted = await client.delete(f"/api/v1/users/{user.id}", headers=api.admin.headers)
    assert deleted.status_code == 204
    assert error_of(await attempt(client, user.email, PASSWORD), 401)["code"] == (
        "invalid_credentials"
    )
    me = await client.get(ME, headers=bearer(pair["access_token"]))
    assert error_of(me, 401)["code"] == "invalid_token"
    assert error_of(await refresh(client, pair["refresh_token"]), 401)["code"] == (
        "invalid_refresh_token"
    )


async def test_email_is_case_insensitive_at_login(api: Api, client: AsyncClient) -> None:
    user = await api.user("guardian", login_=False)
    for spelling in (user.email.upper(), user.email.title(), f"  {user.email.capitalize()} "):
        response = await attempt(client, spelling, PASSWORD)
        assert response.status_code == 200, (spelling, response.text)
        me = await client.get(ME, headers=bearer(response.json()["access_token"]))
        assert me.json()["id"] == user.id


async def test_account_locks_after_five_failures(api: Api, client: AsyncClient) -> None:
    user = await api.user("guardian", login_=False)
    # Spelling variations count against the same account.
    for spelling in (user.email, user.email.upper(), user.email, user.email.title(), user.email):
        response = await attempt(client, spelling, "wrong-password-123")
        assert error_of(response, 401)["code"] == "invalid_credentials"
    locked = await attempt(client, user.email, PASSWORD)  # the right password, too late
    assert error_of(locked, 429)["code"] == "rate_limited"
    retry_after = int(locked.headers["retry-after"])
    assert 0 < retry_after <= 900
    # The lock is on that account only: the same address may still log in elsewhere.
    assert (await attempt(client, ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 200


async def test_four_failures_then_success_resets_the_account_count(
    api: Api, client: AsyncClient
) -> None:
    user = await api.user("guardian", login_=False)
    for _ in range(4):
        assert (await attempt(client, user.email, "wrong-password-123")).status_code == 401
    assert (await attempt(client, user.email, PASSWORD)).status_code == 200
    for _ in range(4):
        assert (await attempt(client, user.email, "wrong-password-123")).status_code == 401
    assert (await attempt(client, user.email, PASSWORD)).status_code == 200


@pytest.mark.usefixtures("application")
async def test_address_locks_across_accounts(settings: Settings) -> None:
    strict = settings.model_copy(update={"login_max_failures_per_address": 3})
    async with (
        started(strict) as application,
        client_for(application, "203.0.113.7") as client,
        client_for(application, "198.51.100.9") as elsewhere,
    ):
        api = await Api.start(client)
        users = [await api.user("guardian", login_=False) for _ in range(4)]
        for user in users[:3]:  # one failure per account: no account reaches its own limit
            response = await attempt(client, user.email, "wrong-password-123")
            assert error_of(response, 401)["code"] == "invalid_credentials"
        locked = await attempt(client, users[3].email, PASSWORD)
        assert error_of(locked, 429)["code"] == "rate_limited"
        assert int(locked.headers["retry-after"]) > 0
        # also for an account that already failed, with its right password
        assert (await attempt(client, users[0].email, PASSWORD)).status_code == 429
        # Another address reaching the same process is not locked.
        assert (await attempt(elsewhere, users[3].email, PASSWORD)).status_code == 200


# --- refresh, reuse, logout -------------------------------------------------------------------
# Here a used token presented again is reuse at once (no grace); the grace a racing client
# gets by default is in tests/accounts/test_refresh_grace.py.


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"refresh_reuse_grace_seconds": 0.0})


async def test_refresh_rotates_the_pair(client: AsyncClient) -> None:
    first = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    response = await refresh(client, first["refresh_token"])
    assert response.status_code == 200, response.text
    second = response.json()
    assert set(second) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert second["token_type"] == "bearer"
    assert second["expires_in"] == 900
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert await me_status(client, second["access_token"]) == 200
    # The new one rotates in turn.
    assert (await refresh(client, second["refresh_token"])).status_code == 200
    # The old refresh token is spent (presenting it again is reuse, see below).
    assert error_of(await refresh(client, first["refresh_token"]), 401)["code"] == (
        "refresh_token_reused"
    )


async def test_reuse_revokes_the_whole_family(client: AsyncClient) -> None:
    first = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    parallel = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)  # another login, another family
    second = (await refresh(client, first["refresh_token"])).json()

    reused = await refresh(client, first["refresh_token"])
    assert error_of(reused, 401)["code"] == "refresh_token_reused"

    # The newer token of that family is refused: the revocation was committed although the
    # reuse request itself failed.
    newer = await refresh(client, second["refresh_token"])
    assert error_of(newer, 401)["code"] == "invalid_refresh_token"
    # Reusing again still reports reuse, and the other family is untouched.
    assert error_of(await refresh(client, first["refresh_token"]), 401)["code"] == (
        "refresh_token_reused"
    )
    assert (await refresh(client, parallel["refresh_token"])).status_code == 200


async def test_concurrent_uses_of_one_refresh_token_cannot_both_succeed(
    client: AsyncClient,
) -> None:
    pair = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    responses = await asyncio.gather(*(refresh(client, pair["refresh_token"]) for _ in range(2)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 401], [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 200).json()
    loser = next(r for r in responses if r.status_code == 401)
    assert error_of(loser, 401)["code"] == "refresh_token_reused"
    # The second use counts as reuse, so the token handed to the winner is revoked as well.
    assert error_of(await refresh(client, winner["refresh_token"]), 401)["code"] == (
        "invalid_refresh_token"
    )


async def test_logout_revokes_the_family(client: AsyncClient) -> None:
    first = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    second = (await refresh(client, first["refresh_token"])).json()
    other = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)

    response = await client.post(LOGOUT, json={"refresh_token": second["refresh_token"]})
    assert response.status_code == 204
    assert response.content == b""
    assert error_of(await refresh(client, second["refresh_token"]), 401)["code"] == (
        "invalid_refresh_token"
    )
    # Only that session is closed.
    assert (await refresh(client, other["refresh_token"])).status_code == 200


async def test_logout_with_a_token_that_is_not_a_refresh_token_is_refused(
    client: AsyncClient,
) -> None:
    pair = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    for token in (pair["access_token"], "garbage"):
        response = await client.post(LOGOUT, json={"refresh_token": token})
        assert error_of(response, 401)["code"] == "invalid_refresh_token"
    assert (await refresh(client, pair["refresh_token"])).status_code == 200


async def test_access_token_is_not_a_refresh_token(client: AsyncClient) -> None:
    pair = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    response = await refresh(client, pair["access_token"])
    assert error_of(response, 401)["code"] == "invalid_refresh_token"
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "body",
    [{}, {"refresh_token": ""}, {"refresh_token": "x" * 4097}, {"refresh_token": 42}],
    ids=["missing", "empty", "too-long", "not-a-string"],
)
async def test_refresh_validates_its_body(client: AsyncClient, body: dict[str, Any]) -> None:
    assert error_of(await client.post(REFRESH, json=body), 422)["code"] == "validation_error"


# --- key rotation -----------------------------------------------------------------------------


async def test_previous_keys_still_verify_after_rotation(
    client: AsyncClient, settings: Settings
) -> None:
    before = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)  # signed with TEST_SECRET (K1)
    spare = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert jwt.get_unverified_header(before["access_token"])["kid"] == key_id(TEST_SECRET)

    rotated = settings.model_copy(
        update={"secret_key": NEW_SECRET, "previous_secret_keys": TEST_SECRET}
    )
    async with running(rotated) as after:
        assert await me_status(after, before["access_token"]) == 200
        response = await refresh(after, before["refresh_token"])
        assert response.status_code == 200, response.text
        renewed = response.json()
        for token in (renewed["access_token"], renewed["refresh_token"]):
            assert jwt.get_unverified_header(token)["kid"] == key_id(NEW_SECRET)
        assert await me_status(after, renewed["access_token"]) == 200
    # The old app does not know the new key.
    assert await me_status(client, renewed["access_token"]) == 401

    only_new = settings.model_copy(update={"secret_key": NEW_SECRET, "previous_secret_keys": ""})
    async with running(only_new) as dropped:
        assert (
            error_of(await dropped.get(ME, headers=bearer(spare["access_token"])), 401)["code"]
            == "invalid_token"
        )
        assert error_of(await refresh(dropped, spare["refresh_token"]), 401)["code"] == (
            "invalid_refresh_token"
        )
        assert await me_status(dropped, renewed["access_token"]) == 200


# --- start-up ---------------------------------------------------------------------------------


async def admins(client: AsyncClient) -> list[dict[str, Any]]:
    pair = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    response = await client.get("/api/v1/users?role=admin", headers=bearer(pair["access_token"]))
    assert response.status_code == 200, response.text
    body = response.json()
    items: list[dict[str, Any]] = body["items"]
    assert body["total"] == len(items)
    return items


async def test_bootstrap_admin_is_created_once(client: AsyncClient, settings: Settings) -> None:
    first = await admins(client)
    assert [a["email"] for a in first] == [ADMIN_EMAIL]
    assert first[0]["role"] == "admin"

    async with running(settings) as restarted:  # same configuration, second start-up
        assert await admins(restarted) == first
    other = settings.model_copy(
        update={"admin_email": "second-admin@passerelle.eu", "admin_password": "another-pass-123"}
    )
    async with running(other) as restarted:  # an admin exists: no new one, whatever the config
        assert await admins(restarted) == first
        refused = await attempt(restarted, "second-admin@passerelle.eu", "another-pass-123")
        assert error_of(refused, 401)["code"] == "invalid_credentials"


@pytest.mark.parametrize(
    "secret",
    ["", "short", "x" * 31],
    ids=["empty", "short", "31-bytes"],
)
def test_production_refuses_a_weak_secret(secret: str) -> None:
    with pytest.raises(ConfigurationError, match="PASSERELLE_SECRET_KEY"):
        create_app(Settings(env="production", secret_key=secret))


@pytest.mark.usefixtures("application")
@pytest.mark.parametrize(
    ("env", "status"), [("production", 404), ("development", 200)], ids=["production", "dev"]
)
async def test_docs_are_served_in_development_only(
    settings: Settings, env: str, status: int
) -> None:
    async with running(settings.model_copy(update={"env": env})) as client:
        for path in ("/docs", "/redoc"):
            assert (await client.get(path)).status_code == status, path
        assert (await client.get("/healthz")).status_code == 200


async def test_a_new_password_ends_every_earlier_login(client: AsyncClient, api: Api) -> None:
    org = await api.organisation()
    teacher = await api.user("teacher", org["id"])
    tokens = await login(client, teacher.email)
    changed = await client.patch(
        f"/api/v1/users/{teacher.id}",
        json={"password": "another-long-password"},
        headers=teacher.headers,
    )
    assert changed.status_code == 200
    refused = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refused.status_code == 401
    assert (await login(client, teacher.email, "another-long-password"))["access_token"]
