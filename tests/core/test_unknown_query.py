"""A query parameter an operation does not declare answers 422: a filter is applied or refused,
never silently ignored."""

from __future__ import annotations

from httpx import AsyncClient

from tests.factories import Api


async def test_an_unknown_filter_is_refused_not_ignored(api: Api, client: AsyncClient) -> None:
    school = await api.organisation()
    teacher = await api.user("teacher", school["id"])
    refused = await client.get(
        "/api/v1/classes", params={"teacher_id": teacher.id}, headers=api.admin.headers
    )
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == "query.teacher_id"
    assert "limit" in error["details"][0]["message"]  # it says what the operation accepts


async def test_declared_parameters_still_work(api: Api, client: AsyncClient) -> None:
    answer = await client.get(
        "/api/v1/organisations", params={"country": "FR", "limit": 5}, headers=api.admin.headers
    )
    assert answer.status_code == 200, answer.text
    feed = await client.get(
        "/api/v1/notifications", params={"unread": "true"}, headers=api.admin.headers
    )
    assert feed.status_code == 200, feed.text
