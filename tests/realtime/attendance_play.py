"""A session played on a moved clock through real WebSockets, for the attendance tests: each
join and leave happens on a real socket at the minute the test has set."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from app.core.clock import ManualClock
from app.core.settings import Settings
from app.live.tables import PresenceInterval
from tests.factories import Actor, Api
from tests.family_world import API, Exchange, exchange_between, guardian_of, learner, schedule
from tests.family_world import school as new_school
from tests.realtime.live import LiveClient, LiveServer, live_server

MINUTE = timedelta(minutes=1)


@dataclass
class Play:
    server: LiveServer
    clock: ManualClock
    exchange: Exchange
    session_id: str
    start: datetime
    people: dict[str, Actor]
    guardian: Actor

    def at(self, minutes: float) -> None:
        self.clock.set(self.start + timedelta(minutes=minutes))

    async def join(self, who: str) -> LiveClient:
        return await LiveClient.join(self.server, self.people[who], self.session_id)

    async def leave(self, who: str, client: LiveClient) -> None:
        """Close the socket and wait until the server has written the leave (at the clock's
        time): the next step may move the clock."""
        before = await self.closed(who)
        await client.close()
        async with asyncio.timeout(10):
            while await self.closed(who) == before:  # noqa: ASYNC110 (a table: no event)
                await asyncio.sleep(0.01)

    async def closed(self, who: str) -> int:
        async with self.server.app.state.ctx.db_factory() as db:
            count = await db.scalar(
                select(func.count())
                .select_from(PresenceInterval)
                .where(
                    col(PresenceInterval.session_id) == uuid.UUID(self.session_id),
                    col(PresenceInterval.user_id) == uuid.UUID(self.people[who].id),
                    col(PresenceInterval.left_at).is_not(None),
                )
            )
        return int(count or 0)

    async def attendance(self, as_: Actor) -> dict[str, Any]:
        response = await self.server.http.get(
            f"{API}/sessions/{self.session_id}/attendance", headers=as_.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def by_name(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {line["display_name"]: line for line in lines}


@asynccontextmanager
async def playing(live_settings: Settings) -> AsyncIterator[Play]:
    """A 60-minute session starting in 3 minutes between a French and an Italian class, on
    a server whose clock the test moves; seven learners with names in several languages."""
    settings = live_settings.model_copy(
        # the clock jumps by minutes: no interval may look abandoned meanwhile
        update={"ws_presence_stale_s": 24 * 3600.0, "ws_presence_heartbeat_s": 3600.0}
    )
    start = datetime.now(UTC).replace(second=0, microsecond=0) + 3 * MINUTE
    clock = ManualClock(start - MINUTE)
    async with live_server(settings, clock=clock) as server:
        api = await Api.start(server.http)
        fr = await new_school(api, "FR", "Europe/Paris", city="Lyon")
        it = await new_school(api, "IT", "Europe/Rome", city="Bologna")
        names = {
            "on_time": (fr, "Zoé Lefèvre"),
            "drops": (fr, "Loïc Béranger, dit « Lolo »"),
            "tabs": (fr, 'Anaïs "Nana" Dubois'),
            "late": (it, "Niccolò Sforza"),
            "partial": (it, "Chiara Dell'Acqua"),
            "never": (it, "Ségolène Œuvray"),
            "guest": (fr, "Jürgen Groß"),
        }
        people = {
            key: await learner(api, where, 17, display_name=name)
            for key, (where, name) in names.items()
        }
        on_roster = [[people[k] for k in people if names[k][0] is where] for where in (fr, it)]
        exchange = await exchange_between(server.http, api, [fr, it], on_roster)
        session = await schedule(server.http, exchange, start)
        guardian = await guardian_of(api, people["late"])
        yield Play(server, clock, exchange, session["id"], start, people, guardian)
