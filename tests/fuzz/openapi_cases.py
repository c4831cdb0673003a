"""Schemathesis cases against `/openapi.json`, sent through the suite's httpx client.

Hypothesis draws each operation's cases in a worker thread (its engine is synchronous); every
case is sent to the app on the test's event loop, so the app, its lifespan and its database
engine stay on one loop, as in every other HTTP test. Budget and seed come from the
environment (docs/testing.md).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.schemas import APIOperation

AnyCase = Case[Any]
Operation = APIOperation[Any, Any, Any, Any]
EXAMPLES = int(os.environ.get("PASSERELLE_FUZZ_EXAMPLES", "4"))
SEED = int(os.environ.get("PASSERELLE_FUZZ_SEED", "20261204"))
BASE_URL = "http://test"

Send = Callable[[AnyCase, str], httpx.Response]
Check = Callable[[AnyCase, str, httpx.Response], None]


def request_kwargs(case: AnyCase, headers: dict[str, str]) -> dict[str, Any]:
    """The case as httpx arguments (schemathesis serialises for `requests`)."""
    kwargs = case.as_transport_kwargs(base_url=BASE_URL, headers=headers)
    out: dict[str, Any] = {
        "method": kwargs["method"],
        "url": kwargs["url"],
        "headers": {k: v for k, v in kwargs["headers"].items() if k != "Connection"},
        "params": kwargs.get("params") or None,
    }
    if "json" in kwargs:
        out["json"] = kwargs["json"]
    elif isinstance(kwargs.get("data"), dict):  # a form: flat string values, as a browser sends
        out["data"] = {
            str(k): [str(i) for i in v] if isinstance(v, list) else str(v)
            for k, v in kwargs["data"].items()
        }
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        out["content"] = data if isinstance(data, bytes) else str(data).encode()
    return out


def sender(
    client: httpx.AsyncClient,
    loop: asyncio.AbstractEventLoop,
    headers: dict[str, dict[str, str]],
) -> Send:
    """Send a case as `role` from the worker thread, on the app's event loop."""

    def send(case: AnyCase, role: str) -> httpx.Response:
        async def call() -> httpx.Response:
            return await client.request(**request_kwargs(case, headers.get(role, {})))

        return run_on(loop, call())

    return send


def run_on(
    loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, httpx.Response]
) -> httpx.Response:
    return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=120)


def strategy(
    operation: Operation, mode: GenerationMode, path_choices: list[dict[str, str]]
) -> st.SearchStrategy[AnyCase]:
    """Positive cases name the world's objects in their path (so they reach the handlers);
    negative cases draw their path parameters too (an invalid id is part of the test)."""
    if mode is GenerationMode.POSITIVE and path_choices:
        return st.one_of(
            *[operation.as_strategy(generation_mode=mode, path_parameters=p) for p in path_choices]
        )
    return operation.as_strategy(generation_mode=mode)


def fuzz_operation(
    operation: Operation,
    cases: st.SearchStrategy[AnyCase],
    roles: list[str],
    send: Send,
    check: Check,
) -> None:
    """Up to `EXAMPLES` cases of one operation, each as a drawn role; raises the first failure
    (no shrinking: the budget goes to new cases; the failure names the request)."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @seed(SEED)
    @given(case=cases, role=st.sampled_from(roles))
    def run(case: AnyCase, role: str) -> None:
        check(case, role, send(case, role))

    run()
