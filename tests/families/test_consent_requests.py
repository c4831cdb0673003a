"""A school asks for a consent: the guardians hear of it in their language (the learner, from
the age at which they decide alone); bad requests are refused and tell nobody."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.factories import Actor, Api
from tests.family_world import API, error_code, guardian_of, learner, school


async def requests_in(client: AsyncClient, actor: Actor) -> list[dict[str, Any]]:
    response = await client.get(f"{API}/notifications", headers=actor.headers)
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["event"] == "consent.requested"]


async def test_guardians_are_asked_in_their_language(api: Api, client: AsyncClient) -> None:
    de = await school(api, "DE", "Europe/Berlin")
    lena = await learner(api, de, 14, display_name="Lena Schäfer")
    mother, father = await guardian_of(api, lena), await guardian_of(api, lena)
    url = f"{API}/learners/{lena.id}/consent-requests"

    asked = await client.post(url, json={"purpose": "live_sessions"}, headers=de.teacher.headers)
    assert asked.status_code == 201, asked.text
    assert (asked.json()["to"], asked.json()["notified"]) == ("guardians", 2)
    for guardian in (mother, father):
        (notice,) = await requests_in(client, guardian)
        assert notice["language"] == "de"
        assert notice["title"] == "Einwilligung für Lena Schäfer erbeten"
        assert "live_sessions" in notice["body"]
        assert notice["data"] == {"learner_id": lena.id, "purpose": "live_sessions"}
    assert await requests_in(client, lena) == []

    given = await client.post(
        f"{API}/learners/{lena.id}/consents",
        json={"purpose": "live_sessions"},
        headers=mother.headers,
    )
    assert given.status_code == 201, given.text
    again = await client.post(url, json={"purpose": "live_sessions"}, headers=de.teacher.headers)
    assert again.status_code == 409
    assert error_code(again) == "consent_already_given"


async def test_who_is_asked_and_who_may_ask(api: Api, client: AsyncClient) -> None:
    fr = await school(api, "FR", "Europe/Paris")
    it = await school(api, "IT", "Europe/Rome")
    alone = await learner(api, fr, 14)  # France: a guardian consents below 15
    chloe = await learner(api, fr, 16, display_name="Chloé")
    guardian = await guardian_of(api, chloe)

    no_guardian = await client.post(
        f"{API}/learners/{alone.id}/consent-requests",
        json={"purpose": "chat"},
        headers=fr.coordinator.headers,
    )
    assert no_guardian.status_code == 409
    assert error_code(no_guardian) == "no_guardian"

    objected = await client.delete(
        f"{API}/learners/{chloe.id}/consents/chat", headers=chloe.headers
    )
    assert objected.status_code == 200, objected.text
    to_learner = await client.post(
        f"{API}/learners/{chloe.id}/consent-requests",
        json={"purpose": "chat"},
        headers=fr.teacher.headers,
    )
    assert to_learner.status_code == 201, to_learner.text
    assert (to_learner.json()["to"], to_learner.json()["notified"]) == ("learner", 1)
    (notice,) = await requests_in(client, chloe)
    assert notice["title"] == "Consentement demandé pour Chloé"
    assert await requests_in(client, guardian) == []

    url = f"{API}/learners/{chloe.id}/consent-requests"
    for actor, status in ((guardian, 403), (chloe, 403), (it.teacher, 404)):
        refused = await client.post(url, json={"purpose": "chat"}, headers=actor.headers)
        assert refused.status_code == status, (actor.role, refused.text)
    for body in ({"purpose": "marketing"}, {}, {"purpose": "chat", "extra": 1}):
        invalid = await client.post(url, json=body, headers=fr.teacher.headers)
        assert invalid.status_code == 422, invalid.text
        assert invalid.json()["error"]["code"] == "validation_error"
    assert len(await requests_in(client, chloe)) == 1  # nothing more was sent
