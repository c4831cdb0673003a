"""Code lists for a school's forms, in the reader's language, without logging in."""

from __future__ import annotations

from httpx import AsyncClient

from app.core.code_lists import best_language

LISTS = "/api/v1/code-lists"


async def _names(client: AsyncClient, which: str, language: str | None) -> dict[str, str]:
    headers = {"Accept-Language": language} if language else {}
    response = await client.get(f"{LISTS}/{which}", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert response.headers["content-language"] == body["language"]
    return {item["code"]: item["name"] for item in body["items"]}


async def test_countries_and_languages_are_named_in_the_readers_language(
    client: AsyncClient,
) -> None:
    assert (await _names(client, "countries", None))["FR"] == "France"
    assert (await _names(client, "countries", "fr-FR,fr;q=0.9"))["DE"] == "Allemagne"
    assert (await _names(client, "countries", "de"))["FR"] == "Frankreich"
    assert (await _names(client, "countries", "ja"))["IT"] == "Italy"
    finnish = await _names(client, "languages", "fi")
    assert finnish["de"] == "saksa"
    assert (await _names(client, "languages", "es"))["it"] == "Italiano"


async def test_isced_fields_carry_the_unesco_titles(client: AsyncClient) -> None:
    fields = await _names(client, "isced-fields", "it")
    assert fields["1013"] == "Hotel, restaurants and catering"
    assert all(len(code) == 4 and code.isdigit() for code in fields)


def test_the_best_language_honours_q_values() -> None:
    assert best_language("de-DE,de;q=0.9,en;q=0.8") == "de"
    assert best_language("en;q=0.5, fi") == "fi"
    assert best_language("ja, zh;q=0.8") == "en"
    assert best_language("fr;q=0, it;q=0.1") == "it"
    assert best_language(None) == "en"
