"""The world every role-matrix test builds through the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.factories import PASSWORD, Api, bearer, login
from tests.role_matrix.rows import (
    API,
    PEOPLE,
    PLACEHOLDER,
    SCHOOLS,
)
from tests.role_matrix.tables import ACTORS

# --- The world -------------------------------------------------------------------------------


@dataclass
class World:
    api: Api
    ids: dict[str, str] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    # Names and e-mails of each object: a refused call must never echo one.
    secrets: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def keep(self, key: str, id_: str, *secrets: str) -> None:
        self.ids[key] = id_
        self.secrets[key] = secrets

    def fill(self, value: Any) -> Any:
        if isinstance(value, str):
            return PLACEHOLDER.sub(lambda m: self.ids[m.group(1)], value)
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value

    def key_of(self, id_: str) -> str:
        return next((k for k, v in self.ids.items() if v == id_), id_)


async def build_world(api: Api) -> World:
    world = World(api)
    world.ids["purpose"] = "chat"  # a consent purpose, in paths
    admin = api.admin
    world.keep("admin", admin.id, admin.email)
    world.headers["admin"] = admin.headers
    for s in SCHOOLS:
        org = await api.organisation(name=f"School org_{s}")
        world.keep(f"org_{s}", org["id"], org["name"])
    for prefix, role in PEOPLE:
        for s in SCHOOLS:
            key = f"{prefix}_{s}"
            org_id = None if role == "guardian" else world.ids[f"org_{s}"]
            person = await api.user(
                role, org_id, login_=key in ACTORS, display_name=f"Person {key}"
            )
            world.keep(key, person.id, person.email, f"Person {key}")
            world.headers[key] = person.headers
    for s in SCHOOLS:
        ids = world.ids
        created = await api.school_class(ids[f"org_{s}"], [ids[f"teacher_{s}"]], name=f"Class {s}")
        world.keep(f"class_{s}", created["id"], created["name"])
        roster = await api.client.put(
            f"{API}/classes/{created['id']}/learners",
            json={"learner_ids": [ids[f"learner_{s}"]]},
            headers=admin.headers,
        )
        assert roster.status_code == 200, roster.text
        await api.create(
            f"{API}/learners/{ids[f'learner_{s}']}/guardians", {"guardian_id": ids[f"guardian_{s}"]}
        )
    for key, members in (("net_ab", ["org_a", "org_b"]), ("net_c", ["org_c"])):
        network = await api.network([world.ids[m] for m in members], name=f"Network {key}")
        world.keep(key, network["id"], network["name"])
    await _host_families(world)
    return world


async def _host_families(world: World) -> None:
    """A host family kept by schools A and B each; a member of A's joins by invitation."""
    api = world.api
    for s in ("a", "b"):
        family = await api.create(
            f"{API}/host-families",
            {
                "organisation_id": world.ids[f"org_{s}"],
                "display_name": f"Family family_{s}",
                "city": "Lyon",
                "household": {"adults": 2},
            },
        )
        world.keep(f"family_{s}", family["id"], family["display_name"])
    invite = await api.create(
        f"{API}/host-families/{world.ids['family_a']}/invites", {"email": "host-a@famille.example"}
    )
    accepted = await api.client.post(
        f"{API}/host-invites/{invite['token']}/accept",
        json={"display_name": "Person host_a", "password": PASSWORD},
    )
    assert accepted.status_code == 201, accepted.text
    tokens = await login(api.client, "host-a@famille.example")
    world.keep("host_a", accepted.json()["host_id"], "host-a@famille.example", "Person host_a")
    world.headers["host_a"] = bearer(tokens["access_token"])
