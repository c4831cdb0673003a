"""Checking one row: the status, and that a refusal tells and changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

from httpx import Response

from tests.role_matrix.rows import (
    API,
    ERROR_CODES,
    PLACEHOLDER,
    Row,
)
from tests.role_matrix.world import (
    World,
)

# --- Checking one row ------------------------------------------------------------------------


def readback_path(method: str, path: str) -> str:
    """Where the admin reads what a write would change: the object, or its collection."""
    parts = path.split("/")
    if method == "DELETE" and len(parts) == 5:  # /networks/{id}/members/{org} and the like
        path = "/".join(parts[:-1])
    if path.count("/") % 2 == 1:  # a collection
        path += "?limit=100"
    return path


def returned_ids(payload: Any) -> list[str]:
    if isinstance(payload, list):
        return [item["id"] for item in payload]
    if "learner_ids" in payload:
        return list(payload["learner_ids"])
    return [item["id"] for item in payload["items"]]


async def check(world: World, row: Row) -> list[str]:
    client = world.api.client
    admin = world.api.admin.headers
    path, body = world.fill(row.path), world.fill(row.body)
    write_refused = row.method != "GET" and row.status >= 400
    readback = readback_path(row.method, path) if write_refused else None
    before = (await client.get(API + readback, headers=admin)).json() if readback else None

    response = await client.request(
        row.method, API + path, json=body, headers=world.headers[row.actor]
    )
    if response.status_code != row.status:
        return [f"{row}: got {response.status_code} {response.text[:300]}"]

    if row.keep is not None:
        world.ids[row.keep] = response.json()["id"]
    problems: list[str] = []
    if row.status >= 400:
        problems += _refusal_problems(world, row, response)
    if row.status == 404:
        problems += await _ghost_problems(world, row, response)
    if readback is not None:
        after = (await client.get(API + readback, headers=admin)).json()
        if after != before:
            problems.append(f"{row}: the refused write changed {readback}")
    if row.sees is not None:
        problems += _list_problems(world, row, response)
    if row.method == "PATCH" and row.status == 200:
        got = response.json()
        problems += [
            f"{row}: {name} is {got.get(name)!r}, not {value!r}"
            for name, value in body.items()
            if got.get(name) != value
        ]
    return problems


def _refusal_problems(world: World, row: Row, response: Response) -> list[str]:
    problems: list[str] = []
    error = response.json()["error"]
    expected = row.code or {422: "validation_error"}.get(row.status) or ERROR_CODES[row.status]
    if error["code"] != expected:
        problems.append(f"{row}: error code {error['code']!r}, not {expected!r}")
    if row.field is not None:
        refused = {(d["field"], d["type"]) for d in error["details"] or []}
        if (row.field, "field_not_allowed") not in refused:
            problems.append(f"{row}: {row.field} not refused as field_not_allowed: {refused}")
    leaked = [s for key, secrets in world.secrets.items() for s in secrets if s in response.text]
    if leaked:
        problems.append(f"{row}: the refusal names {leaked}")
    return problems


async def _ghost_problems(world: World, row: Row, response: Response) -> list[str]:
    """The same call on a random id (in place of the first object of the path)."""
    ghost = world.fill(PLACEHOLDER.sub(str(uuid.uuid4()), row.path, count=1))
    twin = await world.api.client.request(
        row.method, API + ghost, json=world.fill(row.body), headers=world.headers[row.actor]
    )
    if (twin.status_code, twin.json()) != (404, response.json()):
        return [f"{row}: differs from a random id's {twin.status_code} {twin.text[:200]}"]
    return []


def _list_problems(world: World, row: Row, response: Response) -> list[str]:
    assert row.sees is not None
    payload = response.json()
    got = returned_ids(payload)
    expected = {world.ids[key] for key in row.sees.split()}
    problems: list[str] = []
    if set(got) != expected or len(got) != len(expected):
        extra = sorted(world.key_of(i) for i in set(got) - expected)
        missing = sorted(world.key_of(i) for i in expected - set(got))
        problems.append(f"{row}: also answers {extra}, lacks {missing}")
    if isinstance(payload, dict) and "total" in payload and payload["total"] != len(got):
        problems.append(f"{row}: total {payload['total']} for {len(got)} rows")
    hidden = set(world.secrets) - set(row.sees.split()) - set(row.names.split())
    leaked = [s for key in hidden for s in world.secrets[key] if s in response.text]
    if leaked:
        problems.append(f"{row}: names out-of-scope {leaked}")
    return problems
