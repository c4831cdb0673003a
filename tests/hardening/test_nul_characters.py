"""Issue 18, finding 4: a NUL character in a string is a 422, never a 500 (PostgreSQL's text
cannot hold U+0000), in a form, a JSON body or a query value, logged in or not."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.factories import Api


def _refused(answer: Any, field: str) -> None:
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert [d["field"] for d in error["details"]] == [field]


async def test_the_login_form_refuses_a_nul(client: AsyncClient, api: Api) -> None:
    answer = await client.post(
        "/api/v1/auth/token",
        content=b"username=a%00b@x.eu&password=whatever-long",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    _refused(answer, "body.username")


async def test_json_bodies_refuse_a_nul_anywhere(client: AsyncClient, api: Api) -> None:
    org = await api.organisation()
    teacher = await api.user("teacher", org["id"])
    renamed = await client.patch(
        f"/api/v1/users/{teacher.id}",
        json={"display_name": "Ann\x00e"},
        headers=api.admin.headers,
    )
    _refused(renamed, "body.display_name")
    school_class = await api.school_class(org["id"], [teacher.id])
    named = await client.patch(
        f"/api/v1/classes/{school_class['id']}",
        json={"name": "Cuisine\x00"},
        headers=api.admin.headers,
    )
    _refused(named, "body.name")
    nested = await client.post(
        "/api/v1/classes",
        json={"name": "ok", "languages": [{"code": "e\x00n", "level": "B1"}]},
        headers=api.admin.headers,
    )
    _refused(nested, "body.languages.0.code")
    assert (await client.get(f"/api/v1/users/{teacher.id}", headers=api.admin.headers)).json()[
        "display_name"
    ] != "Ann\x00e"


async def test_query_values_refuse_a_nul(client: AsyncClient, api: Api) -> None:
    answer = await client.get("/api/v1/audit?action=a%00b", headers=api.admin.headers)
    _refused(answer, "query.action")


async def test_a_french_client_gets_french(client: AsyncClient, api: Api) -> None:
    answer = await client.get(
        "/api/v1/audit?action=%00", headers=api.admin.headers | {"Accept-Language": "fr"}
    )
    assert answer.status_code == 422
    assert answer.headers["content-language"] == "fr"
