"""Data minimisation across schools: a partner school's teacher calls every GET route of the
API with every id of the other school's people and things; no answer may hold a learner's
birth date or e-mail address, or anything about their guardian. A new GET route fails this
test until it is given ids to try."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from httpx import AsyncClient

from app.activities.library import builtin_id
from tests.factories import Actor, Api
from tests.family_world import (
    API,
    School,
    blended_mobility,
    exchange_between,
    guardian_of,
    learner,
    schedule,
    school,
)

PARAM = re.compile(r"\{(\w+)\}")


async def _hosting(
    client: AsyncClient, api: Api, coordinator: Actor, mobility_id: str, sending: School
) -> tuple[str, str]:
    """A family of the receiving school and a host-matching run's proposed placement."""
    needs = await client.patch(
        f"{API}/mobilities/{mobility_id}/hosting",
        json={"needed": True, "diet": ["vegetarian"]},
        headers=sending.teacher.headers,
    )
    assert needs.status_code == 200, needs.text
    today = datetime.now(UTC).date()
    family = await api.create(
        f"{API}/host-families",
        {
            "organisation_id": coordinator.organisation_id,
            "display_name": "Famiglia Conti",
            "city": "Bologna",
            "household": {"adults": 2},
            "diets": ["vegetarian"],
            "available": [
                {"from": today.isoformat(), "to": (today + timedelta(days=90)).isoformat()}
            ],
        },
        coordinator,
    )
    vetted = await client.post(
        f"{API}/host-families/{family['id']}/vetting",
        json={"status": "approved", "checked_on": today.isoformat()},
        headers=coordinator.headers,
    )
    assert vetted.status_code == 200, vetted.text
    started = await client.post(
        f"{API}/host-matching/runs",
        json={"receiving_organisation_id": coordinator.organisation_id},
        headers=coordinator.headers,
    )
    assert started.status_code == 202, started.text
    for _ in range(600):
        run = (
            await client.get(
                f"{API}/host-matching/runs/{started.json()['id']}", headers=coordinator.headers
            )
        ).json()
        if run["status"] in ("done", "failed"):
            break
        await asyncio.sleep(0.05)
    [proposal] = run["proposals"]
    return str(family["id"]), str(proposal["placement_id"])


async def test_a_partner_teacher_never_sees_birth_dates_emails_or_guardians(
    application: FastAPI, api: Api, client: AsyncClient
) -> None:
    fr = await school(api, "FR", "Europe/Paris", city="Lyon")
    it = await school(api, "IT", "Europe/Rome", city="Bologna")
    emilie = await learner(api, fr, 14, display_name="Émilie Rousseau")
    marco = await learner(api, it, 15)
    guardian = await guardian_of(api, emilie, display_name="Hélène Rousseau-Garnier")
    exchange = await exchange_between(client, api, [fr, it], [[emilie], [marco]])
    session = await schedule(client, exchange, datetime.now(UTC) + timedelta(days=2))
    given = await client.post(
        f"{API}/learners/{emilie.id}/consents",
        json={"purpose": "live_sessions"},
        headers=guardian.headers,
    )
    assert given.status_code == 201, given.text
    invite = await client.post(
        f"{API}/learners/{emilie.id}/guardian-invites",
        json={"email": "second.guardian@example.org"},
        headers=fr.teacher.headers,
    )
    assert invite.status_code == 201, invite.text
    seen_by_admin = await client.get(f"{API}/exchanges/{exchange.id}", headers=api.admin.headers)
    assert seen_by_admin.status_code == 200, seen_by_admin.text
    feed = await client.post(f"{API}/calendar/feeds", headers=it.teacher.headers)
    assert feed.status_code == 201, feed.text
    emilie_record = await client.get(f"{API}/users/{emilie.id}", headers=api.admin.headers)
    birth_date = emilie_record.json()["birth_date"]
    assert birth_date

    # Émilie's blended mobility to Bologna, the partner teacher her receiving tutor.
    mobility = await api.create(
        f"{API}/mobilities",
        blended_mobility(emilie, exchange, company="Osteria", in_days=30, days=14),
        fr.coordinator,
    )

    # A host family in Bologna and a proposed placement of Émilie with it.
    family_id, placement_id = await _hosting(client, api, it.coordinator, mobility["id"], fr)

    # Lyon's webhook subscription (a literal public address: nothing to resolve or send).
    hook = {"url": "https://93.184.215.14/hooks", "event_types": ["session.scheduled"]}
    webhook = await api.create(f"{API}/organisations/{fr.id}/webhooks", hook, fr.coordinator)

    people = [emilie.id, guardian.id, fr.teacher.id, fr.coordinator.id, marco.id]
    candidates = {
        "organisation_id": [fr.id, it.id],
        "network_id": [seen_by_admin.json()["network_id"]],
        "user_id": people,
        "learner_id": [emilie.id, marco.id],
        "class_id": [c["id"] for c in exchange.classes],
        "exchange_id": [exchange.id],
        "session_id": [session["id"]],
        "run_id": [seen_by_admin.json().get("run_id") or str(uuid.uuid4())],
        "certificate_id": [str(uuid.uuid4())],
        "mobility_id": [mobility["id"]],
        "activity_id": [str(builtin_id("icebreaker"))],
        "family_id": [family_id],
        "placement_id": [placement_id],
        "webhook_id": [webhook["id"]],
        "token": [feed.json()["url"].rsplit("/", 1)[1].removesuffix(".ics")],
    }
    secrets = [
        emilie.email,
        birth_date,
        guardian.id,
        guardian.email,
        "Hélène Rousseau-Garnier",
        "second.guardian@example.org",
    ]

    walked = 0
    answered = 0
    for template, operations in application.openapi()["paths"].items():
        if "get" not in operations:
            continue
        names = PARAM.findall(template)
        missing = [n for n in names if n not in candidates]
        assert not missing, f"{template}: give this test ids for {missing}"
        paths = [template]
        for name in names:
            paths = [p.replace(f"{{{name}}}", value) for p in paths for value in candidates[name]]
        for path in paths:
            response = await client.get(path, headers=it.teacher.headers)
            walked += 1
            assert response.status_code < 500, (path, response.text)
            if response.status_code >= 300:
                continue
            answered += 1
            text = response.content.decode("utf-8", errors="replace")
            leaked = [s for s in secrets if s in text]
            assert not leaked, f"GET {path} shows {leaked}"
    assert walked >= 60
    assert answered > 15  # the partner teacher did see a good deal: the walk was not all 404s
