"""The role x operation matrix: each role against its own school's objects and others'.

Every test builds one world through the API: schools A and B share a network that A
coordinates; school C stands outside it, with a network of its own. Each school has a
coordinator, two teachers, a spare teacher, two learners and a guardian linked to the first
learner, and one class taught by its first teacher with its first learner enrolled.

A role's table is walked in order (an allowed write changes the world for the rows after it)
and every mismatch is collected, so one run shows the whole picture. Besides the status,
every row checks:

- a 404 is identical to the 404 of a random id on the same route, so it tells nothing;
- a refused call names no one: no name or e-mail of any object of the world in its body;
- a refused write changed nothing: the admin reads the object back before and after;
- a 422 for a field the role may not set says so (`field_not_allowed` on that field);
- a list (`sees`) answers exactly the rows in the caller's scope, and names no one else.
"""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import Api
from tests.role_matrix.checks import (
    check,
)
from tests.role_matrix.rows import (
    API,
    PLACEHOLDER,
    RESOURCES,
)
from tests.role_matrix.tables import TABLES
from tests.role_matrix.world import (
    build_world,
)

# --- Tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(TABLES))
async def test_role_matrix(api: Api, role: str) -> None:
    world = await build_world(api)
    problems = [problem for row in TABLES[role] for problem in await check(world, row)]
    if problems:
        pytest.fail(f"{len(problems)} wrong in {len(TABLES[role])} rows:\n" + "\n".join(problems))


def api_routes(application: FastAPI) -> set[tuple[str, str]]:
    """(method, path template without the prefix, parameters as `{}`) of every API route."""
    return {
        (method.upper(), PLACEHOLDER.sub("{}", path.removeprefix(API)))
        for path, operations in application.openapi()["paths"].items()
        if path.startswith(API + "/")
        for method in operations
    }


async def test_each_table_walks_every_route(application: FastAPI) -> None:
    wanted = {(m, p) for m, p in api_routes(application) if p.startswith(RESOURCES)}
    assert len(wanted) > 20
    for role, rows in TABLES.items():
        walked = {(r.method, PLACEHOLDER.sub("{}", r.path.split("?")[0])) for r in rows}
        assert not wanted - walked, f"{role} table misses {sorted(wanted - walked)}"


# Operations that work without logging in.
NO_LOGIN = {
    ("POST", "/auth/token"),
    ("POST", "/guardian-invites/{}/accept"),
    ("POST", "/host-invites/{}/accept"),
    ("GET", "/certificates/{}/verify"),  # anyone holding a certificate checks it
    ("POST", "/certificates/verify"),
    ("GET", "/issuers/{}"),  # a badge's verifier reads its issuer's profile and key
    ("GET", "/code-lists/countries"),  # forms' code lists: nothing personal
    ("GET", "/code-lists/languages"),
    ("GET", "/code-lists/isced-fields"),
}


async def test_unauthenticated_calls_are_refused(application: FastAPI, client: AsyncClient) -> None:
    problems: list[str] = []
    for method, template in sorted(api_routes(application)):
        if (method, template) in NO_LOGIN:
            continue
        path = API + template.replace("{}", str(uuid.uuid4()))
        body = {"refresh_token": "not-a-token"} if template.startswith("/auth/") else {}
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            response = await client.request(method, path, json=body, headers=headers)
            code = response.json()["error"]["code"] if response.status_code == 401 else None
            if code is None or response.headers.get("www-authenticate") != "Bearer":
                problems.append(f"{method} {template} {headers}: {response.status_code}")
    assert not problems, "\n".join(problems)
