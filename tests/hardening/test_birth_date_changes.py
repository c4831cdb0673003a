"""Issue 18, finding 6: a learner's birth date decides whether a guardian must consent, so a
change is bounded (no future date, none over 100 years ago), audited, and told to the learner's
guardians when it moves the learner across their country's digital-consent age."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient

from tests.factories import Actor, Api

MINOR, OTHER_MINOR, ADULT = "2013-01-01", "2014-03-04", "2000-01-01"  # DE: consent at 16


async def _family(client: AsyncClient, api: Api) -> tuple[Actor, Actor]:
    org = await api.organisation(country="DE", city="Köln", timezone="Europe/Berlin")
    learner = await api.user("learner", org["id"], birth_date=MINOR)
    guardian = await api.user("guardian")
    linked = await client.post(
        f"/api/v1/learners/{learner.id}/guardians",
        json={"guardian_id": guardian.id},
        headers=api.admin.headers,
    )
    assert linked.status_code == 201, linked.text
    return learner, guardian


async def _change(client: AsyncClient, api: Api, learner: Actor, birth_date: str) -> Any:
    return await client.patch(
        f"/api/v1/users/{learner.id}", json={"birth_date": birth_date}, headers=api.admin.headers
    )


async def _events(client: AsyncClient, guardian: Actor) -> list[str]:
    feed = await client.get("/api/v1/notifications", headers=guardian.headers)
    return [n["event"] for n in feed.json()["items"]]


@pytest.mark.parametrize("birth_date", ["0001-01-01", "9999-12-31", "1900-01-01", "2099-06-01"])
async def test_an_absurd_birth_date_is_refused(
    client: AsyncClient, api: Api, birth_date: str
) -> None:
    learner, _ = await _family(client, api)
    answer = await _change(client, api, learner, birth_date)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"][0]["field"] == "body.birth_date"
    org = await api.organisation()
    created = await client.post(
        "/api/v1/users",
        json={
            "email": "new.learner@schools.passerelle.eu",
            "display_name": "New",
            "role": "learner",
            "organisation_id": org["id"],
            "birth_date": birth_date,
            "password": "a-long-password-1",
        },
        headers=api.admin.headers,
    )
    assert created.status_code == 422, created.text


async def test_a_change_is_audited_and_a_new_consent_regime_told_to_the_guardians(
    client: AsyncClient, api: Api
) -> None:
    learner, guardian = await _family(client, api)
    assert (await _change(client, api, learner, OTHER_MINOR)).status_code == 200
    assert await _events(client, guardian) == []  # still a minor: nothing changes for them
    assert (await _change(client, api, learner, ADULT)).status_code == 200
    assert await _events(client, guardian) == ["consent.learner_decides"]
    assert (await _change(client, api, learner, MINOR)).status_code == 200
    assert await _events(client, guardian) == [
        "consent.guardian_required",
        "consent.learner_decides",
    ]
    trail = await client.get(
        f"/api/v1/audit?action=user.birth_date_changed&target_id={learner.id}",
        headers=api.admin.headers,
    )
    records = trail.json()["items"]
    assert len(records) == 3
    assert records[0]["details"] == {"guardian_required": {"from": False, "to": True}}
    assert records[2]["details"] == {"guardian_required": {"from": True, "to": True}}
    assert all(r["actor_id"] == api.admin.id for r in records)
    assert all(str(date.fromisoformat(ADULT)) not in str(r["details"]) for r in records)
