"""Live-room tests: one world (two schools, two teachers, 30 learners, an active exchange),
built once for the package through the API; each test opens its own session (its own room) on
its own uvicorn server, so tests share users but never a room. The broker is the one the
`settings` fixture picks (`PASSERELLE_TEST_BROKER_URL`), with a random key prefix per test."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from redis.asyncio import Redis

from app.core.settings import Settings
from app.factory import create_app
from tests.conftest import _empty_tables
from tests.factories import Actor, Api
from tests.matching.test_matching_api import profile
from tests.realtime.attendance_play import Play, playing
from tests.realtime.live import LiveServer, live_server
from tests.scheduling.test_sessions_api import active_exchange

LEARNERS_PER_CLASS = 15
ALLOWED_ORIGIN = "https://school.example"


@dataclass
class World:
    exchange: str
    t_fr: Actor
    t_fi: Actor
    coordinator: Actor
    outsider: Actor
    learners_fr: list[Actor]
    learners_fi: list[Actor]
    class_fr: str
    class_fi: str

    @property
    def learners(self) -> list[Actor]:
        return self.learners_fr + self.learners_fi

    def country(self, user_id: str) -> str:
        return "FR" if any(a.id == user_id for a in self.learners_fr) else "FI"


async def _build(settings: Settings) -> World:
    await _empty_tables(settings.database_url)
    application = create_app(settings)
    transport = ASGITransport(app=application)
    async with (
        LifespanManager(application),
        AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        api = await Api.start(client)
        fr = await api.organisation(country="FR", city="Lyon", timezone="Europe/Paris")
        fi = await api.organisation(country="FI", city="Salo", timezone="Europe/Helsinki")
        de = await api.organisation(country="DE", city="Köln", timezone="Europe/Berlin")
        network = await api.network([fr["id"], fi["id"]])
        coordinator = await api.user("coordinator", fr["id"])
        t_fr, t_fi = await api.user("teacher", fr["id"]), await api.user("teacher", fi["id"])
        outsider = await api.user("teacher", de["id"])
        today = date.today()
        term = {
            "term_start": (today - timedelta(days=30)).isoformat(),
            "term_end": (today + timedelta(days=120)).isoformat(),
        }
        c_fr = await api.school_class(fr["id"], [t_fr.id], **profile(**term))
        c_fi = await api.school_class(fi["id"], [t_fi.id], **profile(**term))
        exchange = await active_exchange(
            client, api, coordinator, network, [c_fr, c_fi], [t_fr, t_fi]
        )
        learners: dict[str, list[Actor]] = {}
        for org, school_class in ((fr, c_fr), (fi, c_fi)):
            members = [await api.user("learner", org["id"]) for _ in range(LEARNERS_PER_CLASS)]
            roster = await client.put(
                f"/api/v1/classes/{school_class['id']}/learners",
                json={"learner_ids": [m.id for m in members]},
                headers=api.admin.headers,
            )
            assert roster.status_code == 200, roster.text
            learners[org["country"]] = members
    return World(
        exchange=exchange,
        t_fr=t_fr,
        t_fi=t_fi,
        coordinator=coordinator,
        outsider=outsider,
        learners_fr=learners["FR"],
        learners_fi=learners["FI"],
        class_fr=c_fr["id"],
        class_fi=c_fi["id"],
    )


@pytest.fixture(scope="package")
def world(database_url: str) -> World:
    """Built once, in its own event loop, with the same settings the `settings` fixture gives."""
    from tests.conftest import TEST_SECRET
    from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD

    settings = Settings(
        database_url=database_url,
        secret_key=TEST_SECRET,
        admin_email=ADMIN_EMAIL,
        admin_password=ADMIN_PASSWORD,
        log_json=False,
        password_hash_time_cost=1,
        password_hash_memory_kib=1024,
    )
    return asyncio.run(_build(settings))


@pytest.fixture
async def live_settings(settings: Settings) -> AsyncIterator[Settings]:
    prefix = f"passerelle-test-{secrets.token_hex(6)}:"
    yield settings.model_copy(
        update={
            "allowed_origins": f"http://localhost:8000,{ALLOWED_ORIGIN}",
            "ws_room_opens_minutes_before": 600,  # every test session's room is open
            "broker_key_prefix": prefix,
        }
    )
    if settings.broker_url.startswith("redis"):
        redis: Redis = Redis.from_url(settings.broker_url)
        keys = [k async for k in redis.scan_iter(match=f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


@pytest.fixture
async def server(live_settings: Settings, world: World) -> AsyncIterator[LiveServer]:
    async with live_server(live_settings) as running:
        yield running


@pytest.fixture
def play_settings(live_settings: Settings) -> Settings:
    """The settings of a played session (`play`); a test module overrides it to tune them."""
    return live_settings


@pytest.fixture
async def play(play_settings: Settings, world: World) -> AsyncIterator[Play]:
    """A session played on a moved clock (`tests/realtime/attendance_play.py`)."""
    async with playing(play_settings) as played:
        yield played
