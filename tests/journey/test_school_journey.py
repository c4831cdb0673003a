"""A school's whole journey through documented calls only: log in, class profile, matching,
accept, the partners' thread, slots, session, guardian invite and consent, tickets, a room
with chat, poll and breakout, the teacher's end, attendance, certificate, family view. Every
answer a screen would show is checked for the names it needs: a screen needs one call, not
ten."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient, Response

from app.core.clock import ManualClock
from app.core.settings import Settings
from tests.factories import Actor, Api, bearer, login
from tests.family_world import born_aged
from tests.journey.documented import Documented
from tests.matching.test_matching_api import profile
from tests.realtime.live import LiveClient, LiveServer, live_server

API = "/api/v1"
MINUTE = timedelta(minutes=1)
EVERY_DAY = [{"weekday": d, "start": "00:00", "end": "23:59"} for d in range(7)]
GUARDIAN = {"display_name": "Anna Weber", "password": "a-long-family-password"}


def ok(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@dataclass
class Cast:
    http: AsyncClient
    api: Api
    fr: dict[str, Any]
    de: dict[str, Any]
    coordinator: Actor
    t_fr: Actor
    t_de: Actor
    zoe: Actor
    jonas: Actor


@pytest.fixture
async def server(live_settings: Settings) -> AsyncIterator[tuple[LiveServer, ManualClock]]:
    clock = ManualClock(datetime.now(UTC).replace(second=0, microsecond=0))
    settings = live_settings.model_copy(
        update={
            "ws_presence_stale_s": 24 * 3600.0,  # the clock jumps by minutes
            "ws_presence_heartbeat_s": 3600.0,
            "certificate_min_hours": 0.5,
        }
    )
    async with live_server(settings, clock=clock) as running:
        yield running, clock


async def cast(http: AsyncClient) -> Cast:
    """What an administrator sets up: two schools in a network, their staff and learners."""
    api = await Api.start(http)
    fr = await api.organisation(
        name="Lycée Rabelais", country="FR", city="Lyon", timezone="Europe/Paris"
    )
    de = await api.organisation(
        name="Berufskolleg Köln", country="DE", city="Köln", timezone="Europe/Berlin"
    )
    await api.network([fr["id"], de["id"]])
    return Cast(
        http,
        api,
        fr,
        de,
        await api.user("coordinator", fr["id"], display_name="Claire Martin"),
        await api.user("teacher", fr["id"], display_name="Hélène Dubois"),
        await api.user("teacher", de["id"], display_name="Jürgen Groß"),
        await api.user(
            "learner",
            fr["id"],
            display_name="Zoé Lefèvre",
            birth_date=born_aged(17, "Europe/Paris"),
        ),
        await api.user(
            "learner",
            de["id"],
            display_name="Jonas Weber",
            birth_date=born_aged(15, "Europe/Berlin"),
        ),
    )


async def class_profiles(c: Cast, today: datetime) -> tuple[str, str]:
    term = {
        "term_start": (today.date() - timedelta(days=14)).isoformat(),
        "term_end": (today.date() + timedelta(days=150)).isoformat(),
    }
    ids = []
    for school, teacher, learner, name in (
        (c.fr, c.t_fr, c.zoe, "Cuisine 2"),
        (c.de, c.t_de, c.jonas, "Küche 11"),
    ):
        created = await c.api.school_class(
            school["id"], [teacher.id], name=name, **profile(availability=EVERY_DAY, **term)
        )
        await c.http.put(
            f"{API}/classes/{created['id']}/learners",
            json={"learner_ids": [learner.id]},
            headers=c.api.admin.headers,
        )
        shown = ok(await c.http.get(f"{API}/classes/{created['id']}", headers=teacher.headers))
        assert shown["teachers"] == [{"id": teacher.id, "display_name": teacher_name(c, teacher)}]
        roster = ok(
            await c.http.get(f"{API}/classes/{created['id']}/learners", headers=teacher.headers)
        )
        assert [m["display_name"] for m in roster["learners"]] == [learner_name(c, learner)]
        ids.append(created["id"])
    return ids[0], ids[1]


def teacher_name(c: Cast, who: Actor) -> str:
    return "Hélène Dubois" if who is c.t_fr else "Jürgen Groß"


def learner_name(c: Cast, who: Actor) -> str:
    return "Zoé Lefèvre" if who is c.zoe else "Jonas Weber"


async def matched(c: Cast) -> str:
    """The coordinator runs matching; both teachers read the proposal, by names, and accept."""
    network = ok(await c.http.get(f"{API}/networks", headers=c.coordinator.headers))["items"][0]
    started = await c.http.post(
        f"{API}/matching/runs", json={"network_id": network["id"]}, headers=c.coordinator.headers
    )
    assert started.status_code == 202, started.text
    assert int(started.headers["retry-after"]) > 0
    for _ in range(300):
        run = ok(await c.http.get(started.headers["location"], headers=c.coordinator.headers))
        if run["status"] in ("done", "failed"):
            break
        await asyncio.sleep(0.1)
    assert run["status"] == "done", run
    (proposal,) = run["proposals"]
    exchange_id: str = proposal["exchange_id"]

    notices = ok(await c.http.get(f"{API}/notifications", headers=c.t_de.headers))
    (proposed,) = [n for n in notices["items"] if n["event"] == "exchange.proposed"]
    assert "Lycée Rabelais" in proposed["body"]
    assert "Berufskolleg Köln" not in proposed["body"]  # not the reader's own school
    assert notices["unread"] >= 1

    for teacher in (c.t_de, c.t_fr):
        seen = ok(await c.http.get(f"{API}/exchanges/{exchange_id}", headers=teacher.headers))
        assert {(m["name"], m["organisation_name"], m["country"]) for m in seen["classes"]} == {
            ("Cuisine 2", "Lycée Rabelais", "FR"),
            ("Küche 11", "Berufskolleg Köln", "DE"),
        }
        teachers = {t["display_name"] for m in seen["classes"] for t in m["teachers"]}
        assert teachers == {"Hélène Dubois", "Jürgen Groß"}  # partners see each other
        answered = await c.http.post(
            f"{API}/exchanges/{exchange_id}/accept", headers=teacher.headers
        )
        status = ok(answered)["status"]
    assert status == "active"

    thread = f"{API}/exchanges/{exchange_id}/messages"
    hello = {"text": "Bonjour ! Une séance mardi ?"}
    ok(await c.http.post(thread, json=hello, headers=c.t_fr.headers), 201)
    (message,) = ok(await c.http.get(thread, headers=c.t_de.headers))["items"]
    assert (message["author"]["display_name"], message["author"]["organisation_name"]) == (
        "Hélène Dubois",
        "Lycée Rabelais",
    )
    return exchange_id


async def scheduled(c: Cast, exchange_id: str, start: datetime) -> str:
    slots = ok(
        await c.http.get(
            f"{API}/exchanges/{exchange_id}/slots",
            params={"duration_minutes": 60},
            headers=c.t_fr.headers,
        )
    )
    first = slots["items"][0]
    assert {(t["name"], t["organisation_name"], t["timezone"]) for t in first["local"]} == {
        ("Cuisine 2", "Lycée Rabelais", "Europe/Paris"),
        ("Küche 11", "Berufskolleg Köln", "Europe/Berlin"),
    }
    created = ok(
        await c.http.post(
            f"{API}/exchanges/{exchange_id}/sessions",
            json={"title": "Nos régions", "starts_at": start.isoformat(), "duration_minutes": 60},
            headers=c.t_fr.headers,
        ),
        201,
    )
    for answer in (
        created,
        ok(await c.http.get(f"{API}/sessions/{created['id']}", headers=c.t_de.headers)),
    ):
        assert {(m["name"], m["organisation_name"]) for m in answer["classes"]} == {
            ("Cuisine 2", "Lycée Rabelais"),
            ("Küche 11", "Berufskolleg Köln"),
        }
        berlin = next(m for m in answer["classes"] if m["country"] == "DE")
        assert datetime.fromisoformat(berlin["local_starts_at"]) == start
        assert berlin["local_starts_at"].endswith("+01:00")  # CET, December
    session_id: str = created["id"]
    return session_id


async def guardian_consents(c: Cast) -> dict[str, str]:
    """Jonas is 15 in Germany: his teacher invites his mother, who accepts and consents."""
    invite = ok(
        await c.http.post(
            f"{API}/learners/{c.jonas.id}/guardian-invites",
            json={"email": "anna.weber@example.org"},
            headers=c.t_de.headers,
        ),
        201,
    )
    assert invite["invite_url"].startswith("http")
    ok(await c.http.post(f"{API}/guardian-invites/{invite['token']}/accept", json=GUARDIAN), 201)
    tokens = await login(c.http, "anna.weber@example.org", GUARDIAN["password"])
    guardian = bearer(tokens["access_token"])
    consents = ok(await c.http.get(f"{API}/learners/{c.jonas.id}/consents", headers=guardian))
    assert consents["guardian_required"] is True
    for purpose in ("live_sessions", "chat"):
        give = next(i for i in consents["items"] if i["purpose"] == purpose)["links"]["give"]
        assert give["method"] == "POST"
        ok(await c.http.post(give["href"], json=give["body"], headers=guardian), 201)
    return guardian


async def in_the_room(c: Cast, server: LiveServer, session_id: str) -> LiveClient:
    teacher = await LiveClient.join(server, c.t_fr, session_id)
    partner = await LiveClient.join(server, c.t_de, session_id)
    zoe = await LiveClient.join(server, c.zoe, session_id)
    jonas = await LiveClient.join(server, c.jonas, session_id)
    assert jonas.welcome["you"]["display_name"] == "Jonas Weber"
    assert {m["display_name"] for m in jonas.welcome["presence"]} == {
        "Hélène Dubois",
        "Jürgen Groß",
        "Zoé Lefèvre",
        "Jonas Weber",
    }
    assert (await jonas.command("chat.send", text="Hallo Lyon!"))["type"] == "ack"
    said = await zoe.wait_for(lambda f: f["type"] == "chat.message")
    assert (said["author"]["display_name"], said["author"]["country"]) == ("Jonas Weber", "DE")

    assert (await teacher.command("poll.start", question="Plat ?", options=["Quiche", "Spätzle"]))[
        "type"
    ] == "ack"
    poll = await zoe.wait_for(lambda f: f["type"] == "poll.started")
    assert (await zoe.command("poll.vote", poll_id=poll["poll_id"], option=1))["type"] == "ack"
    assert (await teacher.command("poll.close", poll_id=poll["poll_id"]))["type"] == "ack"
    closed = await jonas.wait_for(lambda f: f["type"] == "poll.closed")
    assert closed["counts"] == [0, 1]

    assert (await partner.command("breakout.start", group_size=2))["type"] == "ack"
    (group,) = (await zoe.wait_for(lambda f: f["type"] == "breakout.started"))["groups"]
    assert {m["display_name"] for m in group["members"]} == {"Zoé Lefèvre", "Jonas Weber"}
    assert (await partner.command("breakout.end"))["type"] == "ack"
    return teacher


async def test_a_school_journey_through_documented_calls(
    server: tuple[LiveServer, ManualClock],
) -> None:
    live, clock = server
    documented = await Documented.watching(live.http)
    c = await cast(live.http)
    start = clock() + 5 * MINUTE
    await class_profiles(c, clock())
    exchange_id = await matched(c)
    session_id = await scheduled(c, exchange_id, start)
    guardian = await guardian_consents(c)

    family = ok(await c.http.get(f"{API}/family", headers=guardian))
    (child,) = family["items"]
    assert (child["display_name"], child["school"]["name"]) == ("Jonas Weber", "Berufskolleg Köln")
    assert [s["name"] for s in child["partner_schools"]] == ["Lycée Rabelais"]
    assert [s["title"] for s in child["upcoming_sessions"]] == ["Nos régions"]

    clock.set(start)
    teacher = await in_the_room(c, live, session_id)
    clock.set(start + 45 * MINUTE)
    assert (await teacher.command("session.end"))["type"] == "ack"
    await teacher.wait_for(lambda f: f["type"] == "session.ended")

    session = ok(await c.http.get(f"{API}/sessions/{session_id}", headers=c.t_de.headers))
    assert session["status"] == "ended"
    assert session["ended_at"] == (start + 45 * MINUTE).isoformat().replace("+00:00", "Z")
    sheet = ok(await c.http.get(f"{API}/sessions/{session_id}/attendance", headers=c.t_de.headers))
    assert sheet["state"] == "final"
    assert {(i["display_name"], i["country"], i["status"]) for i in sheet["items"]} == {
        ("Zoé Lefèvre", "FR", "present"),
        ("Jonas Weber", "DE", "present"),
    }

    certificates = ok(
        await c.http.get(f"{API}/learners/{c.jonas.id}/certificates", headers=guardian)
    )
    (certificate,) = certificates["items"]
    body = certificate["certificate"]
    assert body["learner"]["display_name"] == "Jonas Weber"
    assert {s["name"] for s in body["schools"]} == {"Lycée Rabelais", "Berufskolleg Köln"}
    assert body["hours"] == 0.75
    assert certificate["verify_url"].startswith("http")
    assert ok(await c.http.get(certificate["verify_url"]))["valid"] is True

    (child,) = ok(await c.http.get(f"{API}/family", headers=guardian))["items"]
    assert [(a["title"], a["status"]) for a in child["recent_attendance"]] == [
        ("Nos régions", "present")
    ]
    assert child["hours"]["hours"] == 0.75

    assert documented.calls, "the recorder saw the calls"
    assert documented.undocumented() == []
