"""Hands go up and come down (their owner, or a teacher for a learner); afterwards the
session's teachers read the room's chat, deleted messages marked, and nobody else does."""

from __future__ import annotations

from tests.family_world import API
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient, LiveServer, new_session


async def test_hands_are_lowered_by_their_owner_or_a_teacher(
    server: LiveServer, world: World
) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    teacher = await LiveClient.join(server, world.t_fr, session_id)
    anna, ben = world.learners_fr[0], world.learners_fr[1]
    first = await LiveClient.join(server, anna, session_id)
    second = await LiveClient.join(server, ben, session_id)
    for client in (first, second):
        assert (await client.command("hand.raise"))["type"] == "ack"
    assert (await first.command("hand.lower"))["type"] == "ack"
    lowered = await teacher.wait_for(lambda f: f["type"] == "hand.lowered")
    assert (lowered["user_id"], lowered["by"]) == (anna.id, anna.id)

    refused = await first.command("hand.lower", user_id=ben.id)
    assert (refused["type"], refused["code"]) == ("error", "forbidden")
    assert (await teacher.command("hand.lower", user_id=ben.id))["type"] == "ack"
    by_teacher = await second.wait_for(
        lambda f: f["type"] == "hand.lowered" and f["user_id"] == ben.id
    )
    assert by_teacher["by"] == world.t_fr.id
    # The teacher's own event may reach the teacher after its ack (through the broker).
    await teacher.wait_for(lambda f: f["type"] == "hand.lowered" and f["user_id"] == ben.id)
    assert [f["type"] for f in teacher.room_events()].count("hand.lowered") == 2
    for client in (teacher, first, second):
        await client.close()


async def test_teachers_read_the_rooms_chat_afterwards(server: LiveServer, world: World) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    teacher = await LiveClient.join(server, world.t_fr, session_id)
    learner = await LiveClient.join(server, world.learners_fi[0], session_id)
    for text in ("Hei!", "Bonjour !", "oops"):
        assert (await learner.command("chat.send", text=text))["type"] == "ack"
    oops = await teacher.wait_for(lambda f: f["type"] == "chat.message" and f["text"] == "oops")
    assert (await teacher.command("chat.delete", message_id=oops["message_id"]))["type"] == "ack"

    url = f"{API}/sessions/{session_id}/chat"
    for reader in (world.t_fr, world.t_fi):
        read = await server.http.get(url, params={"limit": 2}, headers=reader.headers)
        assert read.status_code == 200, read.text
        page = read.json()
        assert page["total"] == 3
        assert [m["text"] for m in page["items"]] == ["Hei!", "Bonjour !"]
        assert page["items"][0]["author"]["display_name"] == learner.welcome["you"]["display_name"]
        assert page["items"][0]["author"]["country"] == "FI"
    rest = await server.http.get(url, params={"offset": 2}, headers=world.t_fr.headers)
    (deleted,) = rest.json()["items"]
    assert deleted["text"] == "oops"
    assert deleted["deleted_by"] == world.t_fr.id
    assert deleted["deleted_at"] is not None

    learners_view = await server.http.get(url, headers=world.learners_fi[0].headers)
    assert learners_view.status_code == 403
    outsider = await server.http.get(url, headers=world.outsider.headers)
    assert outsider.status_code == 404
    for client in (teacher, learner):
        await client.close()
