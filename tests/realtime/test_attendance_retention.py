"""After a session ends its attendance is sealed; after the retention periods its chat and
presence details are purged, and attendance, hours and the roster it had stay as they were."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from app.core.settings import Settings
from app.live.tables import ChatMessage, PresenceInterval, RoomEvent
from app.scheduling.tables import LiveSession
from tests.family_world import API
from tests.realtime.attendance_play import Play, by_name


@pytest.fixture
def play_settings(live_settings: Settings) -> Settings:
    return live_settings.model_copy(
        update={
            "absence_alerts_poll_seconds": 0.05,
            "retention_purge_seconds": 0.05,
            "retention_chat_days": 1,
            "retention_presence_days": 3,
        }
    )


async def count(play: Play, table: Any, column: Any) -> int:
    async with play.server.app.state.ctx.db_factory() as db:
        found = await db.scalar(
            select(func.count()).select_from(table).where(column == uuid.UUID(play.session_id))
        )
    return int(found or 0)


async def sealed(play: Play) -> bool:
    async with play.server.app.state.ctx.db_factory() as db:
        live = await db.get(LiveSession, uuid.UUID(play.session_id))
        return live is not None and live.attendance_sealed_at is not None


async def until(check: Any) -> None:
    async with asyncio.timeout(10):
        while True:
            if await check():
                return
            await asyncio.sleep(0.02)


async def test_sealed_attendance_outlives_the_purge_of_chat_and_presence(play: Play) -> None:
    fr, it = play.exchange.schools
    http = play.server.http
    play.at(0)
    zoe = await play.join("on_time")
    assert (await zoe.command("chat.send", text="Bonjour l'Italie !"))["type"] == "ack"
    play.at(30)
    late = await play.join("late")
    play.at(45)
    await play.leave("late", late)
    play.at(60)
    await play.leave("on_time", zoe)

    async def sheets() -> tuple[dict[str, Any], dict[str, Any]]:
        fr_view = await http.get(
            f"{API}/sessions/{play.session_id}/attendance", headers=fr.teacher.headers
        )
        it_view = await http.get(
            f"{API}/sessions/{play.session_id}/attendance", headers=it.teacher.headers
        )
        assert fr_view.status_code == 200, fr_view.text
        assert it_view.status_code == 200, it_view.text
        return by_name(fr_view.json()["items"]), by_name(it_view.json()["items"])

    async def hours() -> int:
        found = await http.get(
            f"{API}/learners/{play.people['late'].id}/hours", headers=it.teacher.headers
        )
        assert found.status_code == 200, found.text
        seconds: int = found.json()["seconds"]
        return seconds

    play.at(61)
    before = await sheets()
    hours_before = await hours()
    assert before[0]["Zoé Lefèvre"]["online_seconds"] == 3600
    assert before[1]["Niccolò Sforza"]["status"] == "partial"
    assert hours_before == 15 * 60
    await until(lambda: sealed(play))

    # a day and a half later: the chat is purged, the presence not yet
    play.at(60 + 36 * 60)
    await until(lambda: _zero(count(play, ChatMessage, col(ChatMessage.session_id))))
    assert await count(play, RoomEvent, col(RoomEvent.session_id)) == 0
    assert await count(play, PresenceInterval, col(PresenceInterval.session_id)) > 0

    # four days later: presence is purged too
    play.at(60 + 4 * 24 * 60)
    await until(lambda: _zero(count(play, PresenceInterval, col(PresenceInterval.session_id))))
    # the roster changes after the session: its sealed sheet keeps the roster it had
    fr_class = play.exchange.classes[0]["id"]
    moved = await http.put(
        f"{API}/classes/{fr_class}/learners",
        json={"learner_ids": [play.people["tabs"].id]},
        headers=fr.coordinator.headers,
    )
    assert moved.status_code == 200, moved.text

    after = await sheets()
    assert after == before
    assert await hours() == hours_before
    override = await http.put(
        f"{API}/sessions/{play.session_id}/attendance/{play.people['late'].id}",
        json={"status": "excused", "reason": "Dentist, note from home"},
        headers=it.teacher.headers,
    )
    assert override.status_code == 200, override.text
    line = by_name(override.json()["items"])["Niccolò Sforza"]
    assert (line["status"], line["computed_status"], line["online_seconds"]) == (
        "excused",
        "partial",
        15 * 60,
    )


async def _zero(pending: Any) -> bool:
    return bool(await pending == 0)
