"""A receiving school's host families and incoming learners, built through the API on the
mobility tests' world: minors from Lyon (FR) go to Bologna (IT), whose coordinator keeps the
families; a third school (DE) stands outside."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from app.core.clock import ManualClock
from tests.factories import Actor, Api, bearer, login
from tests.family_world import learner
from tests.mobility.world import World, build

VEGETARIAN = {"needed": True, "diet": ["vegetarian"], "allergies": [], "non_smoking": True}


@dataclass
class HostWorld:
    w: World

    @property
    def api(self) -> Api:
        return self.w.api

    def stay(self, days_from_start: int = 0, length: int = 21) -> dict[str, str]:
        first = self.w.starts_on + timedelta(days=days_from_start)
        return {
            "starts_on": first.isoformat(),
            "ends_on": (first + timedelta(days=length)).isoformat(),
        }

    def season(self) -> list[dict[str, str]]:
        return [
            {
                "from": (self.w.starts_on - timedelta(days=10)).isoformat(),
                "to": (self.w.starts_on + timedelta(days=90)).isoformat(),
            }
        ]

    async def family(self, name: str, *, approve: bool = True, **overrides: Any) -> dict[str, Any]:
        body = {
            "organisation_id": self.w.it.id,
            "display_name": name,
            "city": "Bologna",
            "area": "Santo Stefano",
            "languages": [{"code": "it", "level": "C2"}, {"code": "fr", "level": "B1"}],
            "household": {"adults": 2, "children": 1},
            "pets": [],
            "smoking": False,
            "diets": ["vegetarian"],
            "rooms": 1,
            "available": self.season(),
        } | overrides
        created = await self.w.ok(self.w.it.coordinator, "POST", "/host-families", body)
        if approve:
            await self.vet(created["id"], "approved")
        return dict(created)

    async def vet(self, family_id: str, status: str, **extra: Any) -> dict[str, Any]:
        body = {"status": status, "checked_on": self.w.clock().date().isoformat()} | extra
        result: dict[str, Any] = await self.w.ok(
            self.w.it.coordinator, "POST", f"/host-families/{family_id}/vetting", body
        )
        return result

    async def host_of(self, family_id: str, name: str) -> Actor:
        email = f"{name.lower().replace(' ', '.')}@famiglie.example"
        invite = await self.w.ok(
            self.w.it.coordinator, "POST", f"/host-families/{family_id}/invites", {"email": email}
        )
        accepted = await self.w.client.post(
            f"/api/v1/host-invites/{invite['token']}/accept",
            json={"display_name": name, "password": "host-password-123"},
        )
        assert accepted.status_code == 201, accepted.text
        tokens = await login(self.w.client, email, "host-password-123")
        return Actor(
            accepted.json()["host_id"], email, "host", None, bearer(tokens["access_token"])
        )

    async def incoming(self, who: Actor | None = None, **hosting: Any) -> dict[str, Any]:
        """A physical mobility to Bologna for `who` (default: Léa) needing a family."""
        extra = {k: hosting.pop(k) for k in ("starts_on", "ends_on") if k in hosting}
        needs = VEGETARIAN | hosting
        return await self.w.create(
            kind="physical",
            exchange_id=None,
            learner_id=(who or self.w.lea).id,
            hosting=needs,
            **(self.stay() | extra),
        )

    async def fr_learner(self, age: int = 16) -> Actor:
        return await learner(self.api, self.w.fr, age)

    async def run(self, *, who: Actor | None = None, **body: Any) -> dict[str, Any]:
        """Start a run and poll it until it is done or failed."""
        body = {"receiving_organisation_id": self.w.it.id} | body
        started = await self.w.call(
            who or self.w.it.coordinator, "POST", "/host-matching/runs", body
        )
        assert started.status_code == 202, started.text
        run_id = started.json()["id"]
        for _ in range(600):
            run = await self.w.ok(
                who or self.w.it.coordinator, "GET", f"/host-matching/runs/{run_id}"
            )
            if run["status"] in ("done", "failed"):
                assert run["status"] == "done", run
                return dict(run)
            await asyncio.sleep(0.05)
        raise AssertionError("the host matching run did not finish in 30 s")


async def build_hosts(api: Api, client: AsyncClient, app: FastAPI, clock: ManualClock) -> HostWorld:
    return HostWorld(await build(api, client, app, clock))
