"""Disabling after repeated failure (and telling the coordinators), replay, ping, rotating
the secret, and the address check at delivery."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.core.tables import utcnow
from tests.factories import Api
from tests.family_world import API, School, school
from tests.webhooks.conftest import DISABLE_AFTER, sender
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_session_events import deliveries, subscribe


def hook_path(where: School, hook: dict[str, Any]) -> str:
    return f"{API}/organisations/{where.id}/webhooks/{hook['id']}"


async def ping(client: AsyncClient, where: School, hook: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(
        f"{hook_path(where, hook)}/ping", headers=where.coordinator.headers
    )
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_repeated_failure_disables_the_webhook_and_tells_the_coordinators(
    client: AsyncClient, api: Api, application: FastAPI, receiver: Receiver
) -> None:
    lyon = await school(api, "FR", "Europe/Paris", "Lyon")
    hook = await subscribe(client, lyon, receiver.url)
    receiver.answers = [503] * 10
    await ping(client, lyon, hook)
    await ping(client, lyon, hook)
    now = utcnow()
    assert await sender(application).drain(now=now) == 0  # two failures
    assert await sender(application).drain(now=now + timedelta(minutes=1)) == 0  # the third
    assert len(receiver.requests) == DISABLE_AFTER
    read = (await client.get(hook_path(lyon, hook), headers=lyon.coordinator.headers)).json()
    assert (read["enabled"], read["disabled_reason"]) == (False, "failing")
    assert read["consecutive_failures"] == DISABLE_AFTER

    feed = await client.get(f"{API}/notifications", headers=lyon.coordinator.headers)
    notices = [n for n in feed.json()["items"] if n["event"] == "webhook.disabled"]
    assert len(notices) == 1
    assert notices[0]["data"]["webhook_id"] == hook["id"]
    assert receiver.url in notices[0]["body"]
    assert notices[0]["language"] == "fr"

    assert await sender(application).drain(now=now + timedelta(days=1)) == 0  # paused
    assert len(receiver.requests) == DISABLE_AFTER
    [queued, *_] = await deliveries(client, lyon, hook)
    refused = await client.post(
        f"{hook_path(lyon, hook)}/deliveries/{queued['id']}/replay",
        headers=lyon.coordinator.headers,
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "webhook_disabled"

    receiver.answers = []
    enabled = await client.patch(
        hook_path(lyon, hook), json={"enabled": True}, headers=lyon.coordinator.headers
    )
    assert enabled.json()["consecutive_failures"] == 0
    assert await sender(application).drain(now=now + timedelta(days=1)) == 2  # what waited
    assert {d["status"] for d in await deliveries(client, lyon, hook)} == {"delivered"}


async def test_replay_sends_the_same_event_again_and_rotation_changes_the_signature(
    client: AsyncClient, api: Api, application: FastAPI, receiver: Receiver
) -> None:
    lyon = await school(api, "FR", "Europe/Paris", "Lyon")
    hook = await subscribe(client, lyon, receiver.url, event_types=["session.ended"])
    queued = await ping(client, lyon, hook)  # whatever the event types
    assert queued["event_type"] == "webhook.ping"
    assert await sender(application).drain() == 1
    first = receiver.requests[0]
    assert first.verify(hook["secret"])["data"]["subscription_id"] == hook["id"]

    rotated = await client.post(
        f"{hook_path(lyon, hook)}/rotate-secret", headers=lyon.coordinator.headers
    )
    new_secret = rotated.json()["secret"]
    replayed = await client.post(
        f"{hook_path(lyon, hook)}/deliveries/{queued['id']}/replay",
        headers=lyon.coordinator.headers,
    )
    assert replayed.status_code == 202, replayed.text
    assert (replayed.json()["status"], replayed.json()["attempts"]) == ("pending", 0)
    assert await sender(application).drain() == 1
    again = receiver.requests[1]
    assert again.headers["webhook-id"] == first.headers["webhook-id"]
    assert again.body == first.body
    assert again.verifies_with(new_secret)
    assert not again.verifies_with(hook["secret"])  # the old secret no longer verifies
    [log] = await deliveries(client, lyon, hook)
    assert (log["status"], log["attempts"]) == ("delivered", 1)


@pytest.mark.parametrize(
    "host",
    ["localhost", "10.0.0.1", "169.254.169.254", "[::1]", "[::ffff:127.0.0.1]"],
)
async def test_a_url_is_checked_again_at_delivery(
    client: AsyncClient, api: Api, application: FastAPI, receiver: Receiver, host: str
) -> None:
    lyon = await school(api, "FR", "Europe/Paris", "Lyon")
    # accepted here (private URLs allowed), then sent by a production sender
    hook = await subscribe(client, lyon, f"https://{host}:{receiver.port}/hooks")
    await ping(client, lyon, hook)
    assert await sender(application, allow_private=False).drain() == 0
    assert receiver.requests == []
    [refused] = await deliveries(client, lyon, hook)
    assert refused["status"] == "pending"  # tried again later, like a network error
    assert refused["last_status_code"] is None
    assert refused["last_error"].startswith("refused: the host resolves to a non-public address")
