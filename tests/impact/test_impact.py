"""An organisation's impact: per class and in total, in JSON and CSV, for its coordinators."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

from fastapi import FastAPI
from httpx import AsyncClient

from app.activities.tables import ActivityRun
from app.core.clock import ManualClock
from tests.badges.conftest import application, clock, settings
from tests.badges.test_badges import attended_sessions
from tests.factories import Api
from tests.mobility.world import build

__all__ = ["application", "clock", "settings"]


async def test_the_impact_of_a_school_per_class_and_in_total(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    w = await build(api, client, application, clock)
    sessions = await attended_sessions(w, clock, 3)
    async with application.state.ctx.db_factory() as db:  # a quiz was run in the first one
        db.add(
            ActivityRun(
                session_id=uuid.UUID(sessions[0]["id"]),
                position=0,
                activity_id=uuid.uuid4(),
                kind="quiz",
                started_at=clock(),
            )
        )
        await db.commit()
    clock.advance(timedelta(days=5))
    reflected = await w.call(
        w.lea,
        "POST",
        f"/sessions/{sessions[0]['id']}/reflections",
        {"answers": {"learned": "a lot"}},
    )
    assert reflected.status_code == 201, reflected.text
    badges = await w.ok(w.lea, "GET", f"/learners/{w.lea.id}/badges")
    assert badges["total"] == 1
    certificates = await w.ok(w.lea, "GET", f"/learners/{w.lea.id}/certificates")
    assert [c["badge_id"] for c in certificates["items"]] == [badges["items"][0]["id"]]

    url = f"/organisations/{w.fr.id}/impact"
    impact = await w.ok(w.fr.coordinator, "GET", url)
    total = impact["total"]
    assert (total["learners_reached"], total["contact_hours"]) == (1, 12.0)
    assert total["partner_countries"] == ["IT"]
    assert (total["exchanges"], total["sessions"], total["activities"]) == (1, 3, 1)
    assert (total["reflections"], total["badges"]) == (1, 1)
    reached = [c for c in impact["classes"] if c["learners_reached"]]
    assert len(reached) == 1
    assert reached[0]["contact_hours"] == 12.0

    before = await w.ok(w.fr.coordinator, "GET", url + f"?to={sessions[0]['starts_at'][:10]}")
    assert before["total"]["sessions"] == 1  # the period counts

    sheet = await client.get(f"/api/v1{url}.csv", headers=w.fr.coordinator.headers)
    assert sheet.status_code == 200, sheet.text
    rows = list(csv.reader(io.StringIO(sheet.text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["class_id", "class", "learners_reached"]
    assert rows[-1][1:4] == ["total", "1", "12.0"]
    for outsider, status in ((w.fr.teacher, 403), (w.it.coordinator, 404), (w.lea, 403)):
        refused = await w.call(outsider, "GET", url)
        assert refused.status_code == status, (outsider.role, refused.text)
