"""The demo data loads once, holds what `make run` promises, and a second load changes nothing."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from httpx import AsyncClient

from app.core.settings import Settings
from app.demo import DEMO_PASSWORD, load_demo, logins
from tests.factories import bearer, login


async def test_demo_loads_once_and_its_logins_work(settings: Settings, client: AsyncClient) -> None:
    today = date(2026, 11, 28)
    now = datetime.now(UTC)
    assert await load_demo(settings, today, now) is True
    assert await load_demo(settings, today, now) is False

    admin = bearer(
        (await login(client, settings.admin_email or "", settings.admin_password or ""))[
            "access_token"
        ]
    )
    orgs = (await client.get("/api/v1/organisations", headers=admin)).json()
    assert {o["country"] for o in orgs["items"]} == {"FR", "IT", "DE", "ES", "FI"}
    classes = (await client.get("/api/v1/classes?limit=100", headers=admin)).json()
    assert classes["total"] >= 12
    assert len({c["field"] for c in classes["items"]}) >= 3
    learners = (await client.get("/api/v1/users?role=learner&limit=100", headers=admin)).json()
    minors = [
        u
        for u in learners["items"]
        if (today - date.fromisoformat(u["birth_date"])).days < 18 * 365
    ]
    assert 0 < len(minors) < learners["total"]
    networks = (await client.get("/api/v1/networks", headers=admin)).json()
    assert networks["total"] == 1
    assert networks["items"][0]["member_count"] == 5

    guardian = bearer(
        (await login(client, "guardian@koeln.demo.passerelle.eu", DEMO_PASSWORD))["access_token"]
    )
    linked = (await client.get("/api/v1/users?role=learner", headers=guardian)).json()
    assert linked["total"] >= 1
    teacher = bearer(
        (await login(client, "teacher1@lyon.demo.passerelle.eu", DEMO_PASSWORD))["access_token"]
    )
    mine = (await client.get("/api/v1/classes", headers=teacher)).json()
    assert mine["total"] >= 1


async def test_the_demo_has_a_session_running_now_and_consents_both_ways(
    settings: Settings, client: AsyncClient
) -> None:
    now = datetime.now(UTC)
    await load_demo(settings, now.date(), now)
    await load_demo(settings, now.date(), now + timedelta(minutes=5))  # nothing new: one runs

    def actor(email: str) -> Awaitable[dict[str, Any]]:
        return login(client, email, DEMO_PASSWORD)

    teacher = bearer((await actor("teacher1@lyon.demo.passerelle.eu"))["access_token"])
    listed = await client.get("/api/v1/sessions", headers=teacher)
    assert listed.status_code == 200, listed.text
    sessions = listed.json()["items"]
    assert len(sessions) == 2
    running = [s for s in sessions if parse(s["starts_at"]) <= now < parse(s["ends_at"])]
    soon = [s for s in sessions if now < parse(s["starts_at"]) <= now + timedelta(minutes=15)]
    assert len(running) == len(soon) == 1
    room = f"/api/v1/sessions/{running[0]['id']}/tickets"

    for email, status in (
        ("teacher1@lyon.demo.passerelle.eu", 201),
        ("learner1@lyon.demo.passerelle.eu", 201),  # Léa, 15 in France: decides alone
        ("learner1@koeln.demo.passerelle.eu", 201),  # Jonas, 15 in Germany: his guardian said yes
        ("learner4@koeln.demo.passerelle.eu", 403),  # Mia, 14: nobody has consented yet
    ):
        headers = bearer((await actor(email))["access_token"])
        answer = await client.post(room, headers=headers)
        assert answer.status_code == status, (email, answer.text)
    printed = logins(settings, "http://localhost:8801")
    assert "learner4@koeln.demo.passerelle.eu" in printed
    assert "http://localhost:8801/console" in printed


def parse(instant: str) -> datetime:
    return datetime.fromisoformat(instant)
