"""Consent in the live room, through real WebSockets: withdrawing `live_sessions` closes the
learner's open connections with 4003 within a second; withdrawing `chat` stops their chat at
the next message and nothing else."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tests.factories import Api
from tests.family_world import API, error_code, exchange_between, guardian_of, learner, schedule
from tests.family_world import school as new_school
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient, LiveServer

CONSENT_CLOSE = 4003


async def test_withdrawal_closes_the_learners_sockets_within_a_second(
    server: LiveServer, world: World
) -> None:
    http = server.http
    api = await Api.start(http)
    de = await new_school(api, "DE", "Europe/Berlin", city="Köln")
    it = await new_school(api, "IT", "Europe/Rome", city="Bologna")
    lena = await learner(api, de, 14)  # Germany: a guardian consents below 16
    marco = await learner(api, it, 15)
    guardian = await guardian_of(api, lena)
    exchange = await exchange_between(http, api, [de, it], [[lena], [marco]])
    session = await schedule(http, exchange, datetime.now(UTC) + timedelta(minutes=3))
    consent = f"{API}/learners/{lena.id}/consents"
    given = await http.post(consent, json={"purpose": "live_sessions"}, headers=guardian.headers)
    assert given.status_code == 201, given.text

    teacher = await LiveClient.join(server, de.teacher, session["id"])
    other = await LiveClient.join(server, marco, session["id"])
    tabs = [await LiveClient.join(server, lena, session["id"]) for _ in range(2)]
    await teacher.wait_for(
        lambda f: f["type"] == "presence.joined" and f["member"]["id"] == lena.id
    )

    started = asyncio.get_running_loop().time()
    withdrawn = await http.delete(f"{consent}/live_sessions", headers=guardian.headers)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["effective"] is False
    codes = await asyncio.gather(*(tab.wait_closed(within=1.0) for tab in tabs))
    elapsed = asyncio.get_running_loop().time() - started
    assert codes == [CONSENT_CLOSE, CONSENT_CLOSE], (codes, [t.close_reason for t in tabs])
    assert elapsed < 1.0
    assert "consent" in tabs[0].close_reason

    removed = await teacher.wait_for(lambda f: f["type"] == "member.removed")
    assert (removed["user_id"], removed["reason"], removed["by"]) == (
        lena.id,
        "consent_withdrawn",
        None,
    )
    left = await teacher.wait_for(lambda f: f["type"] == "presence.left")
    assert left["member"]["id"] == lena.id
    assert not other.closed  # only the learner leaves
    assert not teacher.closed
    assert (await other.command("ping"))["type"] == "pong"

    tickets = f"{API}/sessions/{session['id']}/tickets"
    refused = await http.post(tickets, headers=lena.headers)
    assert refused.status_code == 403
    assert error_code(refused) == "consent_required"

    # Given again, the consent lets her back in: a withdrawal is not a teacher's removal.
    again = await http.post(consent, json={"purpose": "live_sessions"}, headers=guardian.headers)
    assert again.status_code == 201, again.text
    back = await LiveClient.join(server, lena, session["id"])
    assert not back.closed
    for client in (back, other, teacher):
        await client.close()


async def test_a_ticket_taken_before_the_withdrawal_no_longer_opens_the_room(
    server: LiveServer, world: World
) -> None:
    http = server.http
    api = await Api.start(http)
    de = await new_school(api, "DE", "Europe/Berlin")
    it = await new_school(api, "IT", "Europe/Rome")
    lena = await learner(api, de, 14)
    guardian = await guardian_of(api, lena)
    exchange = await exchange_between(http, api, [de, it], [[lena], []])
    session = await schedule(http, exchange, datetime.now(UTC) + timedelta(minutes=3))
    consent = f"{API}/learners/{lena.id}/consents"
    await http.post(consent, json={"purpose": "live_sessions"}, headers=guardian.headers)
    issued = await http.post(f"{API}/sessions/{session['id']}/tickets", headers=lena.headers)
    assert issued.status_code == 201, issued.text

    withdrawn = await http.delete(f"{consent}/live_sessions", headers=guardian.headers)
    assert withdrawn.status_code == 200
    late = await LiveClient.open(server.ws_url(session["id"], ticket=issued.json()["ticket"]))
    assert await late.wait_closed() == CONSENT_CLOSE
    assert "consent" in late.close_reason


async def test_withdrawing_chat_stops_chat_but_keeps_the_learner_in_the_room(
    server: LiveServer, world: World
) -> None:
    http = server.http
    api = await Api.start(http)
    fr = await new_school(api, "FR", "Europe/Paris")
    it = await new_school(api, "IT", "Europe/Rome")
    chloe = await learner(api, fr, 16)  # France: 15 and over consent themselves
    exchange = await exchange_between(http, api, [fr, it], [[chloe], []])
    session = await schedule(http, exchange, datetime.now(UTC) + timedelta(minutes=3))
    room = await LiveClient.join(server, chloe, session["id"])
    assert (await room.command("chat.send", text="Bonjour !"))["type"] == "ack"

    objected = await http.delete(f"{API}/learners/{chloe.id}/consents/chat", headers=chloe.headers)
    assert objected.status_code == 200, objected.text
    refused = await room.command("chat.send", text="Encore ?")
    assert (refused["type"], refused["code"]) == ("error", "consent_required")
    assert (await room.command("hand.raise"))["type"] == "ack"  # still in the room
    assert not room.closed

    given = await http.post(
        f"{API}/learners/{chloe.id}/consents", json={"purpose": "chat"}, headers=chloe.headers
    )
    assert given.status_code == 201, given.text
    assert (await room.command("chat.send", text="Me revoilà"))["type"] == "ack"
    await room.close()
