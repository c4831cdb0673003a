"""Create, read, list, update and delete each resource through the API, and its validation."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from tests.factories import Api


def error_fields(response: Any) -> set[str]:
    return {d["field"] for d in response.json()["error"]["details"]}


async def test_organisation_lifecycle(api: Api, client: AsyncClient) -> None:
    org = await api.organisation(
        name="Istituto Alberghiero", country="IT", city="Bologna", timezone="Europe/Rome"
    )
    assert org["country"] == "IT"
    h = api.admin.headers
    got = await client.get(f"/api/v1/organisations/{org['id']}", headers=h)
    assert got.json() == org
    patched = await client.patch(
        f"/api/v1/organisations/{org['id']}", json={"city": "Rimini"}, headers=h
    )
    assert patched.status_code == 200
    assert patched.json()["city"] == "Rimini"
    listed = await client.get("/api/v1/organisations?country=IT", headers=h)
    assert listed.json()["total"] == 1
    assert (await client.delete(f"/api/v1/organisations/{org['id']}", headers=h)).status_code == 204
    assert (await client.get(f"/api/v1/organisations/{org['id']}", headers=h)).status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [("country", "XX"), ("country", "fr"), ("timezone", "Europe/Atlantis"), ("kind", "castle")],
)
async def test_organisation_validation(
    api: Api, client: AsyncClient, field: str, value: str
) -> None:
    body = {"name": "X", "country": "FR", "city": "Lyon", "timezone": "Europe/Paris", field: value}
    response = await client.post("/api/v1/organisations", json=body, headers=api.admin.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert error_fields(response) == {f"body.{field}"}


async def test_organisation_in_use_cannot_be_deleted(api: Api, client: AsyncClient) -> None:
    org = await api.organisation()
    await api.user("teacher", org["id"], login_=False)
    response = await client.delete(f"/api/v1/organisations/{org['id']}", headers=api.admin.headers)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "organisation_in_use"


async def test_class_lifecycle_and_roster(api: Api, client: AsyncClient) -> None:
    org = await api.organisation()
    teacher = await api.user("teacher", org["id"])
    learners = [await api.user("learner", org["id"], login_=False) for _ in range(2)]
    created = await api.school_class(org["id"], [teacher.id])
    assert created["teacher_ids"] == [teacher.id]
    assert created["languages"] == [{"code": "en", "level": "B1"}]
    url = f"/api/v1/classes/{created['id']}"
    patched = await client.patch(
        url, json={"eqf_level": 3, "open_for_matching": False}, headers=teacher.headers
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["eqf_level"], patched.json()["open_for_matching"]) == (3, False)
    roster = await client.put(
        f"{url}/learners",
        json={"learner_ids": [learner.id for learner in learners]},
        headers=teacher.headers,
    )
    assert roster.status_code == 200
    assert sorted(roster.json()["learner_ids"]) == sorted(learner.id for learner in learners)
    again = await client.get(f"{url}/learners", headers=teacher.headers)
    assert sorted(again.json()["learner_ids"]) == sorted(learner.id for learner in learners)
    assert (await client.delete(url, headers=teacher.headers)).status_code == 204
    assert (await client.get(url, headers=teacher.headers)).status_code == 404


CLASS_BAD_INPUT: list[tuple[dict[str, Any], str]] = [
    ({"field": "9999"}, "body.field"),
    ({"field": "10"}, "body.field"),
    ({"eqf_level": 9}, "body.eqf_level"),
    ({"languages": [{"code": "en", "level": "B3"}]}, "body.languages.0.level"),
    ({"languages": [{"code": "xx", "level": "B1"}]}, "body.languages.0.code"),
    ({"languages": []}, "body.languages"),
    ({"age_min": 18, "age_max": 15}, "body"),
    ({"term_start": "2027-06-01", "term_end": "2027-01-01"}, "body"),
    (
        {"availability": [{"weekday": 7, "start": "09:00", "end": "10:00"}]},
        "body.availability.0.weekday",
    ),
    (
        {"availability": [{"weekday": 1, "start": "9:00", "end": "10:00"}]},
        "body.availability.0.start",
    ),
    ({"availability": [{"weekday": 1, "start": "11:00", "end": "10:00"}]}, "body.availability.0"),
    (
        {
            "availability": [
                {"weekday": 1, "start": "09:00", "end": "11:00"},
                {"weekday": 1, "start": "10:30", "end": "12:00"},
            ]
        },
        "body.availability",
    ),
    ({"colour": "blue"}, "body.colour"),
]


@pytest.mark.parametrize(("override", "field"), CLASS_BAD_INPUT)
async def test_class_validation(
    api: Api, client: AsyncClient, override: dict[str, Any], field: str
) -> None:
    org = await api.organisation()
    body = {
        "name": "Kitchen",
        "organisation_id": org["id"],
        "field": "1013",
        "eqf_level": 4,
        "learner_count": 20,
        "age_min": 15,
        "age_max": 18,
        "languages": [{"code": "en", "level": "B1"}],
        "term_start": "2027-01-11",
        "term_end": "2027-06-25",
    } | override
    response = await client.post("/api/v1/classes", json=body, headers=api.admin.headers)
    assert response.status_code == 422, response.text
    assert field in error_fields(response)


async def test_class_update_checks_the_merged_ranges(api: Api, client: AsyncClient) -> None:
    org = await api.organisation()
    created = await api.school_class(org["id"], [])
    response = await client.patch(
        f"/api/v1/classes/{created['id']}", json={"age_min": 19}, headers=api.admin.headers
    )
    assert response.status_code == 422
    assert "age_min" in response.json()["error"]["message"]
    unchanged = await client.get(f"/api/v1/classes/{created['id']}", headers=api.admin.headers)
    assert unchanged.json()["age_min"] == 15


async def test_roster_refuses_learners_of_another_school(api: Api, client: AsyncClient) -> None:
    org, other = await api.organisation(), await api.organisation()
    stranger = await api.user("learner", other["id"], login_=False)
    created = await api.school_class(org["id"], [])
    response = await client.put(
        f"/api/v1/classes/{created['id']}/learners",
        json={"learner_ids": [stranger.id]},
        headers=api.admin.headers,
    )
    assert response.status_code == 422
    assert error_fields(response) == {"body.learner_ids"}


async def test_network_members(api: Api, client: AsyncClient) -> None:
    fr, it, de = [await api.organisation(country=c) for c in ("FR", "IT", "DE")]
    network = await api.network([fr["id"], it["id"]])
    h = api.admin.headers
    members = await client.get(f"/api/v1/networks/{network['id']}/members", headers=h)
    assert {m["id"] for m in members.json()["items"]} == {fr["id"], it["id"]}
    await api.create(f"/api/v1/networks/{network['id']}/members", {"organisation_id": de["id"]})
    got = await client.get(f"/api/v1/networks/{network['id']}", headers=h)
    assert got.json()["member_count"] == 3
    left = await client.delete(f"/api/v1/networks/{network['id']}/members/{it['id']}", headers=h)
    assert left.status_code == 204
    refused = await client.delete(f"/api/v1/networks/{network['id']}/members/{fr['id']}", headers=h)
    assert refused.status_code == 409


async def test_users_and_guardians(api: Api, client: AsyncClient) -> None:
    org = await api.organisation()
    coordinator = await api.user("coordinator", org["id"])
    learner = await api.user("learner", org["id"], login_=False)
    guardians = [await api.user("guardian", login_=False) for _ in range(3)]
    url = f"/api/v1/learners/{learner.id}/guardians"
    for guardian in guardians[:2]:
        linked = await client.post(
            url, json={"guardian_id": guardian.id}, headers=coordinator.headers
        )
        assert linked.status_code == 201, linked.text
    third = await client.post(
        url, json={"guardian_id": guardians[2].id}, headers=coordinator.headers
    )
    assert third.status_code == 409
    listed = await client.get(url, headers=coordinator.headers)
    assert listed.json()["total"] == 2
    assert {g["id"] for g in listed.json()["items"]} == {g.id for g in guardians[:2]}
    duplicate = await client.post(
        "/api/v1/users",
        json={
            "email": learner.email.upper(),
            "display_name": "Dup",
            "role": "learner",
            "birth_date": "2010-01-01",
            "password": "long-enough-pass",
        },
        headers=coordinator.headers,
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "email_taken"


async def test_deactivated_user_cannot_log_in(api: Api, client: AsyncClient) -> None:
    org = await api.organisation()
    teacher = await api.user("teacher", org["id"])
    assert (
        await client.delete(f"/api/v1/users/{teacher.id}", headers=api.admin.headers)
    ).status_code == 204
    assert (await client.get("/api/v1/users/me", headers=teacher.headers)).status_code == 401
    response = await client.post(
        "/api/v1/auth/token", data={"username": teacher.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 401


async def test_lists_are_paged(api: Api, client: AsyncClient) -> None:
    for _ in range(3):
        await api.organisation()
    h = api.admin.headers
    first = (await client.get("/api/v1/organisations?limit=2", headers=h)).json()
    second = (await client.get("/api/v1/organisations?limit=2&offset=2", headers=h)).json()
    assert first["total"] == second["total"] == 3
    assert len(first["items"]) == 2
    assert len(second["items"]) == 1
    assert not {o["id"] for o in first["items"]} & {o["id"] for o in second["items"]}
    for bad in ("limit=0", "limit=101", "offset=-1", "limit=abc"):
        response = await client.get(f"/api/v1/organisations?{bad}", headers=h)
        assert response.status_code == 422, bad
