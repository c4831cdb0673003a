"""A full room: two teachers and 30 learners from two countries, over real WebSockets.

Chat in one order for everyone with contiguous `seq`, a poll round, a breakout round that mixes
countries, a learner who misses ten messages and resumes, and the end of the session."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

from sqlalchemy import func, select
from sqlmodel import col

from app.live.tables import PresenceInterval, RoomEvent
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient, LiveServer, assert_contiguous, chat_texts, new_session


async def test_two_teachers_and_thirty_learners(server: LiveServer, world: World) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    teachers = [
        await LiveClient.join(server, world.t_fr, session_id),
        await LiveClient.join(server, world.t_fi, session_id),
    ]
    learners = list(
        await asyncio.gather(*(LiveClient.join(server, a, session_id) for a in world.learners))
    )
    everyone = teachers + learners
    t_fr, t_fi = teachers
    # Presence: the first teacher sees the 31 others arrive, each once, with role and country.
    joined = await t_fr.wait_count(lambda f: f["type"] == "presence.joined", 31)
    members = {f["member"]["id"]: f["member"] for f in joined}
    assert len(members) == 31
    assert members[world.t_fi.id]["role"] == "teacher"
    for learner in world.learners:
        assert members[learner.id]["role"] == "learner"
        assert members[learner.id]["country"] == world.country(learner.id)
        assert members[learner.id]["class_id"] in (world.class_fr, world.class_fi)
    assert learners[-1].welcome["you"]["id"] == world.learners[-1].id

    # Chat: eight senders at once; everyone gets every message, in one order.
    senders = [t_fr, t_fi, *learners[:3], *learners[15:18]]
    acks = await asyncio.gather(
        *(s.command("chat.send", text=f"{s.name[:8]} says {i}") for s in senders for i in range(3))
    )
    assert {a["type"] for a in acks} == {"ack"}
    sent = {f"{s.name[:8]} says {i}" for s in senders for i in range(3)}
    orders = []
    for client in everyone:
        got = await client.wait_count(lambda f: f["type"] == "chat.message", len(sent))
        assert set(chat_texts(got)) == sent
        orders.append([(f["seq"], f["message_id"]) for f in got])
        assert_contiguous(client)
    assert all(order == orders[0] for order in orders)
    assert sorted(a["seq"] for a in acks) == sorted(seq for seq, _ in orders[0])

    # A poll round: the French teacher asks, every learner votes, the poll closes.
    started = await t_fr.command("poll.start", question="Best dish?", options=["a", "b", "c"])
    poll = await learners[0].wait_for(lambda f: f["type"] == "poll.started")
    assert poll["seq"] == started["seq"]
    votes = await asyncio.gather(
        *(
            learner.command("poll.vote", poll_id=poll["poll_id"], option=i % 3)
            for i, learner in enumerate(learners)
        )
    )
    assert {v["type"] for v in votes} == {"ack"}
    closed_ack = await t_fr.command("poll.close", poll_id=poll["poll_id"])
    assert closed_ack["type"] == "ack"
    expected = [10, 10, 10]
    for client in everyone:
        closed = await client.wait_for(lambda f: f["type"] == "poll.closed")
        assert closed["counts"] == expected
        results = client.of_type("poll.results")
        assert len(results) == 30
        assert results[-1]["counts"] == expected

    # A breakout round: groups of at most four, each with both countries.
    assert (await t_fi.command("breakout.start", group_size=4))["type"] == "ack"
    groups = (await learners[5].wait_for(lambda f: f["type"] == "breakout.started"))["groups"]
    placed = [m["id"] for g in groups for m in g["members"]]
    assert sorted(placed) == sorted(a.id for a in world.learners)
    assert len(groups) == 8
    assert {len(g["members"]) for g in groups} <= {3, 4}
    for group in groups:
        assert {m["country"] for m in group["members"]} == {"FR", "FI"}
    assert (await t_fi.command("breakout.end"))["type"] == "ack"
    await t_fr.wait_for(lambda f: f["type"] == "breakout.ended")

    # A learner drops out for ten messages, then resumes: exactly those ten, in order.
    away = learners[7]
    last = away.room_events()[-1]
    await away.close()
    left = await t_fr.wait_for(
        lambda f: f["type"] == "presence.left" and f["member"]["id"] == world.learners[7].id
    )
    assert left["seq"] > last["seq"]
    missed = [f"while you were away {i}" for i in range(10)]
    for text in missed:
        assert (await t_fi.command("chat.send", text=text))["type"] == "ack"
    back = await LiveClient.join(
        server,
        world.learners[7],
        session_id,
        last_seq=last["seq"],
        epoch=away.welcome["epoch"],
    )
    welcome = back.welcome
    assert welcome["recovered"] is True
    replay = back.room_events()[: welcome["missed"]]
    assert [f["seq"] for f in replay] == list(range(last["seq"] + 1, welcome["seq"] + 1))
    assert chat_texts(replay) == missed
    # Besides the ten: its own departure, and its return (announced before the welcome).
    others = [(f["type"], f["member"]["id"]) for f in replay if f["type"] != "chat.message"]
    me = world.learners[7].id
    assert others == [("presence.left", me), ("presence.joined", me)]
    assert (await t_fr.command("chat.send", text="welcome back"))["type"] == "ack"
    await back.wait_for(lambda f: f.get("text") == "welcome back")
    assert chat_texts(back.room_events()) == [*missed, "welcome back"]
    assert_contiguous(back)

    # The end: everyone is closed with 4004, the session is ended, presence closed.
    everyone = [c for c in everyone if c is not away] + [back]
    assert (await t_fr.command("session.end"))["type"] == "ack"
    codes = await asyncio.gather(*(c.wait_closed() for c in everyone))
    assert set(codes) == {4004}
    for client in everyone:
        assert client.room_events()[-1]["type"] == "session.ended"
        assert_contiguous(client)
    status = await server.http.get(f"/api/v1/sessions/{session_id}", headers=world.t_fi.headers)
    assert status.json()["status"] == "ended"
    async with server.app.state.ctx.db_factory() as db:
        still_open = await db.scalar(
            select(func.count())
            .select_from(PresenceInterval)
            .where(
                col(PresenceInterval.session_id) == uuid.UUID(session_id),
                col(PresenceInterval.left_at).is_(None),
            )
        )
        stored = Counter(
            (
                await db.scalars(
                    select(col(RoomEvent.type)).where(
                        col(RoomEvent.session_id) == uuid.UUID(session_id)
                    )
                )
            ).all()
        )
    assert still_open == 0
    # Every broadcast event was stored: the database is the truth.
    assert stored["chat.message"] == len(sent) + 11
    assert stored["poll.results"] == 30
    assert stored["session.ended"] == 1
    assert sum(stored.values()) == t_fr.room_events()[-1]["seq"]
