"""Every status in the contract's error shape; never a trace."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.core.settings import Settings
from app.factory import create_app
from tests.factories import Api


def assert_error_shape(body: dict[str, object], code: str) -> None:
    assert set(body) == {"error"}
    error = body["error"]
    assert isinstance(error, dict)
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]


async def test_unknown_route_is_404_in_shape(client: AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")


async def test_wrong_method_is_405_in_shape(client: AsyncClient) -> None:
    response = await client.put("/healthz")
    assert response.status_code == 405
    assert_error_shape(response.json(), "method_not_allowed")


async def test_unauthenticated_is_401_in_shape(client: AsyncClient) -> None:
    response = await client.get("/api/v1/organisations")
    assert response.status_code == 401
    assert_error_shape(response.json(), "not_authenticated")
    assert response.headers["www-authenticate"] == "Bearer"


async def test_validation_names_fields_and_never_echoes_input(
    api: Api, client: AsyncClient
) -> None:
    response = await client.post(
        "/api/v1/users",
        json={"email": "not-an-email", "display_name": "", "role": "pilot", "password": "Zq9#kX"},
        headers=api.admin.headers,
    )
    assert response.status_code == 422
    body = response.json()
    assert_error_shape(body, "validation_error")
    fields = {d["field"] for d in body["error"]["details"]}
    assert fields == {"body.email", "body.display_name", "body.role", "body.password"}
    assert "Zq9#kX" not in response.text


async def test_malformed_json_is_422(api: Api, client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/organisations",
        content=b'{"name": ',
        headers=api.admin.headers | {"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert_error_shape(response.json(), "validation_error")


async def test_unknown_fields_are_rejected(api: Api, client: AsyncClient) -> None:
    body = {"name": "X", "country": "FR", "city": "Lyon", "timezone": "Europe/Paris", "id": "1"}
    response = await client.post("/api/v1/organisations", json=body, headers=api.admin.headers)
    assert response.status_code == 422
    assert {d["field"] for d in response.json()["error"]["details"]} == {"body.id"}


async def test_bad_path_id_is_422(api: Api, client: AsyncClient) -> None:
    response = await client.get("/api/v1/classes/not-a-uuid", headers=api.admin.headers)
    assert response.status_code == 422
    assert_error_shape(response.json(), "validation_error")


async def test_body_over_one_mebibyte_is_413(api: Api, client: AsyncClient) -> None:
    big = b'{"name": "' + b"x" * (1024 * 1024) + b'"}'
    response = await client.post(
        "/api/v1/organisations",
        content=big,
        headers=api.admin.headers | {"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert_error_shape(response.json(), "payload_too_large")


async def test_streamed_body_over_the_limit_is_413(api: Api, client: AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "'
        for _ in range(20):
            yield b"x" * 65536
        yield b'"}'

    response = await client.post(
        "/api/v1/organisations",
        content=chunks(),
        headers=api.admin.headers | {"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert_error_shape(response.json(), "payload_too_large")


@pytest.fixture
async def crashing_app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings.model_copy(update={"admin_email": None}))

    @application.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail")

    async with LifespanManager(application):
        yield application


async def test_unexpected_error_is_500_without_trace(crashing_app: FastAPI) -> None:
    transport = ASGITransport(app=crashing_app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://t") as c:
        response = await c.get("/boom")
    assert response.status_code == 500
    assert_error_shape(response.json(), "internal_error")
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"name": "\xff\xfe"}', id="not-utf-8"),
        pytest.param(b'{"name": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001, id="nested-too-deep"),
        pytest.param(b"[" * 5000 + b"]" * 5000, id="deep-array"),
    ],
)
async def test_unreadable_json_body_is_422_on_body(
    api: Api, client: AsyncClient, body: bytes
) -> None:
    response = await client.post(
        "/api/v1/organisations",
        content=body,
        headers=api.admin.headers | {"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert_error_shape(response.json(), "validation_error")
    assert response.json()["error"]["details"] == [
        {"field": "body", "message": "The body is not valid JSON.", "type": "json_invalid"}
    ]


async def test_unreadable_json_body_speaks_the_clients_language(
    api: Api, client: AsyncClient
) -> None:
    response = await client.post(
        "/api/v1/organisations",
        content=b"\xff",
        headers=api.admin.headers | {"content-type": "application/json", "accept-language": "fr"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["message"] == "Le JSON n'est pas valide."


async def test_broken_form_body_is_422_on_body(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/token", content=b"abc", headers={"content-type": "multipart/form-data"}
    )
    assert response.status_code == 422
    assert_error_shape(response.json(), "validation_error")
    [detail] = response.json()["error"]["details"]
    assert (detail["field"], detail["type"]) == ("body", "body_invalid")
