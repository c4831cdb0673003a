"""A pytest plugin: every error code the app answers during the run must be declared in the
OpenAPI for the operation that answered it.

While tests run, each app's error handlers are wrapped so that every error answer is recorded as
(method, route template, status, code). When the session ends, what was recorded is checked
against `/openapi.json`: a code answered but not declared for its operation fails the run. Only
what was recorded is checked, so a partial run (`pytest tests/x`) checks what it exercised.

`PASSERELLE_ANSWERED_ERRORS=<file>` also writes the recording there (JSON lines), to see which
codes each operation answers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.responses import Response

from app import error_handlers
from app.core.settings import Settings
from app.factory import create_app
from app.routers.responses import declared_codes

Answer = tuple[str, str, int, str]
Handler = Callable[[Request, Exception], Awaitable[Response]]

ANSWERED: set[Answer] = set()
_install = error_handlers.install


def _recording(handler: Handler) -> Handler:
    async def record(request: Request, exc: Exception) -> Response:
        response = await handler(request, exc)
        route = request.scope.get("route")
        # a 405 matches a route of another method: not an answer of that operation
        if (
            isinstance(route, APIRoute)
            and route.include_in_schema
            and request.method in (route.methods or ())
        ):
            body = json.loads(bytes(response.body))
            path = _full_path(request.app, route, request.method)
            ANSWERED.add((request.method, path, response.status_code, body["error"]["code"]))
        return response

    return record


def _full_path(app: FastAPI, route: APIRoute, method: str) -> str:
    """The route's path as the app serves it (the matched route may be the one a router
    holds, before its prefix)."""
    for served in iter_route_contexts(app.routes):
        if served.original_route is route and method in (served.methods or ()):
            return served.path_format or route.path_format
    return route.path_format


def _install_recording(app: FastAPI) -> None:
    _install(app)
    for key, handler in list(app.exception_handlers.items()):
        app.exception_handlers[key] = _recording(handler)  # type: ignore[arg-type]


def pytest_configure(config: pytest.Config) -> None:
    error_handlers.install = _install_recording


def undeclared(answered: set[Answer], openapi: dict[str, Any]) -> list[str]:
    """The answers whose code the OpenAPI does not declare for that operation and status."""
    declared = declared_codes(openapi)
    return sorted(
        f"{method} {path}: {status} {code}"
        for method, path, status, code in answered
        # a route a test adds to its own app is not one of the document's operations
        if (method.lower(), path) in declared
        and code not in declared[(method.lower(), path)].get(status, ())
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not ANSWERED:
        return
    if target := os.environ.get("PASSERELLE_ANSWERED_ERRORS"):
        with open(target, "w", encoding="utf-8") as out:
            for answer in sorted(ANSWERED):
                out.write(json.dumps(answer) + "\n")
    openapi = create_app(Settings(secret_key="x" * 48)).openapi()
    missing = undeclared(ANSWERED, openapi)
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = ["", "error codes answered but not declared in /openapi.json:", *missing]
        if reporter is not None:
            reporter.write_line("\n".join(lines), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
