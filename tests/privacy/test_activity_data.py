"""A learner's reflections and badges are in their export, and erasure removes what they wrote
and the signed badge that names them."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from httpx import AsyncClient

from app.core.clock import ManualClock
from tests.badges.conftest import application, clock, settings
from tests.badges.test_badges import attended_sessions
from tests.factories import Api
from tests.family_world import columns_holding
from tests.mobility.world import build

__all__ = ["application", "clock", "settings"]


async def test_reflections_and_badges_are_exported_then_erased(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    w = await build(api, client, application, clock)
    sessions = await attended_sessions(w, clock, 3)
    clock.advance(timedelta(days=5))
    words = "Les horaires du déjeuner à Bologne m'ont surprise"
    reflected = await w.call(
        w.lea, "POST", f"/sessions/{sessions[0]['id']}/reflections", {"answers": {"learned": words}}
    )
    assert reflected.status_code == 201, reflected.text
    assert (await w.ok(w.lea, "GET", f"/learners/{w.lea.id}/badges"))["total"] == 1

    exported = await w.ok(api.admin, "GET", f"/users/{w.lea.id}/export")
    assert words in str(exported)
    assert "badge" in str(exported)

    erased = await w.call(w.fr.coordinator, "POST", f"/users/{w.lea.id}/erase")
    assert erased.status_code == 200, erased.text
    assert await columns_holding(application, words) == []
    assert (await w.ok(api.admin, "GET", f"/learners/{w.lea.id}/badges"))["total"] == 0
