"""What a room allows: bad input answered and survived, limits, repeated commands, teachers'
moderation, and the state a newcomer's welcome carries."""

from __future__ import annotations

import asyncio
from typing import Any

from app.core.settings import Settings
from tests.realtime.conftest import World
from tests.realtime.live import (
    LiveClient,
    LiveServer,
    assert_contiguous,
    chat_texts,
    live_server,
    new_session,
    ticket,
)

BAD_FRAMES: list[tuple[str | bytes, str, str | None]] = [
    ("{not json", "invalid_json", None),
    ("[1, 2, 3]", "invalid_json", None),
    ('"chat.send"', "invalid_json", None),
    ("[" * 20_000 + "]" * 20_000, "invalid_json", None),
    (b'{"type": "ping", "id": "binary"}', "invalid_json", None),
    ('{"type": "chat.whisper", "id": "u1", "to": "x"}', "unknown_type", "u1"),
    ('{"id": "u2"}', "unknown_type", "u2"),
    ('{"type": "chat.send", "id": "f1"}', "invalid_message", "f1"),
    ('{"type": "chat.send", "id": "f2", "text": "hi", "to": "someone"}', "invalid_message", "f2"),
    ('{"type": "chat.send", "id": "f3", "text": "   "}', "invalid_message", "f3"),
    ('{"type": "chat.send", "id": "f4", "text": 42}', "invalid_message", "f4"),
    ('{"type": "poll.vote", "id": "f5", "poll_id": "nope", "option": 1}', "invalid_message", "f5"),
    ('{"type": "poll.vote", "id": "f6", "poll_id": 1, "option": "1"}', "invalid_message", "f6"),
    ('{"type": "chat.send", "text": "no id"}', "invalid_message", None),
    (
        '{"type": "poll.start", "id": "t1", "question": "Q", "options": ["a", "b"]}',
        "forbidden",
        "t1",
    ),
    ('{"type": "member.remove", "id": "t2", "user_id": "%s"}', "forbidden", "t2"),
    ('{"type": "session.end", "id": "t3"}', "forbidden", "t3"),
]


async def test_bad_input_gets_an_error_and_the_room_goes_on(
    server: LiveServer, world: World
) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    teacher = await LiveClient.join(server, world.t_fr, session_id)
    learner = await LiveClient.join(server, world.learners_fr[0], session_id)
    await teacher.wait_for(lambda f: f["type"] == "presence.joined")
    for frame, code, command_id in BAD_FRAMES:
        if isinstance(frame, str) and "%s" in frame:
            frame = frame % world.learners_fr[1].id
        before = len(learner.frames)
        await learner.send(frame)
        error = await learner.frame_at(before)
        assert error["type"] == "error", (frame, error)
        assert (error["code"], error["id"]) == (code, command_id), (frame, error)
        assert error["message"]
    detail = next(f for f in learner.of_type("error") if f["id"] == "f2")
    assert detail["details"] == [{"field": "to", "message": "Extra inputs are not permitted"}]
    # Still connected, still heard, and nothing above reached the room.
    assert (await learner.command("chat.send", text="still here"))["type"] == "ack"
    message = await teacher.wait_for(lambda f: f["type"] == "chat.message")
    assert message["text"] == "still here"
    assert [f["type"] for f in teacher.room_events()] == ["presence.joined", "chat.message"]
    assert_contiguous(teacher)
    await teacher.close()
    await learner.close()


async def test_rate_and_frame_limits_close_the_offender(
    live_settings: Settings, world: World
) -> None:
    limited = live_settings.model_copy(
        update={"ws_rate_burst": 3, "ws_rate_per_second": 0.5, "ws_rate_strikes": 4}
    )
    async with live_server(limited) as server:
        session_id = await new_session(server.http, world.exchange, world.t_fr)
        learner = await LiveClient.join(server, world.learners_fr[3], session_id)
        for i in range(10):
            await learner.send({"type": "ping", "id": f"p{i}"})
        assert await learner.wait_closed() == 4008
        assert [f["id"] for f in learner.of_type("pong")] == ["p0", "p1", "p2"]
        errors = learner.of_type("error")
        assert {e["code"] for e in errors} == {"rate_limited"}
        # each refusal names the command it refused; the fifth within the window closes
        assert [e["id"] for e in errors] == ["p3", "p4", "p5", "p6", "p7"]
        assert learner.close_reason == "rate limit exceeded"
        # A frame over 64 KiB closes its connection (1009), and only that one.
        teacher = await LiveClient.join(server, world.t_fi, session_id)
        big = await LiveClient.join(server, world.learners_fi[0], session_id)
        text = "x" * (64 * 1024)
        await big.send({"type": "chat.send", "id": "big", "text": text})
        assert await big.wait_closed() == 1009
        assert (await teacher.command("chat.send", text="after"))["type"] == "ack"
        await teacher.wait_for(lambda f: f["type"] == "chat.message")
        assert chat_texts(teacher.frames) == ["after"]
        await teacher.close()


async def test_a_teacher_who_chatted_fast_can_still_stop_the_room(
    live_settings: Settings, world: World
) -> None:
    limited = live_settings.model_copy(update={"ws_rate_burst": 2, "ws_rate_per_second": 0.1})
    async with live_server(limited) as server:
        session_id = await new_session(server.http, world.exchange, world.t_fr)
        teacher = await LiveClient.join(server, world.t_fr, session_id)
        learner = await LiveClient.join(server, world.learners_fr[0], session_id)
        for text in ("one", "two"):
            assert (await teacher.command("chat.send", text=text))["type"] == "ack"
        refused = await teacher.command("chat.send", id="c3", text="three")
        assert (refused["type"], refused["code"], refused["id"]) == ("error", "rate_limited", "c3")
        # The chat budget is spent; the room's controls have their own.
        muted = await teacher.command("member.mute", user_id=world.learners_fr[0].id, minutes=5)
        assert muted["type"] == "ack"
        assert (await teacher.command("session.end"))["type"] == "ack"
        assert await learner.wait_closed() is not None
        assert chat_texts(learner.frames) == ["one", "two"]
        await teacher.close()


async def test_at_most_three_connections_per_member(server: LiveServer, world: World) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    teacher = await LiveClient.join(server, world.t_fr, session_id)
    learner = world.learners_fi[4]
    tabs = [await LiveClient.join(server, learner, session_id) for _ in range(3)]
    fourth = await LiveClient.open(
        server.ws_url(session_id, ticket=await ticket(server.http, learner, session_id))
    )
    assert await fourth.wait_closed() == 4008
    assert fourth.close_reason == "at most 3 connections per member"
    # Three tabs count once: one presence.joined, and presence.left only when the last closes.
    await tabs[0].close()
    await tabs[1].close()
    assert (await teacher.command("chat.send", text="marker"))["type"] == "ack"
    await teacher.wait_for(lambda f: f.get("text") == "marker")
    await tabs[2].close()
    left = await teacher.wait_for(lambda f: f["type"] == "presence.left")
    kinds = [(f["type"], f.get("member", {}).get("id")) for f in teacher.room_events()]
    assert kinds == [
        ("presence.joined", learner.id),
        ("chat.message", None),
        ("presence.left", learner.id),
    ]
    assert left["member"]["country"] == "FI"
    await teacher.close()


async def test_a_repeated_command_id_is_acknowledged_and_applied_once(
    server: LiveServer, world: World
) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    teacher = await LiveClient.join(server, world.t_fr, session_id)
    learner = await LiveClient.join(server, world.learners_fr[4], session_id)
    first = await learner.command("chat.send", id="same-id", text="once")
    await learner.send({"type": "chat.send", "id": "same-id", "text": "once"})
    acks = await learner.wait_count(lambda f: f["type"] == "ack", 2)
    assert (
        acks[0]
        == first
        == {"type": "ack", "id": "same-id", "seq": first["seq"], "duplicate": False}
    )
    assert acks[1] == {"type": "ack", "id": "same-id", "seq": first["seq"], "duplicate": True}
    # The same id after a reconnect is still the same command.
    await learner.close()
    again = await LiveClient.join(server, world.learners_fr[4], session_id)
    repeat = await again.command("chat.send", id="same-id", text="once")
    assert (repeat["seq"], repeat["duplicate"]) == (first["seq"], True)
    assert (await teacher.command("chat.send", text="end"))["type"] == "ack"
    await teacher.wait_for(lambda f: f.get("text") == "end")
    assert chat_texts(teacher.frames) == ["once", "end"]
    await teacher.close()
    await again.close()


async def test_teachers_mute_delete_and_remove(server: LiveServer, world: World) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    teacher = await LiveClient.join(server, world.t_fr, session_id)
    # moderation stays within the teacher's own school (test_room_moderation_scope.py)
    loud, rude, calm = world.learners_fr[5], world.learners_fr[7], world.learners_fi[6]
    loud_c = await LiveClient.join(server, loud, session_id)
    rude_tabs = [await LiveClient.join(server, rude, session_id) for _ in range(2)]
    calm_c = await LiveClient.join(server, calm, session_id)
    held_ticket = await ticket(server.http, rude, session_id)

    muted = await teacher.command("member.mute", user_id=loud.id, minutes=5)
    assert muted["type"] == "ack"
    event = await calm_c.wait_for(lambda f: f["type"] == "member.muted")
    assert (event["user_id"], event["minutes"], event["by"]) == (loud.id, 5, world.t_fr.id)
    refusal = await loud_c.command("chat.send", text="can I speak?")
    assert (refusal["type"], refusal["code"]) == ("error", "muted")
    assert (await loud_c.command("hand.raise"))["type"] == "ack"  # muted in chat only

    said = await rude_tabs[0].command("chat.send", text="something rude")
    message = await calm_c.wait_for(lambda f: f.get("text") == "something rude")
    assert message["seq"] == said["seq"]
    assert (await teacher.command("chat.delete", message_id=message["message_id"]))["type"] == "ack"
    deleted = await calm_c.wait_for(lambda f: f["type"] == "chat.deleted")
    assert deleted["message_id"] == message["message_id"]
    again = await teacher.command("chat.delete", message_id=message["message_id"])
    assert again["code"] == "already_deleted"
    not_mine = await calm_c.command("chat.delete", message_id=message["message_id"])
    assert not_mine["code"] == "forbidden"
    teacher_target = await teacher.command("member.mute", user_id=world.t_fi.id, minutes=5)
    assert teacher_target["code"] == "invalid_target"

    assert (await teacher.command("member.remove", user_id=rude.id))["type"] == "ack"
    codes = await asyncio.gather(*(tab.wait_closed() for tab in rude_tabs))
    assert codes == [4003, 4003]
    for tab in rude_tabs:
        assert tab.room_events()[-1]["type"] == "member.removed"
    left = await calm_c.wait_for(lambda f: f["type"] == "presence.left")
    assert left["member"]["id"] == rude.id
    later = await server.http.post(f"/api/v1/sessions/{session_id}/tickets", headers=rude.headers)
    assert (later.status_code, later.json()["error"]["code"]) == (403, "removed_from_room")
    back = await LiveClient.open(server.ws_url(session_id, ticket=held_ticket))
    assert await back.wait_closed() == 4003
    for client in (teacher, loud_c, calm_c):
        assert_contiguous(client)
        await client.close()


async def test_a_newcomer_gets_the_rooms_state(server: LiveServer, world: World) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    teacher = await LiveClient.join(server, world.t_fi, session_id)
    grouped = [*world.learners_fr[6:8], *world.learners_fi[8:10]]  # two from each country
    voters = [await LiveClient.join(server, a, session_id) for a in grouped[:3]]
    fi_learner = await LiveClient.join(server, grouped[3], session_id)
    started = await teacher.command(
        "poll.start", question="Tea or coffee?", options=["tea", "coffee"]
    )
    poll_id = (await teacher.wait_for(lambda f: f["type"] == "poll.started"))["poll_id"]
    assert started["type"] == "ack"
    for voter, option in zip(voters, (0, 1, 1), strict=True):
        assert (await voter.command("poll.vote", poll_id=poll_id, option=option))["type"] == "ack"
    changed = await voters[0].command("poll.vote", poll_id=poll_id, option=1)
    assert changed["type"] == "ack"
    wrong = await voters[1].command("poll.vote", poll_id=poll_id, option=7)
    assert wrong["code"] == "invalid_option"
    twice = await teacher.command("poll.start", question="Another?", options=["a", "b"])
    assert twice["code"] == "poll_running"
    assert (await teacher.command("breakout.start", group_size=2))["type"] == "ack"
    await teacher.wait_for(lambda f: f["type"] == "breakout.started")

    newcomer = await LiveClient.join(server, world.learners_fi[10], session_id)
    state: dict[str, Any] = newcomer.welcome["state"]
    assert state["poll"] == {
        "poll_id": poll_id,
        "question": "Tea or coffee?",
        "options": ["tea", "coffee"],
        "counts": [0, 3],
    }
    groups = state["breakout"]["groups"]
    assert sorted(m["id"] for g in groups for m in g["members"]) == sorted(a.id for a in grouped)
    assert len(groups) == 2
    assert all({m["country"] for m in g["members"]} == {"FR", "FI"} for g in groups)
    present = {m["id"] for m in newcomer.welcome["presence"]}
    assert present == {world.t_fi.id, world.learners_fi[10].id} | {a.id for a in grouped}
    joined = await teacher.wait_for(
        lambda f: f["type"] == "presence.joined" and f["member"]["id"] == world.learners_fi[10].id
    )
    assert newcomer.welcome["seq"] == joined["seq"]  # the state includes its own arrival
    for client in (teacher, *voters, fi_learner, newcomer):
        await client.close()
