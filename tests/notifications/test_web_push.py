"""Web Push: subscriptions through the API, and notifications pushed to a stand-in push
service, encrypted for the subscribing browser (RFC 8291) and signed with VAPID (RFC 8292)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update

from app.core.settings import Settings
from app.factory import create_app
from app.notifications import push
from app.notifications.push_sender import PushSender
from app.notifications.tables import PushDelivery
from tests.factories import Actor, Api
from tests.family_world import API, error_code, exchange_between, school
from tests.notifications.push_service import Browser, PushService, VapidKeys, vapid_keys

SUBJECT = "mailto:ops@passerelle.example"


@pytest.fixture(scope="module")
def keys() -> VapidKeys:
    return vapid_keys()


@pytest.fixture
def service() -> Iterator[PushService]:
    running = PushService()
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def settings(settings: Settings, keys: VapidKeys) -> Settings:
    # The lifespan's own sender polls once an hour here: each test drains explicitly.
    return settings.model_copy(
        update={
            "vapid_private_key": keys.private,
            "vapid_public_key": keys.public,
            "vapid_subject": SUBJECT,
            "push_poll_seconds": 3600.0,
        }
    )


def sender(application: FastAPI) -> PushSender:
    """A fresh sender, as another process would start one."""
    return PushSender(application.state.ctx.db_factory, push.current())


async def subscribe(
    client: AsyncClient, actor: Actor, browser: Browser, endpoint: str, status: int = 201
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/push-subscriptions", json=browser.subscription(endpoint), headers=actor.headers
    )
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def own(client: AsyncClient, actor: Actor) -> dict[str, Any]:
    response = await client.get(f"{API}/push-subscriptions", headers=actor.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_thread_message_is_pushed_encrypted_to_the_partners_browser(
    api: Api, client: AsyncClient, application: FastAPI, service: PushService, keys: VapidKeys
) -> None:
    fr = await school(api, "FR", "Europe/Paris", city="Lyon")
    it = await school(api, "IT", "Europe/Rome", city="Bologna")
    exchange = await exchange_between(client, api, [fr, it], [[], []])
    key = await client.get(f"{API}/push-subscriptions/vapid-public-key", headers=it.teacher.headers)
    assert key.status_code == 200, key.text
    assert key.json() == {"public_key": keys.public}
    browser = Browser()
    await subscribe(client, it.teacher, browser, service.endpoint("giulia"))

    posted = await client.post(
        f"{API}/exchanges/{exchange.id}/messages",
        json={"text": "Shall we meet on Tuesday?"},
        headers=fr.teacher.headers,
    )
    assert posted.status_code == 201, posted.text
    assert await sender(application).drain() == 1
    assert await sender(application).drain() == 0  # once

    (received,) = service.received
    assert received.path == "/push/giulia"
    assert received.headers["content-encoding"] == "aes128gcm"
    assert int(received.headers["ttl"]) > 0
    payload = browser.decrypt(received.body)
    feed = await client.get(f"{API}/notifications", headers=it.teacher.headers)
    notice = next(n for n in feed.json()["items"] if n["event"] == "exchange.message")
    assert payload == {
        "id": notice["id"],
        "event": "exchange.message",
        "title": notice["title"],
        "body": notice["body"],
        "data": {"exchange_id": exchange.id, "message_id": posted.json()["id"]},
        "created_at": notice["created_at"],
    }
    assert payload["title"].startswith("Nuovo messaggio da ")  # the reader's language
    assert "Shall we meet" not in received.body.decode("latin-1")
    # VAPID: signed by the configured key, for the push service's origin
    scheme, _, params = received.headers["authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == keys.public
    claims = jwt.decode(
        fields["t"], keys.key.public_key(), algorithms=["ES256"], audience=service.origin
    )
    assert claims["sub"] == SUBJECT
    # the author, who has no subscription, and nobody else got anything
    assert len(service.received) == 1


async def test_a_session_change_reaches_every_subscribed_browser_of_the_recipient(
    api: Api, client: AsyncClient, application: FastAPI, service: PushService
) -> None:
    fr = await school(api, "FR", "Europe/Paris")
    de = await school(api, "DE", "Europe/Berlin")
    exchange = await exchange_between(client, api, [fr, de], [[], []])
    phone, laptop = Browser(), Browser()
    await subscribe(client, de.teacher, phone, service.endpoint("phone"))
    await subscribe(client, de.teacher, laptop, service.endpoint("laptop"))
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    created = await client.post(
        f"{API}/exchanges/{exchange.id}/sessions",
        json={"title": "Regional menus", "starts_at": starts.isoformat(), "duration_minutes": 60},
        headers=fr.teacher.headers,
    )
    assert created.status_code == 201, created.text
    assert await sender(application).drain() == 2
    by_path = {r.path: r for r in service.received}
    for name, browser in (("phone", phone), ("laptop", laptop)):
        payload = browser.decrypt(by_path[f"/push/{name}"].body)
        assert payload["event"] == "session.scheduled"
        assert "Regional menus" in payload["title"]
        assert payload["data"]["session_ids"] == [created.json()["id"]]


async def test_a_gone_subscription_is_removed_and_a_failure_is_retried(
    api: Api, client: AsyncClient, application: FastAPI, service: PushService
) -> None:
    fr = await school(api, "FR", "Europe/Paris")
    it = await school(api, "IT", "Europe/Rome")
    exchange = await exchange_between(client, api, [fr, it], [[], []])
    gone, flaky = Browser(), Browser()
    await subscribe(client, it.teacher, gone, service.endpoint("gone"))
    kept = await subscribe(client, it.teacher, flaky, service.endpoint("flaky"))
    service.status["/push/gone"] = 410
    service.status["/push/flaky"] = 503

    posted = await client.post(
        f"{API}/exchanges/{exchange.id}/messages", json={"text": "Hi"}, headers=fr.teacher.headers
    )
    assert posted.status_code == 201, posted.text
    assert await sender(application).drain() == 0
    assert {r.path for r in service.received} == {"/push/gone", "/push/flaky"}
    listed = await own(client, it.teacher)
    assert [s["id"] for s in listed["items"]] == [kept["id"]]  # 410: gone for good
    assert listed["total"] == 1
    assert await sender(application).drain() == 0  # the failed one waits for its backoff

    service.status["/push/flaky"] = 201
    async with application.state.ctx.db_factory() as db:  # the backoff has passed
        await db.execute(update(PushDelivery).values(next_attempt_at=datetime.now(UTC)))
        await db.commit()
    assert await sender(application).drain() == 1
    retried = [r for r in service.received if r.path == "/push/flaky"]
    assert len(retried) == 2
    assert flaky.decrypt(retried[-1].body)["event"] == "exchange.message"
    assert len([r for r in service.received if r.path == "/push/gone"]) == 1


async def test_subscriptions_are_idempotent_per_endpoint_and_private(
    api: Api, client: AsyncClient, service: PushService
) -> None:
    fr = await school(api, "FR", "Europe/Paris")
    browser = Browser()
    endpoint = service.endpoint("shared-laptop")
    first = await subscribe(client, fr.teacher, browser, endpoint)
    assert first["endpoint"] == endpoint
    assert first["created_at"].endswith("Z")
    assert set(first) == {"id", "endpoint", "created_at"}  # the keys are never answered
    again = await subscribe(client, fr.teacher, browser, endpoint, status=200)
    assert again["id"] == first["id"]
    assert (await own(client, fr.teacher))["total"] == 1

    # another person logs in on the same browser: the endpoint is theirs now
    moved = await subscribe(client, fr.coordinator, Browser(), endpoint, status=200)
    assert moved["id"] == first["id"]
    assert (await own(client, fr.teacher)) == {"items": [], "total": 0}
    refused = await client.delete(
        f"{API}/push-subscriptions/{first['id']}", headers=fr.teacher.headers
    )
    assert refused.status_code == 404
    assert error_code(refused) == "not_found"
    removed = await client.delete(
        f"{API}/push-subscriptions/{first['id']}", headers=fr.coordinator.headers
    )
    assert removed.status_code == 204
    assert (await own(client, fr.coordinator))["total"] == 0


def _malformed(case: str) -> dict[str, Any]:
    body = Browser().subscription("https://push.example/abc")
    keys = body["keys"]
    changes: dict[str, dict[str, Any]] = {
        "endpoint not a URL": {"endpoint": "not a url"},
        "endpoint not http(s)": {"endpoint": "ftp://push.example/x"},
        "p256dh not a point": {"keys": keys | {"p256dh": "A" * 87}},
        "auth too short": {"keys": keys | {"auth": "c2hvcnQ"}},
        "auth missing": {"keys": {"p256dh": keys["p256dh"]}},
        "unknown field": {"unknown": 1},
    }
    return body | changes[case]


async def test_an_endpoint_taken_over_gets_nothing_queued_for_its_last_owner(
    api: Api, client: AsyncClient, application: FastAPI, service: PushService
) -> None:
    fr = await school(api, "FR", "Europe/Paris")
    it = await school(api, "IT", "Europe/Rome")
    exchange = await exchange_between(client, api, [fr, it], [[], []])
    endpoint = service.endpoint("staff-room-pc")
    await subscribe(client, it.teacher, Browser(), endpoint)
    posted = await client.post(
        f"{API}/exchanges/{exchange.id}/messages", json={"text": "Hi"}, headers=fr.teacher.headers
    )
    assert posted.status_code == 201, posted.text
    # before the sender runs, a colleague logs in on the same browser
    newcomer = Browser()
    await subscribe(client, it.coordinator, newcomer, endpoint, status=200)
    assert await sender(application).drain() == 0
    assert service.received == []  # nothing of the teacher's reaches the colleague

    again = await client.post(
        f"{API}/exchanges/{exchange.id}/messages", json={"text": "Hi?"}, headers=fr.teacher.headers
    )
    assert again.status_code == 201, again.text
    assert await sender(application).drain() == 1
    (received,) = service.received
    payload = newcomer.decrypt(received.body)
    assert payload["data"]["message_id"] == again.json()["id"]
    feed = await client.get(f"{API}/notifications", headers=it.coordinator.headers)
    message_id = again.json()["id"]
    ids = [n["id"] for n in feed.json()["items"] if n["data"].get("message_id") == message_id]
    assert ids == [payload["id"]]  # the colleague's own notification


async def test_a_public_key_that_is_not_the_private_keys_stops_the_start(
    settings: Settings,
) -> None:
    wrong = settings.model_copy(update={"vapid_public_key": vapid_keys().public})
    with pytest.raises(ValueError, match="PASSERELLE_VAPID_PUBLIC_KEY"):
        async with LifespanManager(create_app(wrong)):
            pass


@pytest.mark.parametrize(
    "case",
    [
        "endpoint not a URL",
        "endpoint not http(s)",
        "p256dh not a point",
        "auth too short",
        "auth missing",
        "unknown field",
    ],
)
async def test_a_malformed_subscription_is_refused_clearly(
    api: Api, client: AsyncClient, case: str
) -> None:
    teacher = await api.user("teacher", (await api.organisation())["id"])
    response = await client.post(
        f"{API}/push-subscriptions", json=_malformed(case), headers=teacher.headers
    )
    assert response.status_code == 422, response.text
    assert error_code(response) == "validation_error"
    assert (await own(client, teacher))["total"] == 0


class TestWithoutVapidKeys:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.model_copy(
            update={"vapid_private_key": None, "vapid_public_key": None, "vapid_subject": None}
        )

    async def test_every_push_endpoint_answers_push_disabled(
        self, api: Api, client: AsyncClient
    ) -> None:
        teacher = await api.user("teacher", (await api.organisation())["id"])
        calls = [
            ("GET", "/push-subscriptions/vapid-public-key", None),
            ("GET", "/push-subscriptions", None),
            ("POST", "/push-subscriptions", Browser().subscription("https://push.example/a")),
            ("DELETE", "/push-subscriptions/00000000-0000-4000-8000-000000000000", None),
        ]
        for method, path, body in calls:
            response = await client.request(
                method,
                API + path,
                json=body,
                headers=teacher.headers | {"Accept-Language": "fr"},
            )
            assert response.status_code == 404, (path, response.text)
            error = response.json()["error"]
            assert error["code"] == "push_disabled"
            assert error["message"] == (
                "Les notifications Web Push ne sont pas configurées sur ce serveur."
            )
