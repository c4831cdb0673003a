"""Schemathesis's stateful phase against `/openapi.json`: sequences of calls chained by the
links schemathesis infers from the document (an id a response holds feeds the next call's
path), as a coordinator of the seeded world (tests/fuzz/world.py), on the suite's database.

Each answer passes the same checks as the stateless fuzzer (tests/fuzz/contract_checks.py).
Budget: `PASSERELLE_FUZZ_EXAMPLES` scenarios times four, each of up to eight steps; the seed is
fixed (`derandomize`), so a failure replays (docs/testing.md).
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import schemathesis
from httpx import AsyncClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.core.transport import Response

from tests.factories import Api
from tests.fuzz.contract_checks import AUTH_PROBES, AnyCase, ContractChecks
from tests.fuzz.openapi_cases import EXAMPLES, sender
from tests.fuzz.world import build_fuzz_world

# A coordinator reaches most of the API and cannot take the world's own accounts away.
ROLE = "coordinator"


async def test_openapi_stateful(api: Api, client: AsyncClient) -> None:
    world = await build_fuzz_world(api, client)
    document = (await client.get("/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document)
    send = sender(client, asyncio.get_running_loop(), world.headers | AUTH_PROBES)
    checks = ContractChecks(document, send)
    steps: list[str] = []
    problems: list[str] = []

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def call(self, case: AnyCase, **kwargs: Any) -> Response:
            answer: httpx.Response = send(case, ROLE)
            steps.append(f"{case.method} {answer.request.url.path} {answer.status_code}")
            try:
                checks.check(case, ROLE, answer)
            except AssertionError as failure:
                # Collected, not raised: Hypothesis would replay the scenario, and its answers
                # depend on what the database holds by then.
                problems.append(f"{failure}\n  after: {steps[-8:-1]}")
            return Response.from_any(answer)

        def validate_response(self, response: Response, case: AnyCase, **kwargs: Any) -> None:
            """Checked in `call`, with the contract's checks on top of schemathesis's."""

    budget = settings(
        max_examples=EXAMPLES * 4,
        stateful_step_count=8,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    await asyncio.to_thread(Workflow.run, settings=budget)
    assert not problems, f"{len(problems)} failures:\n\n" + "\n\n".join(problems)
    # The scenarios did chain calls on real objects: some step answered with a 2xx.
    assert any(s.endswith((" 200", " 201", " 202")) for s in steps), steps[:20]
