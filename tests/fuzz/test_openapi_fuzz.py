"""Schemathesis against `/openapi.json`: every operation, positive and negative cases, as every
role of a seeded world (tests/fuzz/world.py), on the suite's database (SQLite or PostgreSQL).

Each answer must pass schemathesis's checks: no server error, a documented status, the
documented content type and headers, a body matching its schema, invalid data rejected. Ours
on top (tests/fuzz/contract_checks.py): every error in the contract's shape with a code the
operation declares; a schema-valid request refused only for a content rule; an operation
behind a login refuses a request without a token or with a bad one (401).

Every failure of every operation is collected, so one run shows the whole picture; the seed
is printed to replay it (docs/testing.md).
"""

from __future__ import annotations

import asyncio
import re

import pytest
import schemathesis
from httpx import AsyncClient
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from tests.factories import Api
from tests.fuzz.contract_checks import AUTH_PROBES, ContractChecks
from tests.fuzz.openapi_cases import EXAMPLES, SEED, Operation, fuzz_operation, sender, strategy
from tests.fuzz.world import ROLES, FuzzWorld, build_fuzz_world

# Operations whose cases would take the fuzzer's own accounts or world away from the cases
# after them run last; `user_id` only ever names spare accounts (tests/fuzz/world.py).
LAST = re.compile(r"^DELETE |/erase$|/cancel$|/decline$")
# What a live server does that an in-process client cannot: readiness of the broker is
# exercised in tests/test_health.py.
SKIP = {"GET /readyz"}


def path_choices(operation: Operation, world: FuzzWorld) -> list[dict[str, str]]:
    names = re.findall(r"\{(\w+)\}", operation.path)
    if not names or any(n not in world.ids for n in names):
        return []
    width = max(len(world.ids[n]) for n in names)
    return [{n: world.ids[n][i % len(world.ids[n])] for n in names} for i in range(width)]


def modes(operation: Operation) -> list[GenerationMode]:
    """Negative cases too where there is something to get wrong: a body, a path or a query."""
    raw = operation.definition.raw
    invalid = "requestBody" in raw or any(
        p.get("in") in ("path", "query") for p in raw.get("parameters", [])
    )
    return [GenerationMode.POSITIVE, GenerationMode.NEGATIVE][: 2 if invalid else 1]


def ordered(schema: schemathesis.BaseSchema) -> list[Operation]:
    operations = [r.ok() for r in schema.get_all_operations() if isinstance(r, Ok)]
    operations = [op for op in operations if op.label not in SKIP]
    return sorted(operations, key=lambda op: bool(LAST.search(op.label)))


async def test_openapi_fuzz(api: Api, client: AsyncClient) -> None:
    world = await build_fuzz_world(api, client)
    document = (await client.get("/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document)
    loop = asyncio.get_running_loop()
    send = sender(client, loop, world.headers | AUTH_PROBES)
    checks = ContractChecks(document, send)
    problems: list[str] = []

    def run_all() -> None:
        for operation in ordered(schema):
            choices = path_choices(operation, world)
            for mode in modes(operation):
                try:
                    cases = strategy(operation, mode, choices)
                    fuzz_operation(operation, cases, list(ROLES), send, checks.check)
                except Unsatisfiable:  # nothing of the operation can be made invalid
                    continue
                except (Exception, BaseExceptionGroup) as exc:  # collect every failure
                    problems.append(f"{operation.label} ({mode.value}): {exc}")

    await asyncio.to_thread(run_all)
    if problems:
        pytest.fail(
            f"{len(problems)} failures (seed {SEED}, {EXAMPLES} examples):\n\n"
            + "\n\n".join(problems)
        )
