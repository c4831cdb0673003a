"""Issue 18, "Done when": no role of another school learns anything about a school's objects.

The role matrix (tests/role_matrix/) already proves, operation by operation, which roles may
call what against their own school's objects and others' for the resources it walks
(`RESOURCES` there), and that every route refuses an anonymous caller. This file adds what it
does not: a walk of every operation of /openapi.json whose path carries an id, called by each
role of a school outside the owner's network with the real ids of the owner's objects, and a
completeness check, so a new operation must be classified here before the suite passes.

The world is the role matrix's (tests/role_matrix/world.py), plus a host family and a webhook
subscription of school C.
School C is the owner; its network holds no other school. The callers are school A's
coordinator, teacher, learner, the guardian of A's learner, and a host of A's host family.
Each call with C's real id must be refused and answer exactly what the same call with a random
id answers (status, error code and message): a 404 that tells nothing, or a 403 that every
id gets (an operation the role may never call). Writes are sent with an empty body: most
answer 404, but a write whose body is required answers 422 for real and random ids alike
(validation runs first), which hides the id without proving the refusal; the role matrix's
real bodies prove those for the resources it walks.

The hostile-Origin refusal of the room's handshake (HTTP 403 before the upgrade) is proved by
tests/realtime/test_room_access.py::test_origin_is_checked_before_anything_else.
"""

from __future__ import annotations

import re
import uuid

from fastapi import FastAPI
from httpx import AsyncClient, Response

from tests.factories import Api
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
    "purpose": "purpose",
}
# Public by design: anyone, logged in or not, reads these by id.
PUBLIC = {
    ("GET", "/api/v1/issuers/{organisation_id}"): "a badge's verifier reads its issuer's profile",
}
# Parameters the walk does not fill, and why: the shared world holds no such object of a school
# outside A's network (exchanges and what hangs on them need two schools of one network).
NOT_WALKED = {
    "exchange_id": "no exchange of an outside school in the world",
    "session_id": "no session of an outside school in the world",
    "mobility_id": "no mobility of an outside school in the world",
    "placement_id": "no placement of an outside school in the world",
    "activity_id": "no activity of an outside school in the world",
    "run_id": "no matching run of an outside school in the world",
    "certificate_id": "certificates are verified publicly by id (docs/attendance.md)",
    "feed_id": "a calendar feed belongs to its caller only",
    "invite_id": "no invitation of an outside school in the world",
    "notification_id": "a notification belongs to its addressee only",
    "subscription_id": "a push subscription belongs to its caller only",
    "item_id": "no checklist item of an outside school in the world",
    "checkin_id": "no check-in of an outside school in the world",
    "delivery_id": "no webhook delivery in the world (nothing is sent)",
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
    """What the role matrix's world lacks of school C: a host family and a webhook."""
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


def _shape(response: Response, ids: dict[str, str]) -> tuple[int, str, str]:
    """Status, error code and message, a random id written as the real one it stands for."""
    if response.status_code < 400:
        return response.status_code, "", ""
    error = response.json()["error"]
    message = error["message"]
    for fake, real in ids.items():
        message = message.replace(fake, real)
    return response.status_code, error["code"], message


async def _call(client: AsyncClient, caller: dict[str, str], method: str, path: str) -> Response:
    body: dict[str, str] | None = {} if method in ("POST", "PUT", "PATCH") else None
    return await client.request(method, path, json=body, headers=caller)


async def test_roles_of_another_school_learn_nothing_of_its_objects(
    application: FastAPI, client: AsyncClient, api: Api
) -> None:
    world = await build_world(api)
    await _objects_of_c(world)
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
            if got.status_code < 400 or mine != theirs:
                problems.append(f"{key} {method} {template}: {mine} vs random {theirs}")
    assert not problems, f"{len(problems)} of {len(walks) * len(CALLERS)}:\n" + "\n".join(problems)
