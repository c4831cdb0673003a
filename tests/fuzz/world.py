"""The seeded world the fuzzers run against, built through the API: two schools (FR, IT) in a
network with an active exchange between one class each, a scheduled session, a learner of each
school with a guardian, a blended mobility from Lyon to Bologna, a host family with a member,
and a logged-in account for every role. The fuzzers draw path parameters from its ids, so their
cases reach the handlers, not only the 404 of an unknown id."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from httpx import AsyncClient

from tests.factories import PASSWORD, Actor, Api, bearer, login
from tests.family_world import (
    API,
    blended_mobility,
    exchange_between,
    guardian_of,
    learner,
    schedule,
    school,
)

ROLES = ("admin", "coordinator", "teacher", "learner", "guardian", "host")


@dataclass
class FuzzWorld:
    # path parameter name -> the ids a case may name
    ids: dict[str, list[str]] = field(default_factory=dict)
    # role -> the headers of a logged-in account of that role
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    # the accounts whose tokens the fuzzer sends: never deactivated, erased or changed
    token_users: set[str] = field(default_factory=set)
    # accounts a destructive case may name instead
    spare_users: list[str] = field(default_factory=list)

    def add(self, name: str, *ids: str) -> None:
        self.ids.setdefault(name, []).extend(ids)


async def _ok(client: AsyncClient, method: str, path: str, who: Actor, body: Any = None) -> Any:
    response = await client.request(method, API + path, json=body, headers=who.headers)
    assert response.status_code in (200, 201), f"{method} {path}: {response.text}"
    return response.json()


async def build_fuzz_world(api: Api, client: AsyncClient) -> FuzzWorld:
    world = FuzzWorld()
    fr = await school(api, "FR", "Europe/Paris", city="Lyon")
    it = await school(api, "IT", "Europe/Rome", city="Bologna")
    lea = await learner(api, fr, 16, display_name="Léa Martin")
    guardian = await guardian_of(api, lea)
    marco = await learner(api, it, 17)
    exchange = await exchange_between(client, api, [fr, it], [[lea], [marco]])
    session = await schedule(client, exchange, datetime.now(UTC) + timedelta(days=3))
    body = blended_mobility(lea, exchange, company="Trattoria da Bruno")
    mobility = await _ok(client, "POST", "/mobilities", fr.coordinator, body)
    checklist = await _ok(client, "GET", f"/mobilities/{mobility['id']}/checklist", fr.teacher)
    family = await _ok(
        client,
        "POST",
        "/host-families",
        it.coordinator,
        {
            "organisation_id": it.id,
            "display_name": "Famiglia Rossi",
            "city": "Bologna",
            "household": {"adults": 2},
        },
    )
    host_email = "host@famiglia.example"
    invite = await _ok(
        client,
        "POST",
        f"/host-families/{family['id']}/invites",
        it.coordinator,
        {"email": host_email},
    )
    accepted = await client.post(
        f"{API}/host-invites/{invite['token']}/accept",
        json={"display_name": "Giulia Rossi", "password": PASSWORD},
    )
    assert accepted.status_code == 201, accepted.text
    host_headers = bearer((await login(client, host_email))["access_token"])
    activities = await _ok(client, "GET", "/activities?limit=3", fr.teacher)
    spare = [await api.user("teacher", fr.id, login_=False) for _ in range(2)]

    world.headers = {
        "admin": api.admin.headers,
        "coordinator": fr.coordinator.headers,
        "teacher": fr.teacher.headers,
        "learner": lea.headers,
        "guardian": guardian.headers,
        "host": host_headers,
    }
    world.token_users = {
        api.admin.id, fr.coordinator.id, fr.teacher.id, lea.id, guardian.id,
        accepted.json()["host_id"],
    }  # fmt: skip
    world.spare_users = [s.id for s in spare]
    world.add("organisation_id", fr.id, it.id)
    networks = await _ok(client, "GET", "/networks", api.admin)
    world.add("network_id", *[n["id"] for n in networks["items"]])
    world.add("learner_id", lea.id, marco.id)
    world.add("guardian_id", guardian.id)
    world.add("user_id", *world.spare_users)
    world.add("class_id", *[c["id"] for c in exchange.classes])
    world.add("exchange_id", exchange.id)
    world.add("session_id", session["id"])
    world.add("mobility_id", mobility["id"])
    world.add("item_id", *[i["id"] for i in checklist["items"][:2]])
    world.add("family_id", family["id"])
    world.add("activity_id", *[a["id"] for a in activities["items"]])
    world.add("purpose", "chat", "live_sessions")
    return world
