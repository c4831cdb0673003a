"""Erasing a learner who was in a live room: no table keeps their name (the room's presence
snapshots included), and the attendance figures stay, under the pseudonym."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlmodel import col

from app.live.tables import PresenceInterval
from tests.family_world import API, columns_holding
from tests.realtime.attendance_play import Play, by_name


async def test_erasure_reaches_presence_and_keeps_the_minutes(play: Play) -> None:
    fr, _ = play.exchange.schools
    # a name no other played session gave anyone: the check below searches every table
    name = f"Loïc Béranger, dit « Lolo » {uuid.uuid4().hex[:8]}"
    renamed = await play.server.http.patch(
        f"{API}/users/{play.people['drops'].id}",
        json={"display_name": name},
        headers=fr.coordinator.headers,
    )
    assert renamed.status_code == 200, renamed.text
    play.at(0)
    client = await play.join("drops")
    assert (await client.command("chat.send", text="Salut, c'est Loïc"))["type"] == "ack"
    play.at(40)
    await play.leave("drops", client)
    play.at(61)
    before = by_name((await play.attendance(fr.teacher))["items"])[name]
    assert await columns_holding(play.server.app, name)  # in the room's presence snapshots

    erased = await play.server.http.post(
        f"{API}/users/{play.people['drops'].id}/erase", headers=fr.coordinator.headers
    )
    assert erased.status_code == 200, erased.text
    pseudonym = erased.json()["display_name"]

    assert await columns_holding(play.server.app, name, play.people["drops"].email) == []
    async with play.server.app.state.ctx.db_factory() as db:
        snapshots = set(
            await db.scalars(
                select(col(PresenceInterval.display_name)).where(
                    col(PresenceInterval.user_id) == uuid.UUID(erased.json()["id"])
                )
            )
        )
    assert snapshots == {pseudonym}
    after = by_name((await play.attendance(fr.teacher))["items"])[pseudonym]
    assert (after["status"], after["online_seconds"]) == (
        before["status"],
        before["online_seconds"],
    )
