"""A blended mobility's world, built through the API: a minor from Lyon (FR) goes to a
restaurant kitchen in Bologna (IT); both schools share a network and an active exchange
(the virtual component). A third school (DE) stands outside, with its own people."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy import select
from sqlmodel import col

from app.core.clock import ManualClock
from app.live.tables import PresenceInterval
from app.mobility.sweeper import Swept, sweep
from app.notifications.tables import Notification, OutboxMessage
from tests.factories import Actor, Api
from tests.family_world import API, School, exchange_between, guardian_of, learner, school

MOBILITIES = f"{API}/mobilities"


@dataclass
class World:
    api: Api
    client: AsyncClient
    app: FastAPI
    clock: ManualClock
    fr: School
    it: School
    de: School
    lea: Actor  # the learner, 16
    guardian: Actor
    other_learner: Actor  # same school, not on the mobility
    other_teacher: Actor  # same school, not a tutor
    de_learner: Actor
    de_guardian: Actor
    exchange_id: str
    starts_on: date

    @property
    def people(self) -> dict[str, Actor]:
        """Every role, own and other school, by name."""
        return {
            "admin": self.api.admin,
            "learner": self.lea,
            "guardian": self.guardian,
            "sending_tutor": self.fr.teacher,
            "receiving_tutor": self.it.teacher,
            "sending_coordinator": self.fr.coordinator,
            "receiving_coordinator": self.it.coordinator,
            "other_teacher": self.other_teacher,
            "other_learner": self.other_learner,
            "unrelated_coordinator": self.de.coordinator,
            "unrelated_teacher": self.de.teacher,
            "unrelated_learner": self.de_learner,
            "unrelated_guardian": self.de_guardian,
        }

    def body(self, **overrides: Any) -> dict[str, Any]:
        return {
            "learner_id": self.lea.id,
            "sending_organisation_id": self.fr.id,
            "receiving_organisation_id": self.it.id,
            "kind": "blended",
            "exchange_id": self.exchange_id,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": (self.starts_on + timedelta(days=20)).isoformat(),
            "city": "Bologna",
            "country": "IT",
            "placement": {"company": "Trattoria da Bruno", "sector": "Restaurant kitchen"},
            "sending_tutor_id": self.fr.teacher.id,
            "receiving_tutor_id": self.it.teacher.id,
            "emergency_phone": "+39 051 000 000",
        } | overrides

    async def create(self, **overrides: Any) -> dict[str, Any]:
        return await self.api.create(MOBILITIES, self.body(**overrides), self.fr.coordinator)

    async def call(
        self, who: Actor, method: str, path: str, body: Any = None, **params: Any
    ) -> Response:
        return await self.client.request(
            method, API + path, json=body, headers=who.headers, params=params or None
        )

    async def ok(self, who: Actor, method: str, path: str, body: Any = None) -> Any:
        response = await self.call(who, method, path, body)
        assert response.status_code in (200, 201), response.text
        return response.json()

    async def status(self, mobility_id: str, status: str, who: Actor | None = None) -> Response:
        return await self.call(
            who or self.fr.teacher, "POST", f"/mobilities/{mobility_id}/status", {"status": status}
        )

    async def sweep(self) -> Swept:
        return await sweep(
            self.app.state.ctx.db_factory,
            now=self.clock(),
            grace=timedelta(hours=self.app.state.ctx.settings.checkin_grace_hours),
        )

    async def notifications(self, who: Actor, event: str) -> list[dict[str, Any]]:
        feed = await self.ok(who, "GET", "/notifications?limit=100")
        return [n for n in feed["items"] if n["event"] == event]

    async def emails(self, who: Actor, event: str) -> list[OutboxMessage]:
        async with self.app.state.ctx.db_factory() as db:
            rows = await db.scalars(
                select(OutboxMessage).where(
                    col(OutboxMessage.recipient_id) == uuid.UUID(who.id),
                    col(OutboxMessage.event_key).startswith(f"{event}:"),
                )
            )
            return list(rows.all())

    async def notification_count(self, event: str) -> int:
        async with self.app.state.ctx.db_factory() as db:
            rows = await db.scalars(select(Notification).where(col(Notification.event) == event))
            return len(rows.all())

    async def family(self, who: Actor | None = None) -> dict[str, Any]:
        view = await self.ok(who or self.guardian, "GET", "/family")
        [entry] = [i for i in view["items"] if i["learner_id"] == self.lea.id]
        return dict(entry)

    async def attend(self, session: dict[str, Any], minutes: int) -> None:
        """The learner's presence in a session's room (what the live room records)."""
        starts = datetime.fromisoformat(session["starts_at"])
        async with self.app.state.ctx.db_factory() as db:
            db.add(
                PresenceInterval(
                    session_id=uuid.UUID(session["id"]),
                    user_id=uuid.UUID(self.lea.id),
                    role="learner",
                    display_name="Léa Martin",
                    country="FR",
                    connection_id=uuid.uuid4(),
                    process_id="test",
                    joined_at=starts,
                    left_at=starts + timedelta(minutes=minutes),
                    last_heartbeat=starts + timedelta(minutes=minutes),
                )
            )
            await db.commit()


async def build(api: Api, client: AsyncClient, app: FastAPI, clock: ManualClock) -> World:
    fr = await school(api, "FR", "Europe/Paris", city="Lyon")
    it = await school(api, "IT", "Europe/Rome", city="Bologna")
    de = await school(api, "DE", "Europe/Berlin", city="Köln")
    lea = await learner(api, fr, 16, display_name="Léa Martin")
    guardian = await guardian_of(api, lea, display_name="Sophie Martin")
    other_learner = await learner(api, fr, 17)
    other_teacher = await api.user("teacher", fr.id)
    de_learner = await learner(api, de, 16)
    de_guardian = await guardian_of(api, de_learner)
    partner = await learner(api, it, 17)
    exchange = await exchange_between(client, api, [fr, it], [[lea, other_learner], [partner]])
    starts_on = clock().date() + timedelta(days=20)
    return World(
        api, client, app, clock, fr, it, de, lea, guardian, other_learner, other_teacher,
        de_learner, de_guardian, exchange.id, starts_on,
    )  # fmt: skip
