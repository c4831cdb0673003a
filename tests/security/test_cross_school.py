"""Issue 18, "Done when": no role of another school learns anything about a school's objects.

The role matrix (tests/role_matrix/) already proves, operation by operation, which roles may
call what against their own school's objects and others' for the resources it walks
(`RESOURCES` there), and that every route refuses an anonymous caller. This file adds what it
does not: a walk of every operation of /openapi.json whose path carries an id, called by each
role of a school outside the owner's network with the real ids of the owner's objects, and a
completeness check, so a new operation must be classified here before the suite passes.

The world is the role matrix's (tests/role_matrix/world.py), plus a host family and a webhook
subscription of school C, plus two schools of a network of their own (France and Italy, as in
tests/fuzz/world.py) with what hangs on an exchange between them: the exchange, a session, a
blended mobility with its checklist, a guardian invitation, an activity cloned into the French
school and a matching run of their network.
School C (or that pair) is the owner; A is in neither network. The callers are school A's
coordinator, teacher, learner, the guardian of A's learner, and a host of A's host family.
Each call with C's real id must be refused and answer exactly what the same call with a random
id answers (status, error code and message): a 404 that tells nothing, or a 403 that every
id gets (an operation the role may never call); a list filtered by the id may instead answer
the same empty page as for a random id. Writes are sent with an empty body: most
answer 404, but a write whose body is required answers 422 for real and random ids alike
(validation runs first), which hides the id without proving the refusal; the role matrix's
real bodies prove those for the resources it walks.

The hostile-Origin refusal of the room's handshake (HTTP 403 before the upgrade) is proved by
tests/realtime/test_room_access.py::test_origin_is_checked_before_anything_else.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from httpx import AsyncClient, Response

from tests.factories import Api
from tests.family_world import (
    blended_mobility,
    current_term,
    exchange_between,
    learner,
    schedule,
    school,
)
from tests.matching.test_matching_api import profile
from tests.role_matrix.rows import API
from tests.role_matrix.world import World, build_world

PARAM = re.compile(r"\{(\w+)\}")
CALLERS = ("coordinator_a", "teacher_a", "learner_a", "guardian_a", "host_a")
# A path parameter, and the world's object of school C it is filled with.
OWNER_OBJECTS = {
    "organisation_id": "org_c",
    "network_id": "net_c",
    "class_id": "class_c",
    "learner_id": "learner_c",
    "user_id": "learner_c",
    "guardian_id": "guardian_c",
    "teacher_id": "teacher_c",
    "family_id": "family_c",
    "webhook_id": "webhook_c",
    "delivery_id": "delivery_c",
    "purpose": "purpose",
    "exchange_id": "exchange_x",
    "session_id": "session_x",
    "mobility_id": "mobility_x",
    "item_id": "item_x",
    "invite_id": "invite_x",
    "activity_id": "activity_x",
    "run_id": "run_x",  # an exchange-matching run; on /host-matching/runs it is unknown too
}
# Public by design: anyone, logged in or not, reads these by id.
PUBLIC = {
    ("GET", "/api/v1/issuers/{organisation_id}"): "a badge's verifier reads its issuer's profile",
}
# Parameters the walk does not fill, and why.
NOT_WALKED = {
    "placement_id": "needs a finished host-matching run: tests/hosting/test_placements_api.py",
    "certificate_id": "certificates are verified publicly by id (docs/attendance.md)",
    "feed_id": "a calendar feed belongs to its caller only",
    "notification_id": "a notification belongs to its addressee only",
    "subscription_id": "a push subscription belongs to its caller only",
    "checkin_id": "needs a mobility abroad: tests/mobility/test_roles.py walks it by role",
    "token": "a secret, not an id: tests/families and tests/hosting prove unknown tokens",
}


def operations(application: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every /api/v1 operation whose path carries a parameter."""
    return sorted(
        (method.upper(), path)
        for path, ops in application.openapi()["paths"].items()
        if path.startswith(API + "/") and "{" in path
        for method in ops
    )


def walked(method: str, path: str) -> bool:
    return (method, path) not in PUBLIC and all(n in OWNER_OBJECTS for n in PARAM.findall(path))


def test_every_operation_with_an_id_is_classified(application: FastAPI) -> None:
    unclassified = [
        f"{method} {path}"
        for method, path in operations(application)
        if not walked(method, path)
        and (method, path) not in PUBLIC
        and not any(name in NOT_WALKED for name in PARAM.findall(path))
    ]
    assert not unclassified, f"classify in {__name__}: {unclassified}"
    assert sum(walked(method, path) for method, path in operations(application)) > 30


async def _objects_of_c(world: World) -> None:
    """What the role matrix's world lacks of school C: a host family, a webhook and its ping."""
    family = await world.api.create(
        f"{API}/host-families",
        {
            "organisation_id": world.ids["org_c"],
            "display_name": "Family family_c",
            "city": "Helsinki",
            "household": {"adults": 1},
        },
    )
    world.keep("family_c", family["id"], family["display_name"])
    # a literal public address: nothing to resolve, and nothing is ever sent to it
    hook = {"url": "https://93.184.215.14/passerelle/hooks", "event_types": ["session.scheduled"]}
    webhook = await world.api.create(f"{API}/organisations/{world.ids['org_c']}/webhooks", hook)
    world.keep("webhook_c", webhook["id"])
    ping = await world.api.client.post(
        f"{API}/organisations/{world.ids['org_c']}/webhooks/{webhook['id']}/ping",
        headers=world.api.admin.headers,
    )
    assert ping.status_code == 202, ping.text
    world.keep("delivery_c", ping.json()["id"])


async def _exchange_outside(world: World, client: AsyncClient) -> None:
    """Two schools of a network of their own, an active exchange between them and what hangs
    on it: a session, a blended mobility with its checklist, a guardian invitation."""
    api = world.api
    fr = await school(api, "FR", "Europe/Paris", city="Lyon")
    it = await school(api, "IT", "Europe/Rome", city="Bologna")
    lea = await learner(api, fr, 16, display_name="Léa Outside")
    marco = await learner(api, it, 17, display_name="Marco Outside")
    exchange = await exchange_between(client, api, [fr, it], [[lea], [marco]])
    world.keep("exchange_x", exchange.id)
    session = await schedule(client, exchange, datetime.now(UTC) + timedelta(days=3))
    world.keep("session_x", session["id"], session["title"])
    mobility = blended_mobility(lea, exchange, company="Trattoria Outside")
    created = await client.post(f"{API}/mobilities", json=mobility, headers=fr.coordinator.headers)
    assert created.status_code == 201, created.text
    world.keep("mobility_x", created.json()["id"], "Trattoria Outside", "Léa Outside")
    checklist = await client.get(
        f"{API}/mobilities/{created.json()['id']}/checklist", headers=fr.teacher.headers
    )
    assert checklist.status_code == 200, checklist.text
    world.keep("item_x", checklist.json()["items"][0]["id"])
    invite = await client.post(
        f"{API}/learners/{lea.id}/guardian-invites",
        json={"email": "parent-outside@famille.example"},
        headers=fr.coordinator.headers,
    )
    assert invite.status_code == 201, invite.text
    world.keep("invite_x", invite.json()["id"], "parent-outside@famille.example")
    library = await client.get(f"{API}/activities?limit=1", headers=fr.teacher.headers)
    assert library.status_code == 200, library.text
    built_in = library.json()["items"][0]["id"]
    clone = await client.post(f"{API}/activities/{built_in}/clone", headers=fr.teacher.headers)
    assert clone.status_code == 201, clone.text
    world.keep("activity_x", clone.json()["id"])
    for where in (fr, it):  # classes not yet in an exchange, for the run to match
        zone = "Europe/Paris" if where is fr else "Europe/Rome"
        await api.school_class(where.id, [where.teacher.id], **profile(**current_term(zone)))
    networks = await client.get(f"{API}/networks", headers=fr.coordinator.headers)
    assert networks.status_code == 200, networks.text
    run = await client.post(
        f"{API}/matching/runs",
        json={"network_id": networks.json()["items"][0]["id"], "group_size": 2},
        headers=fr.coordinator.headers,
    )
    assert run.status_code == 202, run.text
    world.keep("run_x", run.json()["id"])


def _shape(response: Response, ids: dict[str, str]) -> tuple[int, str, str]:
    """Status, error code and message, a random id written as the real one it stands for."""
    if response.status_code < 400:
        return response.status_code, "", ""
    error = response.json()["error"]
    message = error["message"]
    for fake, real in ids.items():
        message = message.replace(fake, real)
    return response.status_code, error["code"], message


def _empty_list(method: str, got: Response, random: Response) -> bool:
    """A list filtered by an id the caller may not see answers an empty page, as for an id
    that does not exist: nothing is told, and nothing is done."""
    body = got.json()
    return method == "GET" and body == random.json() and body.get("total") == 0


async def _call(client: AsyncClient, caller: dict[str, str], method: str, path: str) -> Response:
    body: dict[str, str] | None = {} if method in ("POST", "PUT", "PATCH") else None
    return await client.request(method, path, json=body, headers=caller)


async def test_roles_of_another_school_learn_nothing_of_its_objects(
    application: FastAPI, client: AsyncClient, api: Api
) -> None:
    world = await build_world(api)
    await _objects_of_c(world)
    await _exchange_outside(world, client)
    problems: list[str] = []
    walks = [(m, p) for m, p in operations(application) if walked(m, p)]
    for method, template in walks:
        names = PARAM.findall(template)
        real = {n: world.ids[OWNER_OBJECTS[n]] for n in names}
        fake = {n: str(uuid.uuid4()) if n != "purpose" else real[n] for n in names}
        real_path = template.format(**real)
        fake_path = template.format(**fake)
        for key in CALLERS:
            caller = world.headers[key]
            got = await _call(client, caller, method, real_path)
            random = await _call(client, caller, method, fake_path)
            ids = {fake[n]: real[n] for n in names}
            mine = _shape(got, ids)
            theirs = _shape(random, ids)
            if mine != theirs or (got.status_code < 400 and not _empty_list(method, got, random)):
                problems.append(f"{key} {method} {template}: {mine} vs random {theirs}")
    assert not problems, f"{len(problems)} of {len(walks) * len(CALLERS)}:\n" + "\n".join(problems)
