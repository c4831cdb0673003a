"""A session names its member classes and schools, with the time in each class's zone: a
screen needs one call, not ten."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.factories import Api
from tests.scheduling.test_sessions_api import franco_finnish

__all__ = ["franco_finnish"]


async def test_a_session_names_its_classes_and_their_local_times(
    client: AsyncClient, franco_finnish: dict[str, Any]
) -> None:
    created = await client.post(
        f"/api/v1/exchanges/{franco_finnish['exchange']}/sessions",
        json={"title": "Cheese", "starts_at": "2027-03-16T09:30:00+01:00", "duration_minutes": 60},
        headers=franco_finnish["t_fr"].headers,
    )
    assert created.status_code == 201, created.text
    for reader in (franco_finnish["t_fr"], franco_finnish["t_fi"]):
        one = await client.get(f"/api/v1/sessions/{created.json()['id']}", headers=reader.headers)
        listed = await client.get("/api/v1/sessions", headers=reader.headers)
        for session in (one.json(), listed.json()["items"][0]):
            by_country = {c["country"]: c for c in session["classes"]}
            assert set(by_country) == {"FR", "FI"}
            assert by_country["FR"]["name"] == franco_finnish["fr"]["name"]
            assert by_country["FR"]["organisation_name"] == franco_finnish["fr_org"]["name"]
            assert by_country["FR"]["local_starts_at"] == "2027-03-16T09:30:00+01:00"
            assert by_country["FI"]["local_starts_at"] == "2027-03-16T10:30:00+02:00"
            assert by_country["FI"]["timezone"] == "Europe/Helsinki"


async def test_classes_name_their_teachers_and_rosters_their_learners(
    client: AsyncClient, api: Api, franco_finnish: dict[str, Any]
) -> None:
    c_fr, t_fr = franco_finnish["fr"], franco_finnish["t_fr"]
    org = franco_finnish["fr_org"]["id"]
    names = ["Zoé Lefèvre", "Loïc Béranger"]
    pupils = [await api.user("learner", org, login_=False, display_name=n) for n in names]
    put = await client.put(
        f"/api/v1/classes/{c_fr['id']}/learners",
        json={"learner_ids": [p.id for p in pupils]},
        headers=api.admin.headers,
    )
    assert put.status_code == 200, put.text
    assert sorted(p["display_name"] for p in put.json()["learners"]) == sorted(names)
    one = await client.get(f"/api/v1/classes/{c_fr['id']}", headers=t_fr.headers)
    assert one.status_code == 200, one.text
    assert [t["id"] for t in one.json()["teachers"]] == one.json()["teacher_ids"] == [t_fr.id]
    me = (await client.get("/api/v1/users/me", headers=t_fr.headers)).json()
    assert one.json()["teachers"][0]["display_name"] == me["display_name"]
    listed = await client.get("/api/v1/classes", headers=t_fr.headers)
    assert all(len(c["teachers"]) == len(c["teacher_ids"]) for c in listed.json()["items"])
    roster = await client.get(f"/api/v1/classes/{c_fr['id']}/learners", headers=t_fr.headers)
    assert roster.status_code == 200, roster.text
    body = roster.json()
    assert [p["id"] for p in body["learners"]] == body["learner_ids"]
    assert sorted(p["display_name"] for p in body["learners"]) == sorted(names)
