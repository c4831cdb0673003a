"""The guardian's family view through the API."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from httpx import AsyncClient

from tests.factories import Api
from tests.family_world import (
    API,
    error_code,
    exchange_between,
    guardian_of,
    learner,
    schedule,
    school,
)


async def test_a_guardian_sees_each_learners_sessions_partners_and_consents(
    api: Api, client: AsyncClient
) -> None:
    de = await school(api, "DE", "Europe/Berlin", city="Köln")
    fr = await school(api, "FR", "Europe/Paris", city="Lyon")
    lena = await learner(api, de, 14, display_name="Lena Vogelsang")
    ben = await learner(api, de, 17, display_name="Ben Vogelsang")
    camille = await learner(api, fr, 16, display_name="Camille Durand")
    petra = await guardian_of(api, lena)
    linked = await client.post(
        f"{API}/learners/{ben.id}/guardians",
        json={"guardian_id": petra.id},
        headers=de.coordinator.headers,
    )
    assert linked.status_code == 201
    exchange = await exchange_between(client, api, [de, fr], [[lena], [camille]])
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=5)
    kept = await schedule(client, exchange, start, title="Kitchen tour")
    dropped = await schedule(client, exchange, start + timedelta(days=1), title="Dropped")
    cancelled = await client.post(
        f"{API}/sessions/{dropped['id']}/cancel",
        json={"reason": "holiday"},
        headers=de.teacher.headers,
    )
    assert cancelled.status_code == 200

    response = await client.get(f"{API}/family", headers=petra.headers)

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["display_name"] for i in items] == ["Ben Vogelsang", "Lena Vogelsang"]
    ben_entry, lena_entry = items
    assert ben_entry["upcoming_sessions"] == []
    assert ben_entry["guardian_required"] is False
    assert all(not c["may_give"] for c in ben_entry["consents"])  # Ben decides himself

    assert lena_entry["school"]["country"] == "DE"
    assert lena_entry["timezone"] == "Europe/Berlin"
    assert lena_entry["guardian_required"] is True
    assert lena_entry["consent_age"] == 16
    assert lena_entry["partner_schools"] == [
        {"organisation_id": fr.id, "name": fr.org["name"], "country": "FR"}
    ]
    [upcoming] = lena_entry["upcoming_sessions"]
    assert upcoming["id"] == kept["id"]
    assert upcoming["partner_schools"] == lena_entry["partner_schools"]
    local = datetime.fromisoformat(upcoming["local_starts_at"])
    assert local == start
    assert local.utcoffset() == start.astimezone(ZoneInfo("Europe/Berlin")).utcoffset()
    live = next(c for c in lena_entry["consents"] if c["purpose"] == "live_sessions")
    assert live["effective"] is False
    assert live["links"]["give"]["href"] == f"{API}/learners/{lena.id}/consents"

    # Partner schools appear by name and country only: nothing about their people.
    text = json.dumps(response.json())
    for secret in ("Camille Durand", camille.email, fr.teacher.email, "birth", "@"):
        assert secret not in text

    in_new_york = await client.get(
        f"{API}/family", params={"timezone": "America/New_York"}, headers=petra.headers
    )
    assert in_new_york.status_code == 200
    [session_ny] = in_new_york.json()["items"][1]["upcoming_sessions"]
    local_ny = datetime.fromisoformat(session_ny["local_starts_at"])
    assert local_ny == start
    assert local_ny.utcoffset() == start.astimezone(ZoneInfo("America/New_York")).utcoffset()


async def test_only_guardians_have_a_family_view(api: Api, client: AsyncClient) -> None:
    de = await school(api, "DE", "Europe/Berlin")
    lena = await learner(api, de, 14)
    lonely = await api.user("guardian", None)

    assert (await client.get(f"{API}/family", headers=lonely.headers)).json() == {"items": []}
    for refused in (lena, de.teacher, de.coordinator, api.admin):
        response = await client.get(f"{API}/family", headers=refused.headers)
        assert response.status_code == 403
        assert error_code(response) == "forbidden"
    bad_zone = await client.get(
        f"{API}/family", params={"timezone": "Mars/Olympus"}, headers=lonely.headers
    )
    assert bad_zone.status_code == 422
    assert (await client.get(f"{API}/family")).status_code == 401


async def test_a_guardians_calendar_feed_holds_their_learners_sessions(
    api: Api, client: AsyncClient
) -> None:
    it = await school(api, "IT", "Europe/Rome")
    es = await school(api, "ES", "Europe/Madrid")
    giulia = await learner(api, it, 15)
    other = await learner(api, it, 15)
    nonna = await guardian_of(api, giulia)
    exchange = await exchange_between(client, api, [it, es], [[giulia], []])
    unrelated = await exchange_between(client, api, [it, es], [[other], []])
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=3)
    ours = await schedule(client, exchange, start, title="Pasta e paella")
    await schedule(client, unrelated, start + timedelta(hours=2), title="Not hers")

    created = await client.post(f"{API}/calendar/feeds", headers=nonna.headers)
    assert created.status_code == 201, created.text
    url = created.json()["url"].removeprefix("http://test")
    feed = await client.get(url)  # calendar apps fetch it without a login
    assert feed.status_code == 200, feed.text
    assert feed.headers["content-type"].startswith("text/calendar")
    body = feed.text
    assert body.count("BEGIN:VEVENT") == 1
    assert f"UID:{ours['id']}" in body.replace("\r\n ", "")
    assert "Pasta e paella" in body
    assert "Not hers" not in body
