"""Session events through the public API, delivered to a real receiver, signed (Standard
Webhooks), retried with backoff, and logged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from app.core.tables import utcnow
from tests.factories import Api
from tests.family_world import API, Exchange, School, exchange_between, learner, schedule, school
from tests.webhooks.conftest import sender
from tests.webhooks.receiver import Receiver


async def subscribe(client: AsyncClient, where: School, url: str, **body: Any) -> dict[str, Any]:
    response = await client.post(
        f"{API}/organisations/{where.id}/webhooks",
        json={"url": url, **body},
        headers=where.coordinator.headers,
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def deliveries(client: AsyncClient, where: School, hook: dict[str, Any]) -> list[Any]:
    response = await client.get(
        f"{API}/organisations/{where.id}/webhooks/{hook['id']}/deliveries",
        headers=where.coordinator.headers,
    )
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()["items"]
    return items


async def two_schools(client: AsyncClient, api: Api) -> Exchange:
    lyon = await school(api, "FR", "Europe/Paris", "Lyon")
    bologna = await school(api, "IT", "Europe/Rome", "Bologna")
    return await exchange_between(
        client,
        api,
        [lyon, bologna],
        [[await learner(api, lyon, 16)], [await learner(api, bologna, 16)]],
    )


def next_week() -> datetime:
    return (datetime.now(UTC) + timedelta(days=7)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )


async def test_scheduled_changed_and_cancelled_sessions_reach_each_school_signed(
    client: AsyncClient, api: Api, application: FastAPI, receiver: Receiver
) -> None:
    exchange = await two_schools(client, api)
    lyon, bologna = exchange.schools
    mine = await subscribe(client, lyon, receiver.url)
    theirs = await subscribe(client, bologna, receiver.url, event_types=["session.cancelled"])

    session = await schedule(client, exchange, next_week())
    assert await sender(application).drain() == 1
    scheduled = receiver.requests[-1].verify(mine["secret"])
    assert scheduled["type"] == "session.scheduled"
    assert scheduled["data"]["session"]["id"] == session["id"]
    assert scheduled["data"]["session"]["starts_at"] == session["starts_at"]
    assert scheduled["data"]["class_ids"] == [exchange.classes[0]["id"]]
    assert not receiver.requests[-1].verifies_with(theirs["secret"])

    moved = await client.patch(
        f"{API}/sessions/{session['id']}",
        json={"starts_at": (next_week() + timedelta(hours=1)).isoformat()},
        headers=lyon.teacher.headers,
    )
    assert moved.status_code == 200, moved.text
    assert await sender(application).drain() == 1
    changed = receiver.requests[-1].verify(mine["secret"])
    assert changed["type"] == "session.changed"
    assert changed["data"]["session"]["starts_at"] == moved.json()["starts_at"]

    cancelled = await client.post(
        f"{API}/sessions/{session['id']}/cancel",
        json={"reason": "Strike"},
        headers=lyon.teacher.headers,
    )
    assert cancelled.status_code == 200, cancelled.text
    assert await sender(application).drain() == 2
    bodies = {r.headers["webhook-id"]: r for r in receiver.requests[-2:]}
    verified = [
        r.verify(mine["secret"]) if r.verifies_with(mine["secret"]) else r.verify(theirs["secret"])
        for r in bodies.values()
    ]
    assert {v["type"] for v in verified} == {"session.cancelled"}
    assert {v["data"]["reason"] for v in verified} == {"Strike"}
    assert sorted(v["data"]["class_ids"][0] for v in verified) == sorted(
        c["id"] for c in exchange.classes
    )
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 4
    log = await deliveries(client, lyon, mine)
    assert [d["event_type"] for d in log] == [
        "session.cancelled",
        "session.changed",
        "session.scheduled",
    ]
    assert all(d["status"] == "delivered" and d["attempts"] == 1 for d in log)
    assert all(d["last_status_code"] == 200 and d["next_attempt_at"] is None for d in log)


async def test_a_failing_receiver_is_retried_with_backoff_and_the_same_webhook_id(
    client: AsyncClient, api: Api, application: FastAPI, receiver: Receiver
) -> None:
    exchange = await two_schools(client, api)
    lyon = exchange.schools[0]
    hook = await subscribe(client, lyon, receiver.url)
    receiver.answers = [500, 429]
    await schedule(client, exchange, next_week())
    now = utcnow()
    registry = application.state.ctx.metrics.registry

    def counted(outcome: str) -> float:
        found = registry.get_sample_value(
            "passerelle_webhook_deliveries_total", {"outcome": outcome}
        )
        return found or 0.0

    before = {o: counted(o) for o in ("retry", "delivered")}

    assert await sender(application).drain(now=now) == 0
    [first] = await deliveries(client, lyon, hook)
    assert (first["status"], first["attempts"], first["last_status_code"]) == ("pending", 1, 500)
    assert first["last_error"] == "answered 500"
    due = datetime.fromisoformat(first["next_attempt_at"])
    assert due == now + timedelta(minutes=1)
    assert await sender(application).drain(now=now + timedelta(seconds=30)) == 0  # not yet due

    assert await sender(application).drain(now=due) == 0  # 429: again, after two minutes
    [second] = await deliveries(client, lyon, hook)
    assert (second["attempts"], second["last_status_code"]) == (2, 429)
    assert datetime.fromisoformat(second["next_attempt_at"]) == due + timedelta(minutes=2)

    assert await sender(application).drain(now=due + timedelta(minutes=2)) == 1
    assert await sender(application).drain(now=due + timedelta(hours=1)) == 0  # once
    assert len(receiver.requests) == 3
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1
    assert all(r.verifies_with(hook["secret"]) for r in receiver.requests)
    assert counted("retry") - before["retry"] == 2
    assert counted("delivered") - before["delivered"] == 1
    [done] = await deliveries(client, lyon, hook)
    assert (done["status"], done["attempts"], done["last_status_code"]) == ("delivered", 3, 200)
    assert done["delivered_at"] is not None


async def test_a_client_error_is_a_permanent_failure(
    client: AsyncClient, api: Api, application: FastAPI, receiver: Receiver
) -> None:
    exchange = await two_schools(client, api)
    lyon = exchange.schools[0]
    hook = await subscribe(client, lyon, receiver.url)
    receiver.answers = [410]
    await schedule(client, exchange, next_week())
    assert await sender(application).drain() == 0
    assert await sender(application).drain(now=utcnow() + timedelta(days=1)) == 0
    assert len(receiver.requests) == 1
    [failed] = await deliveries(client, lyon, hook)
    assert (failed["status"], failed["attempts"], failed["last_status_code"]) == ("failed", 1, 410)
    assert failed["next_attempt_at"] is None
