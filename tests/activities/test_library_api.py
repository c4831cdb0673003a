"""Teachers clone a built-in activity and adapt it; their school shares it with its networks,
and only there: a school outside sees nothing of it (404)."""

from __future__ import annotations

from httpx import AsyncClient

from tests.factories import Api
from tests.family_world import school

ACTIVITIES = "/api/v1/activities"


async def test_clone_adapt_and_share_within_the_network(api: Api, client: AsyncClient) -> None:
    fr = await school(api, "FR", "Europe/Paris")
    it = await school(api, "IT", "Europe/Rome")
    de = await school(api, "DE", "Europe/Berlin")  # not in the network
    await api.network([fr.id, it.id])
    built_in = (await client.get(ACTIVITIES, headers=fr.teacher.headers)).json()
    assert built_in["total"] >= 12
    original = next(a for a in built_in["items"] if a["kind"] == "quiz")
    assert original["owner_organisation_id"] is None

    cloned = await client.post(f"{ACTIVITIES}/{original['id']}/clone", headers=fr.teacher.headers)
    assert cloned.status_code == 201, cloned.text
    copy = cloned.json()
    assert (copy["owner_organisation_id"], copy["source_id"]) == (fr.id, original["id"])
    assert copy["shared"] is False
    title = {**copy["title"], "fr": "Quiz : la cuisine lyonnaise"}
    adapted = await client.patch(
        f"{ACTIVITIES}/{copy['id']}", json={"title": title}, headers=fr.teacher.headers
    )
    assert adapted.status_code == 200, adapted.text
    assert adapted.json()["title"]["fr"] == "Quiz : la cuisine lyonnaise"
    untouched = await client.get(f"{ACTIVITIES}/{original['id']}", headers=fr.teacher.headers)
    assert untouched.json()["title"] == original["title"]  # built-in ones never change

    mine = f"{ACTIVITIES}/{copy['id']}"
    assert (await client.get(mine, headers=it.teacher.headers)).status_code == 404
    shared = await client.patch(mine, json={"shared": True}, headers=fr.teacher.headers)
    assert shared.json()["shared"] is True
    assert (await client.get(mine, headers=it.teacher.headers)).status_code == 200
    assert (await client.get(mine, headers=de.teacher.headers)).status_code == 404
    foreign_edit = await client.patch(
        mine, json={"duration_minutes": 5}, headers=it.teacher.headers
    )
    assert foreign_edit.status_code in (403, 404), foreign_edit.text
    listed = await client.get(ACTIVITIES, headers=de.teacher.headers)
    assert copy["id"] not in {a["id"] for a in listed.json()["items"]}
