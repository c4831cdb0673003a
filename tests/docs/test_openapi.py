"""`/openapi.json` is complete and true: every operation has a summary, a description, examples
that its own pydantic models accept, and its error codes, each in the error catalogue, each
answer in the contract's error shape; and the document is valid OpenAPI 3.1.

That the declared codes are the ones the app answers is checked across the whole test run by
tests/answered_errors.py."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import RouteContext
from httpx import AsyncClient
from openapi_spec_validator import validate
from pydantic import TypeAdapter

from app.core.rules.error_texts import CATALOGUE
from app.core.settings import Settings
from app.factory import create_app
from app.routers.error_codes import OPERATION_ERRORS
from app.routers.openapi import operations
from app.routers.responses import ERROR_SCHEMA_REF, declared_codes
from tests.answered_errors import undeclared

Operation = tuple[str, str, RouteContext]


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app(Settings(secret_key="x" * 48))


@pytest.fixture(scope="module")
def document(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


OPERATIONS: list[Operation] = list(operations(create_app(Settings(secret_key="x" * 48))))


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][path][method.lower()]
    return found


async def test_served_document_is_valid_openapi_3_1(client: AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    body = response.json()
    assert body["openapi"].startswith("3.1")
    validate(body)  # raises on any violation of the OpenAPI 3.1 schema


def test_every_operation_is_listed() -> None:
    assert len(OPERATIONS) > 100
    assert ("POST", "/api/v1/exchanges/{exchange_id}/sessions") in {
        (m, p) for m, p, _ in OPERATIONS
    }


@pytest.mark.parametrize(("method", "path", "route"), OPERATIONS, ids=lambda v: str(v))
def test_operation_has_a_summary_and_a_description(
    document: dict[str, Any], method: str, path: str, route: RouteContext
) -> None:
    operation = _operation(document, method, path)
    assert operation.get("summary"), "no docstring on the route function"
    assert operation.get("description")
    assert len(operation["summary"]) <= 120


@pytest.mark.parametrize(("method", "path", "route"), OPERATIONS, ids=lambda v: str(v))
def test_operation_has_examples_its_models_accept(
    document: dict[str, Any], method: str, path: str, route: RouteContext
) -> None:
    operation = _operation(document, method, path)
    if "requestBody" in operation:
        for media_type, media in operation["requestBody"]["content"].items():
            assert "example" in media or "examples" in media, media_type
            if media_type == "application/json" and route.body_field is not None:
                TypeAdapter(route.body_field.field_info.annotation).validate_python(
                    media["example"]
                )
    successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
    assert successes
    for status, response in successes.items():
        if status == "204":
            assert "content" not in response
            continue
        assert response.get("content"), status
        for media_type, media in response["content"].items():
            assert "example" in media or "examples" in media, (status, media_type)
            if media_type == "application/json" and route.response_model is not None:
                TypeAdapter(route.response_model).validate_python(media["example"])


@pytest.mark.parametrize(("method", "path", "route"), OPERATIONS, ids=lambda v: str(v))
def test_operation_declares_its_errors_in_the_contract_shape(
    document: dict[str, Any], method: str, path: str, route: RouteContext
) -> None:
    operation = _operation(document, method, path)
    errors = {s: r for s, r in operation["responses"].items() if s.startswith("4")}
    if path.startswith("/api/"):
        assert "422" in errors  # an unknown query parameter, at least
    for status, response in errors.items():
        media = response["content"]["application/json"]
        assert media["schema"] == {"$ref": ERROR_SCHEMA_REF}
        assert media["examples"], status
        for code, example in media["examples"].items():
            assert code in CATALOGUE, f"{code} is not in the error catalogue"
            assert set(CATALOGUE[code]) >= {"en", "fr", "it", "de", "es", "fi"}
            assert example["value"]["error"]["code"] == code
            assert example["value"]["error"]["message"]
            assert f"`{code}`" in response["description"]


def test_authenticated_operations_declare_401_and_public_ones_do_not(
    document: dict[str, Any],
) -> None:
    me = _operation(document, "GET", "/api/v1/users/me")
    assert declared_codes(document)[("get", "/api/v1/users/me")][401] >= {"not_authenticated"}
    assert "401" in me["responses"]
    health = _operation(document, "GET", "/healthz")
    assert not [s for s in health["responses"] if s.startswith("4")]


def test_the_operation_table_names_only_real_operations_and_catalogued_codes() -> None:
    real = {f"{method} {path}" for method, path, _ in OPERATIONS}
    assert set(OPERATION_ERRORS) <= real
    for key, codes in OPERATION_ERRORS.items():
        for item in codes:
            status, code = item.split(" ")
            assert 400 <= int(status) < 500, key
            assert code in CATALOGUE, (key, code)


def test_known_codes_are_declared_where_they_are_answered(document: dict[str, Any]) -> None:
    declared = declared_codes(document)
    assert "refresh_token_reused" in declared[("post", "/api/v1/auth/refresh")][401]
    assert (
        "schedule_conflict" in declared[("post", "/api/v1/exchanges/{exchange_id}/sessions")][409]
    )


def test_an_undeclared_answer_is_reported(document: dict[str, Any]) -> None:
    """The plugin's check itself: an answer the document does not declare is reported."""
    answered = {
        ("GET", "/api/v1/users/me", 401, "not_authenticated"),
        ("GET", "/api/v1/users/me", 409, "schedule_conflict"),
    }
    assert undeclared(answered, document) == ["GET /api/v1/users/me: 409 schedule_conflict"]
