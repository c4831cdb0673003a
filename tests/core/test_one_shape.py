"""One error shape and one list shape everywhere, and instants written one way (UTC, `Z`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from httpx import AsyncClient

from tests.factories import Api
from tests.family_world import API, exchange_between, guardian_of, learner, schedule, school


async def test_a_refused_preflight_answers_in_the_error_shape(client: AsyncClient) -> None:
    refused = await client.options(
        f"{API}/users/me",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/json"
    error = refused.json()["error"]
    assert error["code"] == "cors_refused"
    assert error["details"] == [{"field": "origin", "message": "not allowed"}]
    assert "access-control-allow-origin" not in refused.headers


async def test_guardian_lists_are_pages(api: Api, client: AsyncClient) -> None:
    de = await school(api, "DE", "Europe/Berlin")
    lena = await learner(api, de, 14)
    await guardian_of(api, lena)
    for path in ("guardians", "guardian-invites"):
        listed = await client.get(
            f"{API}/learners/{lena.id}/{path}", headers=de.coordinator.headers
        )
        assert listed.status_code == 200, listed.text
        body = listed.json()
        assert set(body) == {"items", "total"}, path
        assert body["total"] == len(body["items"])
    guardians = await client.get(
        f"{API}/learners/{lena.id}/guardians", headers=de.coordinator.headers
    )
    assert guardians.json()["total"] == 1


async def test_instants_in_notification_data_and_conflicts_end_in_z(
    api: Api, client: AsyncClient
) -> None:
    fr = await school(api, "FR", "Europe/Paris")
    it = await school(api, "IT", "Europe/Rome")
    camille = await learner(api, fr, 17)
    exchange = await exchange_between(client, api, [fr, it], [[camille], []])
    start = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    await schedule(client, exchange, start)
    feed = await client.get(f"{API}/notifications", headers=camille.headers)
    scheduled = [n for n in feed.json()["items"] if n["event"] == "session.scheduled"]
    assert scheduled, feed.json()
    assert scheduled[0]["data"]["starts_at"].endswith("Z")
    assert datetime.fromisoformat(scheduled[0]["data"]["starts_at"]) == start

    clash = await client.post(
        f"{API}/exchanges/{exchange.id}/sessions",
        json={"title": "Again", "starts_at": start.isoformat(), "duration_minutes": 60},
        headers=it.teacher.headers,
    )
    assert clash.status_code == 409, clash.text
    for detail in clash.json()["error"]["details"]:
        assert detail["starts_at"].endswith("Z")
        assert detail["ends_at"].endswith("Z")
