"""A session ended in its live room, its attendance sealed, a mobility's status changed: each
delivered to the schools concerned, each school with its own objects only."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from app.attendance.closer import close
from app.attendance.sheets import measure_from_settings
from app.core.db import unit_of_work
from app.core.settings import Settings
from tests.factories import Api
from tests.family_world import API, learner, school
from tests.realtime.attendance_play import playing
from tests.realtime.live import LiveClient
from tests.webhooks.conftest import sender
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_session_events import subscribe


def by_secret(receiver: Receiver, *hooks: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each subscription's verified bodies, by its id."""
    found: dict[str, list[dict[str, Any]]] = {h["id"]: [] for h in hooks}
    for request in receiver.requests:
        owners = [h for h in hooks if request.verifies_with(h["secret"])]
        assert len(owners) == 1, request.headers
        found[owners[0]["id"]].append(request.verify(owners[0]["secret"]))
    return found


async def test_a_session_ended_in_its_room_and_its_sealed_attendance(
    settings: Settings, receiver: Receiver
) -> None:
    live_settings = settings.model_copy(
        update={
            "allowed_origins": "http://localhost:8000,https://school.example",
            "ws_room_opens_minutes_before": 600,
            "broker_key_prefix": f"passerelle-test-{secrets.token_hex(6)}:",
            "ws_presence_stale_s": 24 * 3600.0,
            "ws_presence_heartbeat_s": 3600.0,
        }
    )
    async with playing(live_settings) as play:
        fr, it = play.exchange.schools
        lyon = await subscribe(play.server.http, fr, receiver.url)
        bologna = await subscribe(play.server.http, it, receiver.url)
        play.at(0)
        teacher = await LiveClient.join(play.server, fr.teacher, play.session_id)
        on_time = await play.join("on_time")
        play.at(30)
        assert (await teacher.command("session.end"))["type"] == "ack"
        await on_time.wait_closed()
        await teacher.close()

        app = play.server.app
        assert await sender(app).drain(now=play.clock()) == 2
        ended = by_secret(receiver, lyon, bologna)
        for hook, own in ((lyon, play.exchange.classes[0]), (bologna, play.exchange.classes[1])):
            [body] = ended[hook["id"]]
            assert body["type"] == "session.ended"
            assert body["data"]["session"]["id"] == play.session_id
            assert body["data"]["session"]["status"] == "ended"
            assert body["data"]["session"]["ended_at"] is not None
            assert body["data"]["class_ids"] == [own["id"]]

        play.at(31)
        async with unit_of_work(app.state.ctx.db_factory) as db:
            await close(
                db,
                session_id=uuid.UUID(play.session_id),
                now=play.clock(),
                measure=measure_from_settings(live_settings),
            )
        receiver.requests.clear()
        assert await sender(app).drain(now=play.clock()) == 2
        sealed = by_secret(receiver, lyon, bologna)
        french = {
            p.id for k, p in play.people.items() if k in ("on_time", "drops", "tabs", "guest")
        }
        italian = {p.id for k, p in play.people.items() if k in ("late", "partial", "never")}
        [lyon_body] = sealed[lyon["id"]]
        [bologna_body] = sealed[bologna["id"]]
        assert lyon_body["type"] == bologna_body["type"] == "attendance.sealed"
        lines = {line["learner_id"]: line for line in lyon_body["data"]["learners"]}
        assert set(lines) == french  # its own learners only, by id
        assert lines[play.people["on_time"].id]["status"] == "present"
        assert lines[play.people["on_time"].id]["online_minutes"] == 30
        assert {line["learner_id"] for line in bologna_body["data"]["learners"]} == italian
        assert "Zoé" not in str(lyon_body)  # no names


async def test_a_mobility_status_change_reaches_both_schools(
    client: AsyncClient, api: Api, application: FastAPI, receiver: Receiver
) -> None:
    lyon = await school(api, "FR", "Europe/Paris", "Lyon")
    bologna = await school(api, "IT", "Europe/Rome", "Bologna")
    koln = await school(api, "DE", "Europe/Berlin", "Köln")
    await api.network([lyon.id, bologna.id])
    lea = await learner(api, lyon, 16)
    hooks = [
        await subscribe(client, where, receiver.url, event_types=["mobility.status_changed"])
        for where in (lyon, bologna, koln)
    ]
    starts = application.state.ctx.clock().date() + timedelta(days=20)
    mobility = await api.create(
        f"{API}/mobilities",
        {
            "learner_id": lea.id,
            "sending_organisation_id": lyon.id,
            "receiving_organisation_id": bologna.id,
            "kind": "physical",
            "starts_on": starts.isoformat(),
            "ends_on": (starts + timedelta(days=20)).isoformat(),
            "city": "Bologna",
            "country": "IT",
            "placement": {"company": "Trattoria da Bruno"},
            "sending_tutor_id": lyon.teacher.id,
        },
        lyon.coordinator,
    )
    moved = await client.post(
        f"{API}/mobilities/{mobility['id']}/status",
        json={"status": "preparing"},
        headers=lyon.teacher.headers,
    )
    assert moved.status_code == 200, moved.text
    assert await sender(application).drain() == 2
    got = by_secret(receiver, *hooks)
    assert got[hooks[2]["id"]] == []  # Köln has no part in it
    for hook in hooks[:2]:
        [body] = got[hook["id"]]
        assert body["type"] == "mobility.status_changed"
        assert body["data"]["mobility"]["id"] == mobility["id"]
        assert body["data"]["mobility"]["learner_id"] == lea.id
        assert body["data"]["mobility"]["status"] == "preparing"
        assert body["data"]["previous_status"] == "planned"
        assert "Trattoria" not in str(body)
