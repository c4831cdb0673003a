"""Small async factories that build test data through the public API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from httpx import AsyncClient

ADMIN_EMAIL = "admin@passerelle.eu"
ADMIN_PASSWORD = "admin-password-123"
PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Actor:
    id: str
    email: str
    role: str
    organisation_id: str | None
    headers: dict[str, str] = field(default_factory=dict)


async def login(client: AsyncClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@dataclass
class Api:
    client: AsyncClient
    admin: Actor

    @classmethod
    async def start(cls, client: AsyncClient) -> Api:
        tokens = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        headers = bearer(tokens["access_token"])
        me = (await client.get("/api/v1/users/me", headers=headers)).json()
        return cls(client, Actor(me["id"], ADMIN_EMAIL, "admin", None, headers))

    async def create(
        self, path: str, body: dict[str, Any], as_: Actor | None = None
    ) -> dict[str, Any]:
        response = await self.client.post(path, json=body, headers=(as_ or self.admin).headers)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def organisation(self, **overrides: Any) -> dict[str, Any]:
        body = {
            "name": f"Lycée {next(_seq)}",
            "country": "FR",
            "city": "Lyon",
            "timezone": "Europe/Paris",
            "kind": "school",
        } | overrides
        return await self.create("/api/v1/organisations", body)

    async def user(
        self,
        role: str,
        organisation_id: str | None = None,
        *,
        login_: bool = True,
        **overrides: Any,
    ) -> Actor:
        n = next(_seq)
        body: dict[str, Any] = {
            "email": f"{role}{n}@schools.passerelle.eu",
            "display_name": f"{role.title()} {n}",
            "role": role,
            "organisation_id": organisation_id,
            "password": PASSWORD,
        }
        if role == "learner":
            body["birth_date"] = "2010-05-04"
        body |= overrides
        created = await self.create("/api/v1/users", body)
        actor = Actor(created["id"], created["email"], role, organisation_id)
        if login_:
            actor.headers = bearer((await login(self.client, actor.email))["access_token"])
        return actor

    async def school_class(
        self, organisation_id: str, teacher_ids: list[str], **overrides: Any
    ) -> dict[str, Any]:
        body = {
            "name": f"Hospitality {next(_seq)}",
            "organisation_id": organisation_id,
            "teacher_ids": teacher_ids,
            "field": "1013",
            "eqf_level": 4,
            "learner_count": 24,
            "age_min": 15,
            "age_max": 18,
            "languages": [{"code": "en", "level": "B1"}],
            "availability": [{"weekday": 1, "start": "09:00", "end": "11:00"}],
            "term_start": "2027-01-11",
            "term_end": "2027-06-25",
        } | overrides
        return await self.create("/api/v1/classes", body)

    async def network(self, organisation_ids: list[str], **overrides: Any) -> dict[str, Any]:
        body = {
            "name": f"Network {next(_seq)}",
            "coordinating_organisation_id": organisation_ids[0],
        }
        network = await self.create("/api/v1/networks", body | overrides)
        for org_id in organisation_ids[1:]:
            await self.create(
                f"/api/v1/networks/{network['id']}/members", {"organisation_id": org_id}
            )
        return network
