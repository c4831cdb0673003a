"""Learners assess their intercultural competence at the start and the end of an exchange;
the exchange's staff read the averages per class, never one learner's answers."""

from __future__ import annotations

from httpx import AsyncClient

from tests.factories import Api
from tests.family_world import API, exchange_between, learner, school


async def test_self_assessments_are_averaged_per_class(api: Api, client: AsyncClient) -> None:
    fr = await school(api, "FR", "Europe/Paris")
    it = await school(api, "IT", "Europe/Rome")
    lea, hugo = await learner(api, fr, 17), await learner(api, fr, 17)
    exchange = await exchange_between(client, api, [fr, it], [[lea, hugo], []])
    url = f"{API}/exchanges/{exchange.id}/self-assessments"
    statements = (await client.get(url, headers=fr.teacher.headers)).json()["statements"]
    ids = [str(s["id"]) for s in statements]
    assert ids
    for who, score in ((lea, 2), (hugo, 4)):
        answer = await client.post(
            url,
            json={"phase": "start", "scores": dict.fromkeys(ids, score)},
            headers=who.headers,
        )
        assert answer.status_code == 201, answer.text
    again = await client.post(
        url, json={"phase": "start", "scores": dict.fromkeys(ids, 5)}, headers=lea.headers
    )
    assert again.status_code == 409
    partial = await client.post(
        url, json={"phase": "end", "scores": {ids[0]: 5}}, headers=lea.headers
    )
    assert partial.status_code == 422  # every statement is rated

    summary = (await client.get(url, headers=it.teacher.headers)).json()
    [start] = summary["classes"]
    assert (start["phase"], start["learners"]) == ("start", 2)
    assert set(start["averages"].values()) == {3.0}
    assert lea.id not in str(summary)
    assert (await client.get(url, headers=lea.headers)).status_code == 403
    assert (
        await client.post(url, json={"phase": "end", "scores": {}}, headers=fr.teacher.headers)
    ).status_code in (403, 422)
