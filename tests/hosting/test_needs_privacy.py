"""Hosting needs a guardian sees and adds to; hosting data in the export and erasure; the
retention of thread text."""

from __future__ import annotations

import json
from datetime import timedelta

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select

from app.core.clock import ManualClock
from app.hosting.retention import purge_threads
from app.hosting.tables import HostMember, Placement, PlacementMessage
from app.mobility.sweeper import PURGED
from tests.factories import Api
from tests.family_world import columns_holding
from tests.hosting.world import build_hosts

SECRET = "Léa sleepwalks, please lock the balcony"


async def test_a_guardian_sees_and_adds_to_the_needs(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    h = await build_hosts(api, client, application, clock)
    w = h.w
    mobility = await h.incoming()
    path = f"/mobilities/{mobility['id']}/hosting"
    seen = await w.ok(w.guardian, "GET", path)
    assert seen["hosting"]["diet"] == ["vegetarian"]
    added = await w.ok(
        w.guardian,
        "PATCH",
        path,
        {"diet": ["gluten_free"], "allergies": ["cats"], "non_smoking": False},
    )
    # A guardian adds: the vegetarian diet stays, non-smoking stays on.
    assert added["hosting"]["diet"] == ["vegetarian", "gluten_free"]
    assert added["hosting"]["allergies"] == ["cats"]
    assert added["hosting"]["non_smoking"] is True
    # The sending tutor sets them outright.
    tutor = await w.ok(w.fr.teacher, "PATCH", path, {"diet": [], "non_smoking": False})
    assert tutor["hosting"]["diet"] == []
    assert tutor["hosting"]["non_smoking"] is False
    assert tutor["hosting"]["allergies"] == ["cats"]
    assert (await w.call(w.lea, "PATCH", path, {"diet": ["vegan"]})).status_code == 403
    for outsider in (w.de_guardian, w.other_teacher, w.de.coordinator):
        assert (await w.call(outsider, "GET", path)).status_code == 404
        assert (await w.call(outsider, "PATCH", path, {"diet": ["vegan"]})).status_code == 404


async def _accepted_with_a_message(h: object) -> tuple[str, str]:
    from tests.hosting.world import HostWorld

    assert isinstance(h, HostWorld)
    w = h.w
    rossi = await h.family("Rossi")
    maria = await h.host_of(rossi["id"], "Maria Rossi")
    await h.incoming()
    run = await h.run()
    [proposal] = run["proposals"]
    pid = proposal["placement_id"]
    await w.ok(maria, "POST", f"/placements/{pid}/accept")
    await w.ok(w.fr.teacher, "POST", f"/placements/{pid}/accept")
    await w.ok(w.guardian, "POST", f"/placements/{pid}/messages", {"text": SECRET})
    return pid, maria.id


async def test_hosting_data_in_the_export_and_erasure(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    h = await build_hosts(api, client, application, clock)
    w = h.w
    pid, maria_id = await _accepted_with_a_message(h)

    mine = (await w.ok(w.lea, "GET", f"/users/{w.lea.id}/export"))["hosting"]
    [placement] = mine["placements"]
    assert placement["id"] == pid
    assert [m["text"] for m in placement["messages"]] == [SECRET]
    guardian = (await w.ok(w.guardian, "GET", f"/users/{w.guardian.id}/export"))["hosting"]
    assert [m["text"] for m in guardian["messages_written"]] == [SECRET]
    host = (await w.ok(w.api.admin, "GET", f"/users/{maria_id}/export"))["hosting"]
    assert [f["display_name"] for f in host["host_families"]] == ["Rossi"]
    assert "host_placement" not in json.dumps(host.get("other_records", {}))

    erased = await w.call(w.fr.coordinator, "POST", f"/users/{w.lea.id}/erase")
    assert erased.status_code == 200, erased.text
    assert await columns_holding(application, SECRET, "Léa Martin") == []
    async with application.state.ctx.db_factory() as db:
        for table in (Placement, PlacementMessage):
            assert await db.scalar(select(func.count()).select_from(table)) == 0
    gone = await w.call(w.api.admin, "POST", f"/users/{maria_id}/erase")
    assert gone.status_code == 200, gone.text
    async with application.state.ctx.db_factory() as db:
        assert await db.scalar(select(func.count()).select_from(HostMember)) == 0


async def test_thread_text_is_purged_after_the_retention_period(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    h = await build_hosts(api, client, application, clock)
    w = h.w
    pid, _ = await _accepted_with_a_message(h)
    factory = application.state.ctx.db_factory
    keep = timedelta(days=365)
    ends = w.starts_on + timedelta(days=21)
    clock.set(clock() + (ends - clock().date()) + timedelta(days=360))
    assert await purge_threads(factory, now=clock(), retention=keep) == 0
    clock.set(clock() + timedelta(days=10))
    assert await purge_threads(factory, now=clock(), retention=keep) == 1
    assert await purge_threads(factory, now=clock(), retention=keep) == 0
    thread = await w.ok(w.guardian, "GET", f"/placements/{pid}/messages")
    assert [m["text"] for m in thread["items"]] == [PURGED]
    assert await columns_holding(application, SECRET) == []
