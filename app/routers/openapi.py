"""`/openapi.json`, complete: every operation with a summary, a description, examples and the
error codes it can answer.

Nothing per route beyond what a route already is:

- summary and description come from the route function's docstring (its first line, then the
  whole text);
- request and success-response examples come from the pydantic schemas (their own `examples`
  first, see app/core/schema_examples.py);
- error responses come from codes: a generic layer every operation of a kind can answer
  (`generic_codes`) plus the operation's own codes (app/routers/error_codes.py), rendered by
  app/routers/responses.py in the contract's error shape, one example per code.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from app.core.schema_examples import example
from app.routers.deps import get_current_user
from app.routers.error_codes import OPERATION_ERRORS
from app.routers.responses import ErrorResponse, error_responses, parse

SUMMARY_MAX = 100


def operations(app: FastAPI) -> Iterator[tuple[str, str, RouteContext]]:
    """(method, path, route) for every documented HTTP operation of `app`."""
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute) and route.include_in_schema:
            for method in sorted(route.methods or ()):
                yield method, route.path_format or route.original_route.path_format, route


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    if dependant.call is not None:
        yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)


def generic_codes(route: RouteContext) -> list[str]:
    """What any operation of its kind can answer: one of the API (an unknown query parameter) or
        with query parameters or a body, invalid input (422); one that takes a body, a body too
        large (413); one behind a login, no or a bad access token (401); one behind a login naming a
        resource in its path, an unknown one (404); any, an answer not started in time or a database
    that cannot be reached (503)."""
    dependant = route.dependant
    codes = []
    path = route.path_format or ""
    if path.startswith("/api/") or dependant.query_params or route.body_field:
        codes.append("422 validation_error")
    if route.body_field is not None:
        codes.append("413 payload_too_large")
    if get_current_user in set(_calls(route.dependant)):
        codes += ["401 not_authenticated", "401 invalid_token"]
        if dependant.path_params:
            codes.append("404 not_found")
    codes.append("503 request_timeout")  # app/request_timeout.py
    codes.append("503 database_unavailable")  # app/error_handlers.py
    return codes


def _summary_and_description(route: RouteContext) -> tuple[str | None, str | None]:
    doc = inspect.getdoc(route.endpoint)
    if not doc:
        return route.summary, route.description or None
    first = doc.split("\n\n", 1)[0].replace("\n", " ").strip()
    return route.summary or _short(first), doc


def _short(text: str) -> str:
    """A docstring's first clause: up to its first full stop, colon, semicolon or bracket,
    and at most `SUMMARY_MAX` characters."""
    for stop in (". ", ": ", "; ", " ("):
        text = text.split(stop, 1)[0]
    text = text.rstrip(".")
    if len(text) > SUMMARY_MAX:
        text = text[:SUMMARY_MAX].rsplit(" ", 1)[0].rstrip(",") + "…"
    return text


def _json_example(media: dict[str, Any], components: dict[str, Any]) -> None:
    if "schema" in media and "example" not in media and "examples" not in media:
        media["example"] = example(media["schema"], components)


def _complete(operation: dict[str, Any], method: str, path: str, route: RouteContext) -> None:
    summary, description = _summary_and_description(route)
    if summary:
        operation["summary"] = summary
    if description:
        operation["description"] = description
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status in [s for s in responses if s.isdigit() and 400 <= int(s) < 500]:
        del responses[status]
    declared = generic_codes(route) + list(OPERATION_ERRORS.get(f"{method} {path}", ()))
    responses.update(error_responses(parse(declared)))
    operation["responses"] = dict(sorted(responses.items()))


def _examples(operation: dict[str, Any], components: dict[str, Any]) -> None:
    body = operation.get("requestBody", {}).get("content", {})
    for media in body.values():
        _json_example(media, components)
    successes = {s: r for s, r in operation.get("responses", {}).items() if s.startswith("2")}
    shaped = next((r["content"] for r in successes.values() if r.get("content")), None)
    for status, response in successes.items():
        if status != "204" and not response.get("content") and shaped is not None:
            response["content"] = shaped  # another success status, the same shape
        for media in response.get("content", {}).values():
            _json_example(media, components)


def complete(app: FastAPI, document: dict[str, Any]) -> dict[str, Any]:
    components: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["ErrorResponse"] = error_schema
    for method, path, route in operations(app):
        operation = document["paths"][path][method.lower()]
        _complete(operation, method, path, route)
        _examples(operation, components)
    return document


def install(app: FastAPI) -> None:
    """Serve the completed document at `/openapi.json` (built once, on first request)."""
    build = app.openapi
    done: dict[str, dict[str, Any]] = {}

    def openapi() -> dict[str, Any]:
        document = build()
        if done.get("document") is not document:
            done["document"] = complete(app, document)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
