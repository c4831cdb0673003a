"""Guardian invitations through the API: single use, seven days, re-sent, revoked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

import app.routers.families
from tests.factories import Actor, Api, bearer, login
from tests.family_world import (
    API,
    School,
    columns_holding,
    error_code,
    guardian_of,
    learner,
    school,
)


async def invite(client: AsyncClient, learner_: Actor, email: str, as_: Actor) -> dict[str, Any]:
    response = await client.post(
        f"{API}/learners/{learner_.id}/guardian-invites", json={"email": email}, headers=as_.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def accept_path(token: str) -> str:
    return f"{API}/guardian-invites/{token}/accept"


NEW_GUARDIAN = {"display_name": "Anna Schmidt", "password": "a-long-family-password"}


async def guardian_ids(client: AsyncClient, learner_: Actor, as_: Actor) -> set[str]:
    response = await client.get(f"{API}/learners/{learner_.id}/guardians", headers=as_.headers)
    assert response.status_code == 200, response.text
    return {g["id"] for g in response.json()["items"]}


@pytest.fixture
async def de(api: Api) -> School:
    return await school(api, "DE", "Europe/Berlin")


async def test_invite_accept_creates_and_links_the_guardian(
    api: Api, client: AsyncClient, de: School, application: FastAPI
) -> None:
    lena = await learner(api, de, 14)
    created = await invite(client, lena, "Anna.Schmidt@Example.org", de.coordinator)

    assert set(created) >= {"invite_url", "token", "expires_at"}
    assert created["invite_url"] == f"http://test/invite/{created['token']}"  # the web page
    expires = datetime.fromisoformat(created["expires_at"])
    assert abs(expires - (datetime.now(UTC) + timedelta(days=7))) < timedelta(minutes=1)

    accepted = await client.post(accept_path(created["token"]), json=NEW_GUARDIAN)
    assert accepted.status_code == 201, accepted.text
    body = accepted.json()
    assert body["account_created"] is True
    assert body["learner_id"] == lena.id

    assert await guardian_ids(client, lena, de.coordinator) == {body["guardian_id"]}
    tokens = await login(client, "anna.schmidt@example.org", NEW_GUARDIAN["password"])
    me = (await client.get(f"{API}/users/me", headers=bearer(tokens["access_token"]))).json()
    assert me["role"] == "guardian"
    assert me["organisation_id"] is None
    consents = await client.get(
        f"{API}/learners/{lena.id}/consents", headers=bearer(tokens["access_token"])
    )
    assert consents.status_code == 200

    reused = await client.post(accept_path(created["token"]), json=NEW_GUARDIAN)
    assert reused.status_code == 409
    assert error_code(reused) == "invite_used"
    assert await guardian_ids(client, lena, de.coordinator) == {body["guardian_id"]}

    listed = await client.get(
        f"{API}/learners/{lena.id}/guardian-invites", headers=de.teacher.headers
    )
    assert [i["status"] for i in listed.json()["items"]] == ["accepted"]
    assert "token" not in listed.json()["items"][0]

    # Only the digest is stored: no column of any table holds the token.
    assert await columns_holding(application, created["token"]) == []


async def test_an_expired_invite_is_gone_and_changes_nothing(
    api: Api, client: AsyncClient, de: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    lena = await learner(api, de, 14)
    created = await invite(client, lena, "late@example.org", de.teacher)

    later = datetime.now(UTC) + timedelta(days=7, seconds=1)
    monkeypatch.setattr(app.routers.families, "utcnow", lambda: later)
    expired = await client.post(accept_path(created["token"]), json=NEW_GUARDIAN)
    monkeypatch.undo()

    assert expired.status_code == 410
    assert error_code(expired) == "invite_expired"
    assert await guardian_ids(client, lena, de.coordinator) == set()
    refused = await client.post(
        f"{API}/auth/token",
        data={"username": "late@example.org", "password": NEW_GUARDIAN["password"]},
    )
    assert refused.status_code == 401
    listed = await client.get(
        f"{API}/learners/{lena.id}/guardian-invites", headers=de.coordinator.headers
    )
    assert listed.json()["items"][0]["status"] == "open"  # still open for another second


async def test_resending_and_revoking(api: Api, client: AsyncClient, de: School) -> None:
    lena = await learner(api, de, 14)
    first = await invite(client, lena, "papa@example.org", de.coordinator)
    second = await invite(client, lena, "papa@example.org", de.teacher)
    other = await invite(client, lena, "mama@example.org", de.teacher)

    old = await client.post(accept_path(first["token"]), json=NEW_GUARDIAN)
    assert old.status_code == 410
    assert error_code(old) == "invite_revoked"

    revoked = await client.delete(
        f"{API}/guardian-invites/{other['id']}", headers=de.coordinator.headers
    )
    assert revoked.status_code == 204
    again = await client.delete(
        f"{API}/guardian-invites/{other['id']}", headers=de.coordinator.headers
    )
    assert again.status_code == 204
    gone = await client.post(accept_path(other["token"]), json=NEW_GUARDIAN)
    assert gone.status_code == 410
    assert error_code(gone) == "invite_revoked"

    accepted = await client.post(accept_path(second["token"]), json=NEW_GUARDIAN)
    assert accepted.status_code == 201, accepted.text
    used = await client.delete(
        f"{API}/guardian-invites/{second['id']}", headers=de.coordinator.headers
    )
    assert used.status_code == 409
    assert error_code(used) == "invite_used"

    listed = await client.get(
        f"{API}/learners/{lena.id}/guardian-invites", headers=de.coordinator.headers
    )
    assert listed.json()["total"] == len(listed.json()["items"])
    statuses = {(i["email"], i["status"]) for i in listed.json()["items"]}
    assert statuses == {
        ("papa@example.org", "revoked"),
        ("papa@example.org", "accepted"),
        ("mama@example.org", "revoked"),
    }

    unknown = await client.post(accept_path("not-a-real-token"), json=NEW_GUARDIAN)
    assert unknown.status_code == 404


async def test_an_existing_guardian_logs_in_to_accept(
    api: Api, client: AsyncClient, de: School
) -> None:
    lena, ben = await learner(api, de, 14), await learner(api, de, 12)
    parent = await guardian_of(api, lena)
    stranger = await api.user("guardian", None)
    created = await invite(client, ben, parent.email, de.coordinator)
    path = accept_path(created["token"])

    anonymous = await client.post(path, json={})
    assert anonymous.status_code == 401
    assert error_code(anonymous) == "login_required"
    wrong = await client.post(path, json={}, headers=stranger.headers)
    assert wrong.status_code == 403
    assert error_code(wrong) == "invite_for_another_account"

    linked = await client.post(path, json={}, headers=parent.headers)
    assert linked.status_code == 200, linked.text
    assert linked.json() == {
        "guardian_id": parent.id,
        "learner_id": ben.id,
        "account_created": False,
    }
    assert await guardian_ids(client, ben, de.coordinator) == {parent.id}
    already = await client.post(
        f"{API}/learners/{ben.id}/guardian-invites",
        json={"email": parent.email},
        headers=de.coordinator.headers,
    )
    assert already.status_code == 409
    assert error_code(already) == "already_linked"


async def test_two_guardians_at_most_and_nothing_half_done(
    api: Api, client: AsyncClient, de: School
) -> None:
    lena = await learner(api, de, 14)
    await guardian_of(api, lena)
    created = await invite(client, lena, "third@example.org", de.coordinator)
    await guardian_of(api, lena)  # the second guardian arrives while the invite is open

    full = await client.post(accept_path(created["token"]), json=NEW_GUARDIAN)
    assert full.status_code == 409
    assert error_code(full) == "too_many_guardians"
    assert len(await guardian_ids(client, lena, de.coordinator)) == 2
    refused = await client.post(
        f"{API}/auth/token",
        data={"username": "third@example.org", "password": NEW_GUARDIAN["password"]},
    )
    assert refused.status_code == 401  # no account was left behind

    no_more = await client.post(
        f"{API}/learners/{lena.id}/guardian-invites",
        json={"email": "fourth@example.org"},
        headers=de.coordinator.headers,
    )
    assert no_more.status_code == 409
    assert error_code(no_more) == "too_many_guardians"


async def test_bad_accept_input_leaves_the_invite_usable(
    api: Api, client: AsyncClient, de: School
) -> None:
    lena = await learner(api, de, 14)
    created = await invite(client, lena, "new@example.org", de.coordinator)
    path = accept_path(created["token"])

    short = await client.post(path, json={"display_name": "N", "password": "short"})
    assert short.status_code == 422
    missing = await client.post(path, json={"display_name": "Nina"})
    assert missing.status_code == 422
    assert missing.json()["error"]["details"][0]["field"] == "body.password"
    extra = await client.post(path, json=NEW_GUARDIAN | {"role": "admin"})
    assert extra.status_code == 422

    accepted = await client.post(path, json=NEW_GUARDIAN)
    assert accepted.status_code == 201


async def test_who_may_invite(api: Api, client: AsyncClient, de: School) -> None:
    fr = await school(api, "FR", "Europe/Paris")
    await api.network([de.id, fr.id])
    lena = await learner(api, de, 14)
    parent = await guardian_of(api, lena)
    path = f"{API}/learners/{lena.id}/guardian-invites"
    body = {"email": "someone@example.org"}

    for allowed in (de.coordinator, de.teacher, api.admin):
        response = await client.post(path, json=body, headers=allowed.headers)
        assert response.status_code == 201, (allowed.role, response.text)
    for refused in (lena, parent):
        response = await client.post(path, json=body, headers=refused.headers)
        assert response.status_code == 403, (refused.role, response.text)
    for outsider in (fr.coordinator, fr.teacher):
        response = await client.post(path, json=body, headers=outsider.headers)
        assert response.status_code == 404
        assert (await client.get(path, headers=outsider.headers)).status_code == 404
    created = await invite(client, lena, "x@example.org", de.teacher)
    foreign = await client.delete(
        f"{API}/guardian-invites/{created['id']}", headers=fr.coordinator.headers
    )
    assert foreign.status_code == 404
    staff_address = await client.post(
        path, json={"email": de.teacher.email}, headers=de.teacher.headers
    )
    assert staff_address.status_code == 409
    assert error_code(staff_address) == "email_taken"
    assert (
        await client.post(path, json={"email": "not-an-address"}, headers=de.teacher.headers)
    ).status_code == 422
