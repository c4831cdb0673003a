"""The demo data loads once, holds what `make run` promises, and a second load changes nothing."""

from __future__ import annotations

from datetime import date

from httpx import AsyncClient

from app.core.settings import Settings
from app.demo import DEMO_PASSWORD, load_demo
from tests.factories import bearer, login


async def test_demo_loads_once_and_its_logins_work(settings: Settings, client: AsyncClient) -> None:
    today = date(2026, 11, 28)
    assert await load_demo(settings, today) is True
    assert await load_demo(settings, today) is False

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
