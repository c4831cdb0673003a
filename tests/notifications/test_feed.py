"""The feed for apps: what is new since a moment, the unread count, and marking many read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from httpx import AsyncClient

from tests.factories import Actor, Api
from tests.family_world import API, exchange_between, learner, schedule, school


async def _feed(client: AsyncClient, actor: Actor, **params: Any) -> dict[str, Any]:
    response = await client.get(f"{API}/notifications", params=params, headers=actor.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_since_unread_and_marking_many_read(api: Api, client: AsyncClient) -> None:
    fr = await school(api, "FR", "Europe/Paris")
    it = await school(api, "IT", "Europe/Rome")
    camille = await learner(api, fr, 17)
    giulia = await learner(api, it, 17)
    exchange = await exchange_between(client, api, [fr, it], [[camille], [giulia]])
    soon = datetime.now(UTC) + timedelta(days=3)
    await schedule(client, exchange, soon, title="One")
    first = await _feed(client, camille)
    assert first["total"] == first["unread"] == 1
    newest = first["items"][0]["created_at"]

    await schedule(client, exchange, soon + timedelta(days=1), title="Two")
    await schedule(client, exchange, soon + timedelta(days=2), title="Three")
    new = await _feed(client, camille, since=newest)
    assert [n["title"].split(": ")[-1] for n in new["items"]] == ["Three", "Two"]
    assert new["total"] == 2
    assert new["unread"] == 3  # the count covers every unread one, whatever the filter

    others = (await _feed(client, giulia))["items"]
    marked = await client.post(
        f"{API}/notifications/read",
        json={"ids": [new["items"][0]["id"], others[0]["id"]]},
        headers=camille.headers,
    )
    assert marked.status_code == 200, marked.text
    assert marked.json() == {"marked": 1, "unread": 2}  # Giulia's id is not Camille's: ignored
    assert (await _feed(client, giulia))["unread"] == len(others)

    upto = await client.post(
        f"{API}/notifications/read", json={"until": newest}, headers=camille.headers
    )
    assert upto.json() == {"marked": 1, "unread": 1}
    everything = await client.post(
        f"{API}/notifications/read", json={"all": True}, headers=camille.headers
    )
    assert everything.json() == {"marked": 1, "unread": 0}
    assert (await _feed(client, camille, unread="true"))["items"] == []


async def test_marking_read_needs_exactly_one_choice(api: Api, client: AsyncClient) -> None:
    bodies: list[dict[str, Any]] = [{}, {"all": True, "ids": [str(api.admin.id)]}, {"ids": []}]
    for body in bodies:
        refused = await client.post(
            f"{API}/notifications/read", json=body, headers=api.admin.headers
        )
        assert refused.status_code == 422, (body, refused.text)
        assert refused.json()["error"]["code"] == "validation_error"
