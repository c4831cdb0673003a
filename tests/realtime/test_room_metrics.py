"""The rooms in `/metrics`: connections and rooms open (read when scraped), commands in,
events stored and delivered, the write time of each command, and resumes by outcome."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.core.settings import Settings
from tests.operations.metrics_scrape import TOKEN, scrape, value
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient, LiveServer, live_server, new_session, ticket


@pytest.fixture
async def watched(live_settings: Settings, world: World) -> AsyncIterator[LiveServer]:
    async with live_server(live_settings.model_copy(update={"metrics_token": TOKEN})) as running:
        yield running


async def test_rooms_count_their_connections_and_events(watched: LiveServer, world: World) -> None:
    session_id = await new_session(watched.http, world.exchange, world.t_fr)
    teacher = await LiveClient.join(watched, world.t_fr, session_id)
    learners = [await LiveClient.join(watched, a, session_id) for a in world.learners_fr[:2]]
    _, before = await scrape(watched.http)
    assert value(before, "passerelle_ws_connections") == 3
    assert value(before, "passerelle_rooms_open") == 1
    assert value(before, "passerelle_ws_connections_opened_total") == 3

    for n in range(5):
        assert (await learners[0].command("chat.send", text=f"n{n}"))["type"] == "ack"
    await teacher.wait_count(lambda f: f["type"] == "chat.message", 5)
    _, after = await scrape(watched.http)
    commands = "passerelle_room_commands_total"
    assert value(after, commands) - value(before, commands) == 5
    stored = "passerelle_room_events_stored_total"
    assert value(after, stored) - value(before, stored) == 5
    delivered = "passerelle_room_events_delivered_total"
    assert value(after, delivered) - value(before, delivered) == 5 * 3  # to each of three
    assert value(after, "passerelle_room_write_seconds_count") >= 5

    # a resume with the room's history still there is "recovered"
    welcome = learners[1].welcome
    await learners[1].close()
    url = watched.ws_url(session_id, last_seq=welcome["seq"], epoch=welcome["epoch"])
    value_ = await ticket(watched.http, world.learners_fr[1], session_id)
    back = await LiveClient.open(f"{url}&ticket={value_}")
    assert (await back.wait_for(lambda f: f["type"] == "welcome"))["recovered"] is True
    _, resumed = await scrape(watched.http)
    assert value(resumed, "passerelle_ws_resumes_total", outcome="recovered") == 1

    for client in (teacher, learners[0], back):
        await client.close()
