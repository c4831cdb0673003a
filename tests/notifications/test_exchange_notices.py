"""An exchange's notices name each reader's partners: the other schools, never their own."""

from __future__ import annotations

from httpx import AsyncClient

from tests.factories import Actor, Api
from tests.family_world import API, exchange_between, school


async def _exchange_notices(client: AsyncClient, actor: Actor) -> dict[str, str]:
    response = await client.get(f"{API}/notifications", headers=actor.headers)
    assert response.status_code == 200, response.text
    return {
        n["event"]: n["body"]
        for n in response.json()["items"]
        if n["event"].startswith("exchange.")
    }


async def test_each_teacher_reads_the_partner_schools_not_their_own(
    api: Api, client: AsyncClient
) -> None:
    fr = await school(api, "FR", "Europe/Paris", city="Lyon")
    it = await school(api, "IT", "Europe/Rome", city="Bologna")
    fi = await school(api, "FI", "Europe/Helsinki", city="Salo")
    await exchange_between(client, api, [fr, it, fi], [[], [], []])
    names = {s.org["country"]: s.org["name"] for s in (fr, it, fi)}
    for own, teacher in (("FR", fr.teacher), ("IT", it.teacher), ("FI", fi.teacher)):
        notices = await _exchange_notices(client, teacher)
        assert "exchange.proposed" in notices
        for event, body in notices.items():
            assert names[own] not in body, (own, event, body)
            for country, name in names.items():
                if country != own:
                    assert f"{name} ({country})" in body, (own, event, body)
