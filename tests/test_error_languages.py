"""Errors answer in the client's language (`Accept-Language`), English by default; the `code`
never changes, and no message carries pydantic's own wording."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient, Response

from tests.factories import ADMIN_EMAIL, Api

API = "/api/v1"
FRENCH = {"accept-language": "fr"}
GERMAN = {"accept-language": "de-DE,de;q=0.9"}
JAPANESE = {"accept-language": "ja"}


def _error(response: Response) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["error"]
    return error


async def _three_errors(api: Api, client: AsyncClient, language: dict[str, str]) -> list[Response]:
    """A 404, a 409 and a 422, asked for in `language`."""
    headers = api.admin.headers | language
    missing = await client.get(f"{API}/classes/{uuid.uuid4()}", headers=headers)
    taken = await client.post(
        f"{API}/users",
        json={"email": ADMIN_EMAIL, "display_name": "Twin", "role": "admin", "password": "x" * 12},
        headers=headers,
    )
    invalid = await client.post(
        f"{API}/users",
        json={"email": "not-an-email", "display_name": "", "role": "pilot"},
        headers=headers,
    )
    assert [r.status_code for r in (missing, taken, invalid)] == [404, 409, 422]
    return [missing, taken, invalid]


async def test_errors_answer_in_french_german_or_english(api: Api, client: AsyncClient) -> None:
    english = await _three_errors(api, client, {})
    french = await _three_errors(api, client, FRENCH)
    german = await _three_errors(api, client, GERMAN)
    japanese = await _three_errors(api, client, JAPANESE)
    codes = [_error(r)["code"] for r in english]
    assert codes == ["not_found", "email_taken", "validation_error"]
    for responses in (french, german, japanese):
        assert [_error(r)["code"] for r in responses] == codes

    assert [_error(r)["message"] for r in english] == [
        "Class not found.",
        "An account with this e-mail already exists.",
        "Invalid input: body.display_name, body.email, body.password, body.role.",
    ]
    assert [_error(r)["message"] for r in japanese] == [_error(r)["message"] for r in english]
    assert [_error(r)["message"] for r in french] == [
        "Classe introuvable.",
        "Cette adresse e-mail appartient déjà à un compte.",
        "Saisie non valide : body.display_name, body.email, body.password, body.role.",
    ]
    assert [_error(r)["message"] for r in german] == [
        "Die Klasse wurde nicht gefunden.",
        "Diese E-Mail-Adresse gehört bereits zu einem Konto.",
        "Ungültige Eingabe: body.display_name, body.email, body.password, body.role.",
    ]
    for responses, language in ((english, "en"), (japanese, "en"), (french, "fr"), (german, "de")):
        assert {r.headers["content-language"] for r in responses} == {language}


async def test_a_validation_error_names_each_field_in_the_language(
    api: Api, client: AsyncClient
) -> None:
    response = (await _three_errors(api, client, FRENCH))[2]
    details = {d["field"]: d for d in _error(response)["details"]}
    assert details["body.password"]["message"] == "Champ obligatoire."
    assert details["body.display_name"]["message"] == "Nombre minimal de caractères : 1."
    assert details["body.role"]["type"] == "literal_error"  # the type stays pydantic's
    assert details["body.role"]["message"].startswith("Valeur attendue : 'admin', ")
    assert " ou " in details["body.role"]["message"]
    assert " or " not in details["body.role"]["message"]


async def test_unknown_paths_and_query_parameters_answer_in_the_language(
    api: Api, client: AsyncClient
) -> None:
    unknown = await client.get(f"{API}/nothing-here", headers={"accept-language": "it"})
    assert _error(unknown)["code"] == "not_found"
    assert _error(unknown)["message"] == "La risorsa richiesta non è stata trovata."
    assert unknown.headers["content-language"] == "it"
    query = await client.get(
        f"{API}/classes?teacher=1", headers=api.admin.headers | {"accept-language": "es"}
    )
    assert _error(query)["code"] == "validation_error"
    assert _error(query)["message"] == "Datos no válidos: query.teacher."
    assert _error(query)["details"][0]["message"].startswith(
        "Parámetro de consulta desconocido; esta operación acepta: "
    )
    assert "limit" in _error(query)["details"][0]["message"]


async def test_a_refused_preflight_answers_in_the_language(client: AsyncClient) -> None:
    refused = await client.options(
        f"{API}/users/me",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "GET",
            "Accept-Language": "fi",
        },
    )
    error = _error(refused)
    assert error["code"] == "cors_refused"
    assert error["message"].startswith("Tämä toisesta alkuperästä tuleva pyyntö")
    assert error["details"] == [{"field": "origin", "message": "Ei sallittu."}]
    assert refused.headers["content-language"] == "fi"


@pytest.mark.parametrize("language", ["en", "fr", "it", "de", "es", "fi"])
async def test_no_message_leaks_pydantic_wording(
    api: Api, client: AsyncClient, language: str
) -> None:
    body = {"name": "X", "country": "XX", "city": "Lyon", "timezone": "Mars/Base"}
    response = await client.post(
        f"{API}/organisations",
        json=body,
        headers=api.admin.headers | {"accept-language": language},
    )
    assert response.status_code == 422
    error = _error(response)
    assert {d["field"] for d in error["details"]} >= {"body.country", "body.timezone"}
    messages = [error["message"], *(d["message"] for d in error["details"])]
    assert not [m for m in messages if "Value error" in m or "Assertion failed" in m]
    if language == "en":  # the validator's own words, without pydantic's prefix
        assert any(m.startswith("not an ISO 3166-1") for m in messages)
