"""Mobility data in a learner's export and erasure, and the retention of its free text."""

from __future__ import annotations

import json
from datetime import timedelta

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select

from app.core.clock import ManualClock
from app.mobility.sweeper import PURGED, sweep
from app.mobility.tables import CheckIn, ChecklistItem, Incident, Mobility
from tests.factories import Api
from tests.family_world import columns_holding
from tests.mobility.world import World, build

NOTE = "Missing my dog Caramel"
SHARED = "Ate tortellini every day"
INCIDENT = "Cut finger with a mandoline"


async def abroad_with_history(w: World) -> str:
    mid: str = (await w.create())["id"]
    for status in ("preparing", "abroad"):
        assert (await w.status(mid, status)).status_code == 200
    for hours, note, shared in ((1, NOTE, False), (2, SHARED, True)):
        asked = await w.ok(
            w.it.teacher,
            "POST",
            f"/mobilities/{mid}/checkins",
            {"due_at": (w.clock() + timedelta(hours=hours)).isoformat()},
        )
        await w.ok(
            w.lea,
            "POST",
            f"/mobilities/{mid}/checkins/{asked['id']}/answer",
            {"wellbeing": 4, "placement_ok": True, "note": note, "share_with_guardian": shared},
        )
    await w.ok(
        w.it.teacher,
        "POST",
        f"/mobilities/{mid}/incidents",
        {"severity": "medium", "description": INCIDENT},
    )
    return mid


async def test_the_export_holds_the_learners_mobilities(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    w = await build(api, client, application, clock)
    mid = await abroad_with_history(w)

    mine = (await w.ok(w.lea, "GET", f"/users/{w.lea.id}/export"))["mobilities"]
    [entry] = mine["as_learner"]
    assert entry["id"] == mid
    assert len(entry["checklist"]) == 9
    assert [c["note"] for c in entry["checkins"]] == [NOTE, SHARED]
    assert [i["description"] for i in entry["incidents"]] == [INCIDENT]

    by_guardian = await w.ok(w.guardian, "GET", f"/users/{w.lea.id}/export")
    [seen] = by_guardian["mobilities"]["as_learner"]
    assert [c["note"] for c in seen["checkins"]] == [None, SHARED]
    assert "incidents" not in seen
    text = json.dumps(by_guardian)
    assert NOTE not in text
    assert INCIDENT not in text

    tutor = await w.ok(w.it.teacher, "GET", f"/users/{w.it.teacher.id}/export")
    assert tutor["mobilities"] == {"as_learner": [], "as_tutor": [mid]}


async def test_erasing_a_learner_erases_their_mobilities(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    w = await build(api, client, application, clock)
    mid = await abroad_with_history(w)
    assert await columns_holding(application, NOTE, INCIDENT, "Léa Martin")

    erased = await w.call(w.fr.coordinator, "POST", f"/users/{w.lea.id}/erase")
    assert erased.status_code == 200, erased.text

    assert await columns_holding(application, NOTE, SHARED, INCIDENT, "Léa Martin") == []
    assert (await w.call(w.fr.coordinator, "GET", f"/mobilities/{mid}")).status_code == 404
    async with application.state.ctx.db_factory() as db:
        for table in (Mobility, ChecklistItem, CheckIn, Incident):
            assert await db.scalar(select(func.count()).select_from(table)) == 0
    audit = await w.ok(w.api.admin, "GET", f"/audit?target_id={mid}&limit=100")
    assert "mobility.created" in {r["action"] for r in audit["items"]}  # the trail stays


async def test_free_text_is_purged_after_the_retention_period(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    w = await build(api, client, application, clock)
    mid = await abroad_with_history(w)
    await w.ok(w.lea, "POST", f"/mobilities/{mid}/reflection", {"text": "Bella esperienza"})
    assert (await w.status(mid, "completed")).status_code == 200
    factory = application.state.ctx.db_factory
    grace, keep = timedelta(hours=24), timedelta(days=365)

    clock.set(clock() + timedelta(days=360))
    assert (await sweep(factory, now=clock(), grace=grace, retention=keep)).purged == 0
    clock.set(clock() + timedelta(days=60))
    assert (await sweep(factory, now=clock(), grace=grace, retention=keep)).purged == 1
    assert (await sweep(factory, now=clock(), grace=grace, retention=keep)).purged == 0

    assert await columns_holding(application, NOTE, SHARED, INCIDENT, "Bella esperienza") == []
    checkins = (await w.ok(w.lea, "GET", f"/mobilities/{mid}/checkins"))["items"]
    assert [c["note"] for c in checkins] == [PURGED, PURGED]
    assert [c["wellbeing"] for c in checkins] == [4, 4]  # the answers themselves stay
    summary = await w.ok(w.lea, "GET", f"/mobilities/{mid}/summary")
    assert summary["reflection"] == PURGED
