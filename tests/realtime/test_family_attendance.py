"""What families see of attendance, from a session played through real WebSockets: the
family view's latest sessions and hours, and the absence alert a guardian asked for (once)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.core.settings import Settings
from tests.factories import Actor, Api
from tests.family_world import API, guardian_of
from tests.realtime.attendance_play import Play


@pytest.fixture
def play_settings(live_settings: Settings) -> Settings:
    return live_settings.model_copy(update={"absence_alerts_poll_seconds": 0.1})


async def feed(play: Play, who: Actor, event: str) -> list[dict[str, Any]]:
    response = await play.server.http.get(f"{API}/notifications", headers=who.headers)
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["event"] == event]


async def test_guardians_see_attendance_hours_and_the_absence_they_asked_for(play: Play) -> None:
    http = play.server.http
    api = await Api.start(http)
    never, late = play.people["never"], play.people["late"]
    watching = await guardian_of(api, never)
    for guardian, learner_ in ((watching, never), (play.guardian, late)):
        opted = await http.put(
            f"{API}/family/learners/{learner_.id}/alerts",
            json={"absence": True},
            headers=guardian.headers,
        )
        assert opted.status_code == 200, opted.text
        assert opted.json() == {"learner_id": learner_.id, "absence": True}
    refused = await http.put(
        f"{API}/family/learners/{never.id}/alerts",
        json={"absence": True},
        headers=play.guardian.headers,  # not this learner's guardian
    )
    assert refused.status_code == 404
    bad = await http.put(
        f"{API}/family/learners/{late.id}/alerts",
        json={"absence": "sometimes"},
        headers=play.guardian.headers,
    )
    assert bad.status_code == 422

    play.at(12)
    client = await play.join("late")
    await asyncio.sleep(0.3)  # a few sweeps while the session runs
    assert await feed(play, watching, "learner.absent") == []  # not over yet
    play.at(60)
    await play.leave("late", client)
    play.at(61)

    async with asyncio.timeout(10):
        while True:
            told = await feed(play, watching, "learner.absent")
            if told:
                break
            await asyncio.sleep(0.05)
    (alert,) = told
    assert alert["language"] == "it"  # the learner's school is in Italy
    assert alert["title"] == "Ségolène Œuvray ha perso una sessione"
    assert alert["data"]["session_id"] == play.session_id
    await asyncio.sleep(0.5)  # several more sweeps: still exactly one
    assert len(await feed(play, watching, "learner.absent")) == 1
    assert await feed(play, play.guardian, "learner.absent") == []  # late, not absent

    view = await http.get(f"{API}/family", headers=play.guardian.headers)
    assert view.status_code == 200, view.text
    (entry,) = view.json()["items"]
    assert entry["absence_alerts"] is True
    (attended,) = entry["recent_attendance"]
    assert (attended["session_id"], attended["status"], attended["online_minutes"]) == (
        play.session_id,
        "late",
        48.0,
    )
    assert entry["hours"]["hours"] == 0.8
    (per_exchange,) = entry["hours"]["exchanges"]
    assert (per_exchange["exchange_id"], per_exchange["sessions"]) == (play.exchange.id, 1)
    assert entry["hours"]["countries"] == ["FR"]  # the learner is in Italy
    other = (await http.get(f"{API}/family", headers=watching.headers)).json()["items"][0]
    assert other["recent_attendance"][0]["status"] == "absent"
    assert other["hours"] == {"hours": 0.0, "exchanges": [], "countries": []}
