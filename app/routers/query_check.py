"""Unknown query parameters answer 422, never silently nothing: `GET /classes?teacher_id=X`
must not return every class as if the filter had been applied."""

from __future__ import annotations

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import HTTPConnection

from app.core.errors import InvalidInput

API_PREFIX = "/api/"
_known: dict[int, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> set[str]:
    """The query parameters of an operation and of every dependency it uses."""
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _parameters(route: APIRoute) -> frozenset[str]:
    names = _known.get(id(route))
    if names is None:
        names = _known[id(route)] = frozenset(_query_names(route.dependant))
    return names


def reject_unknown_query(connection: HTTPConnection) -> None:
    """An app-wide dependency: every query parameter of an `/api/v1` operation must be one it
    declares. (WebSocket routes, which it also runs for, declare theirs in the handshake.)"""
    route = connection.scope.get("route")
    if not isinstance(route, APIRoute) or not connection.query_params:
        return
    if not route.include_in_schema or not connection.url.path.startswith(API_PREFIX):
        return  # the web pages (`?next=`), the docs, health probes: not the API's contract
    known = _parameters(route)
    unknown = sorted(set(connection.query_params) - known)
    if unknown:
        accepted = ", ".join(sorted(known)) or "none"
        raise InvalidInput(
            f"query.{unknown[0]}",
            f"unknown query parameter; this operation accepts: {accepted}",
            kind="unknown_parameter",
            params={"accepted": accepted},
        )
