"""Subscriptions through the API, with production's URL rules (no private URLs): what is
refused at subscription, the secret shown once, and who may manage them."""

from __future__ import annotations

import pytest

from app.core.settings import Settings
from tests.factories import Api

API = "/api/v1"
PUBLIC_URL = "https://93.184.215.14/passerelle/hooks"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"webhook_allow_private_urls": False})


async def _school(api: Api) -> tuple[str, dict[str, str]]:
    org = await api.organisation()
    coordinator = await api.user("coordinator", org["id"])
    return org["id"], coordinator.headers


@pytest.mark.parametrize(
    "url",
    [
        "https://localhost/hooks",
        "https://10.0.0.1/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://[fe80::1]/hooks",
        "http://93.184.215.14/hooks",
        "https://user:secret@93.184.215.14/hooks",
    ],
)
async def test_a_url_that_may_not_receive_webhooks_is_refused(api: Api, url: str) -> None:
    org_id, headers = await _school(api)
    response = await api.client.post(
        f"{API}/organisations/{org_id}/webhooks", json={"url": url}, headers=headers
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "webhook_url_refused"
    assert error["details"][0]["field"] == "body.url"
    listed = await api.client.get(f"{API}/organisations/{org_id}/webhooks", headers=headers)
    assert listed.json()["total"] == 0


async def test_changing_the_url_is_checked_too(api: Api) -> None:
    org_id, headers = await _school(api)
    created = await api.client.post(
        f"{API}/organisations/{org_id}/webhooks", json={"url": PUBLIC_URL}, headers=headers
    )
    one = f"{API}/organisations/{org_id}/webhooks/{created.json()['id']}"
    refused = await api.client.patch(one, json={"url": "https://169.254.169.254/"}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "webhook_url_refused"
    assert (await api.client.get(one, headers=headers)).json()["url"] == PUBLIC_URL


async def test_the_secret_is_shown_at_creation_and_rotation_only(api: Api) -> None:
    org_id, headers = await _school(api)
    created = await api.client.post(
        f"{API}/organisations/{org_id}/webhooks",
        json={"url": PUBLIC_URL, "event_types": ["session.ended", "session.ended"]},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["event_types"] == ["session.ended"]
    assert body["enabled"] is True
    one = f"{API}/organisations/{org_id}/webhooks/{body['id']}"
    read = (await api.client.get(one, headers=headers)).json()
    listed = (
        await api.client.get(f"{API}/organisations/{org_id}/webhooks", headers=headers)
    ).json()
    assert "secret" not in read
    assert all("secret" not in item for item in listed["items"])
    rotated = await api.client.post(f"{one}/rotate-secret", headers=headers)
    assert rotated.status_code == 200
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != body["secret"]


async def test_an_unknown_event_type_is_refused(api: Api) -> None:
    org_id, headers = await _school(api)
    response = await api.client.post(
        f"{API}/organisations/{org_id}/webhooks",
        json={"url": PUBLIC_URL, "event_types": ["learner.birthday"]},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_another_schools_coordinator_sees_nothing(api: Api) -> None:
    org_id, headers = await _school(api)
    _, stranger = await _school(api)
    created = await api.client.post(
        f"{API}/organisations/{org_id}/webhooks", json={"url": PUBLIC_URL}, headers=headers
    )
    one = f"{API}/organisations/{org_id}/webhooks/{created.json()['id']}"
    for method, path in [
        ("GET", f"{API}/organisations/{org_id}/webhooks"),
        ("GET", one),
        ("PATCH", one),
        ("DELETE", one),
        ("POST", f"{one}/rotate-secret"),
        ("GET", f"{one}/deliveries"),
    ]:
        body = {"enabled": False} if method == "PATCH" else None
        response = await api.client.request(method, path, json=body, headers=stranger)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["error"]["code"] == "not_found"
    assert (await api.client.get(one, headers=headers)).json()["enabled"] is True
