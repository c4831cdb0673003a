"""Killing the server mid-session loses no join or leave already written; the connection it
left open is closed at its last heartbeat by the next process, so attendance after the
session is right to within one heartbeat."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select, update
from sqlmodel import col

from app.core.db import create_engine, session_factory
from app.core.settings import Settings
from app.live.tables import PresenceInterval
from app.scheduling.tables import LiveSession
from tests.factories import Actor, Api
from tests.family_world import API, exchange_between, learner, schedule
from tests.family_world import school as new_school
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient
from tests.realtime.server_process import free_port, server_process

HEARTBEAT = 0.5
SWEEP = 0.1


async def intervals(settings: Settings, session_id: str) -> dict[uuid.UUID, list[PresenceInterval]]:
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as db:
            rows = await db.scalars(
                select(PresenceInterval)
                .where(col(PresenceInterval.session_id) == uuid.UUID(session_id))
                .order_by(col(PresenceInterval.joined_at))
            )
            found: dict[uuid.UUID, list[PresenceInterval]] = {}
            for row in rows:
                found.setdefault(row.user_id, []).append(row)
            return found
    finally:
        await engine.dispose()


async def started_minutes_ago(settings: Settings, session_id: str, minutes: int) -> None:
    """Arrange a session that is running now (the API only schedules future sessions)."""
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as db:
            start = datetime.now(UTC) - timedelta(minutes=minutes)
            await db.execute(
                update(LiveSession)
                .where(col(LiveSession.id) == uuid.UUID(session_id))
                .values(starts_at=start, ends_at=start + timedelta(hours=1))
            )
            await db.commit()
    finally:
        await engine.dispose()


async def test_a_killed_server_loses_at_most_one_heartbeat(
    live_settings: Settings, world: World, tmp_path: Path
) -> None:
    settings = live_settings.model_copy(
        update={
            "ws_presence_heartbeat_s": HEARTBEAT,
            "ws_presence_stale_s": 3 * HEARTBEAT,
            "ws_sweep_interval_s": SWEEP,
            "log_json": False,
        }
    )
    port = free_port()
    with (tmp_path / "server.log").open("wb") as log:
        with server_process(settings, port, log) as first:
            await first.ready()
            async with httpx.AsyncClient(base_url=first.base_url, timeout=10) as http:
                api = await Api.start(http)
                fr = await new_school(api, "FR", "Europe/Paris")
                fi = await new_school(api, "FI", "Europe/Helsinki")
                gone, stays = await learner(api, fr, 17), await learner(api, fi, 17)
                exchange = await exchange_between(http, api, [fr, fi], [[gone], [stays]])
                session = await schedule(http, exchange, datetime.now(UTC) + timedelta(hours=2))
                session_id = session["id"]
                await started_minutes_ago(settings, session_id, 5)

                url = f"ws://127.0.0.1:{port}/ws/sessions/{session_id}"

                async def join(who: Actor) -> LiveClient:
                    issued = await http.post(
                        f"{API}/sessions/{session_id}/tickets", headers=who.headers
                    )
                    assert issued.status_code == 201, issued.text
                    client = await LiveClient.open(f"{url}?ticket={issued.json()['ticket']}")
                    await client.wait_for(lambda f: f["type"] == "welcome")
                    return client

                early = await join(gone)
                await asyncio.sleep(1.0)
                await early.close()
                remaining = await join(stays)
                async with asyncio.timeout(10):
                    while True:  # the leave is written before the crash
                        written = await intervals(settings, session_id)
                        if written[uuid.UUID(gone.id)][0].left_at is not None:
                            break
                        await asyncio.sleep(0.05)
                await asyncio.sleep(6 * HEARTBEAT)
                before = await intervals(settings, session_id)
                killed_at = datetime.now(UTC)
                first.kill()
                await remaining.wait_closed()

        after_kill = await intervals(settings, session_id)
        (open_one,) = after_kill[uuid.UUID(stays.id)]
        assert open_one.left_at is None  # nobody closed it: the process died
        assert killed_at - open_one.last_heartbeat <= timedelta(seconds=HEARTBEAT + SWEEP + 0.2)

        with server_process(settings, port, log) as second:
            await second.ready()
            async with asyncio.timeout(15):
                while True:  # the new process's sweeper closes what the dead one left open
                    closed = await intervals(settings, session_id)
                    if closed[uuid.UUID(stays.id)][0].left_at is not None:
                        break
                    await asyncio.sleep(0.1)
            (reaped,) = closed[uuid.UUID(stays.id)]
            assert reaped.left_at == open_one.last_heartbeat  # at its last heartbeat
            assert killed_at - reaped.left_at <= timedelta(seconds=HEARTBEAT + SWEEP + 0.2)
            # what was written before the crash is untouched
            (left_early,) = closed[uuid.UUID(gone.id)]
            (was,) = before[uuid.UUID(gone.id)]
            assert (left_early.joined_at, left_early.left_at) == (was.joined_at, was.left_at)

            async with httpx.AsyncClient(base_url=second.base_url, timeout=10) as http:
                sheet = await http.get(
                    f"{API}/sessions/{session_id}/attendance", headers=fr.teacher.headers
                )
                assert sheet.status_code == 200, sheet.text
                lines = {x["learner_id"]: x for x in sheet.json()["items"]}
                fi_sheet = await http.get(
                    f"{API}/sessions/{session_id}/attendance", headers=fi.teacher.headers
                )
                fi_lines = {x["learner_id"]: x for x in fi_sheet.json()["items"]}
    assert lines[gone.id]["online_seconds"] == seconds_between(was.joined_at, was.left_at)
    online = fi_lines[stays.id]["online_seconds"]
    assert online == seconds_between(reaped.joined_at, reaped.left_at)
    truth = (killed_at - reaped.joined_at).total_seconds()
    assert truth - online <= HEARTBEAT + SWEEP + 1  # one heartbeat (plus whole-second flooring)
    assert fi_lines[stays.id]["online_now"] is False
    assert fi_lines[stays.id]["last_leave"] is not None


def seconds_between(joined: datetime, left: datetime | None) -> int:
    assert left is not None
    return int((left - joined).total_seconds())
