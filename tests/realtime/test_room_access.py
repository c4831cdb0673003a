"""Who gets into a room: tickets, Origin, session state, and tickets kept out of the logs."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from websockets.exceptions import InvalidStatus

from app.core.security.tokens import KeyRing
from app.core.settings import Settings
from tests.conftest import TEST_SECRET
from tests.realtime.conftest import ALLOWED_ORIGIN, World
from tests.realtime.live import LiveClient, LiveServer, live_server, new_session, ticket


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def refused(url: str, origin: str | None = None) -> tuple[int | None, str, int]:
    """Connect and wait for the server to close: (code, reason, frames received)."""
    client = await LiveClient.open(url, origin=origin)
    code = await client.wait_closed()
    return code, client.close_reason, len(client.frames)


async def test_origin_is_checked_before_anything_else(server: LiveServer, world: World) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    hostile = await ticket(server.http, world.learners_fr[0], session_id)
    url = server.ws_url(session_id, ticket=hostile)
    # A hostile Origin never gets a socket: HTTP 403 answers the upgrade request.
    for origin, where in (("https://evil.example", url), ("null", server.ws_url(session_id))):
        with pytest.raises(InvalidStatus) as refusal:
            await LiveClient.open(where, origin=origin)
        assert refusal.value.response.status_code == 403
    # A browser from an allowed origin, and a client that sends no Origin, get in.
    good = await ticket(server.http, world.learners_fr[0], session_id)
    browser = await LiveClient.open(server.ws_url(session_id, ticket=good), origin=ALLOWED_ORIGIN)
    assert (await browser.wait_for(lambda f: f["type"] == "welcome"))["recovered"] is False
    script = await LiveClient.join(server, world.learners_fr[1], session_id)
    await browser.close()
    await script.close()


async def test_tickets_are_single_use_bound_to_a_session_and_short_lived(
    server: LiveServer, world: World
) -> None:
    learner = world.learners_fi[0]
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    other_session = await new_session(server.http, world.exchange, world.t_fr)
    once = await ticket(server.http, learner, session_id)
    first = await LiveClient.open(server.ws_url(session_id, ticket=once))
    await first.wait_for(lambda f: f["type"] == "welcome")
    assert await refused(server.ws_url(session_id, ticket=once)) == (4001, "ticket already used", 0)

    elsewhere = await ticket(server.http, learner, other_session)
    assert await refused(server.ws_url(session_id, ticket=elsewhere)) == (
        4001,
        "ticket not for this session",
        0,
    )
    keys = KeyRing.from_secrets([TEST_SECRET], issuer="passerelle", audience="passerelle-api")
    expired = keys.issue(
        kind="ws_ticket",
        subject=learner.id,
        now=datetime.now(UTC) - timedelta(seconds=31),
        lifetime=timedelta(seconds=30),
        extra={"sid": session_id},
    )
    assert await refused(server.ws_url(session_id, ticket=expired)) == (
        4001,
        "ticket invalid or expired",
        0,
    )
    access_token = learner.headers["Authorization"].removeprefix("Bearer ")
    for wrong in (access_token, "not-a-jwt", expired[:-4] + "AAAA"):
        assert (await refused(server.ws_url(session_id, ticket=wrong)))[0] == 4001
    assert await refused(server.ws_url(session_id)) == (4001, "ticket missing", 0)
    assert (await refused(server.ws_url("not-a-session", ticket=once)))[0] == 4004
    assert (await refused(server.ws_url(str(uuid.uuid4()), ticket=elsewhere)))[0] == 4001
    await first.close()


async def test_only_members_get_tickets(server: LiveServer, world: World) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    path = f"/api/v1/sessions/{session_id}/tickets"
    outsider = await server.http.post(path, headers=world.outsider.headers)
    assert outsider.status_code == 404
    assert (await server.http.post(path)).status_code == 401
    login = await server.http.post(
        "/api/v1/auth/token",
        data={"username": "admin@passerelle.eu", "password": "admin-password-123"},
    )
    admin = {"Authorization": f"Bearer {login.json()['access_token']}"}
    refused_admin = await server.http.post(path, headers=admin)
    assert refused_admin.status_code == 403
    assert refused_admin.json()["error"]["code"] == "not_a_member"
    # A coordinator of a member school watches: welcome as an observer, nothing more.
    observer = await LiveClient.join(server, world.coordinator, session_id)
    assert observer.welcome["you"]["role"] == "observer"
    assert observer.welcome["you"]["country"] == "FR"
    refusal = await observer.command("chat.send", text="hello")
    assert (refusal["type"], refusal["code"]) == ("error", "forbidden")
    assert (await observer.command("ping", id="p1")) == {"type": "pong", "id": "p1"}
    await observer.close()


async def test_cancelled_and_unopened_rooms_are_refused(server: LiveServer, world: World) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    early_ticket = await ticket(server.http, world.learners_fr[2], session_id)
    cancel = await server.http.post(
        f"/api/v1/sessions/{session_id}/cancel",
        json={"reason": "strike"},
        headers=world.t_fr.headers,
    )
    assert cancel.status_code == 200
    assert await refused(server.ws_url(session_id, ticket=early_ticket)) == (
        4004,
        "session cancelled",
        0,
    )
    late = await server.http.post(
        f"/api/v1/sessions/{session_id}/tickets", headers=world.learners_fr[2].headers
    )
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "session_cancelled"

    # The test rooms open 600 minutes ahead: this one starts later than that.
    later = await new_session(server.http, world.exchange, world.t_fr, later=timedelta(hours=11))
    too_early = await server.http.post(
        f"/api/v1/sessions/{later}/tickets", headers=world.t_fr.headers
    )
    assert too_early.status_code == 409
    assert too_early.json()["error"]["code"] == "room_not_open"


async def test_tickets_never_reach_the_logs(live_settings: Settings, world: World) -> None:
    handler = Collect()
    records = handler.records
    async with live_server(live_settings, log_level="info") as server:
        logging.getLogger().addHandler(handler)
        try:
            session_id = await new_session(server.http, world.exchange, world.t_fr)
            value = await ticket(server.http, world.learners_fi[3], session_id)
            client = await LiveClient.open(server.ws_url(session_id, ticket=value))
            await client.wait_for(lambda f: f["type"] == "welcome")
            await client.close()
            assert (await refused(server.ws_url(session_id, ticket=value)))[0] == 4001
        finally:
            logging.getLogger().removeHandler(handler)
    lines = [r.getMessage() for r in records]
    assert any("WebSocket /ws/sessions/" in line for line in lines)  # the server did log
    assert not [line for line in lines if value in line]
    assert any("ticket=[redacted]" in line for line in lines)
