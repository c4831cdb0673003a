"""Pure ASGI middleware counting HTTP answers and their latency by route template (the
`route` Starlette's router records in the scope), so an id or a secret in a path never becomes
a label. WebSocket scopes pass through untouched: the rooms count themselves."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.metrics import Metrics

UNMATCHED = "unmatched"


def route_of(scope: Scope, prefixes: tuple[str, ...]) -> str:
    """The matched route's template with the prefix of the router that holds it (the router
    records only its own part: `/sessions/{session_id}` under `/api/v1`). The prefix is read
    from the path and kept only when it is one of `prefixes`, so nothing a client typed can
    become a label."""
    template = getattr(scope.get("route"), "path", None)
    if not isinstance(template, str):
        return UNMATCHED
    if ":path}" in template:
        return template
    path = str(scope.get("path", "")).rstrip("/")
    depth = template.rstrip("/").count("/")
    cut = len(path)
    for _ in range(depth):
        cut = path.rfind("/", 0, cut)
        if cut < 0:
            return UNMATCHED
    prefix = path[:cut]
    return prefix + template if prefix in prefixes else UNMATCHED


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics, prefixes: tuple[str, ...] = ("",)) -> None:
        self.app = app
        self.metrics = metrics
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception that escapes every handler is answered 500 by the server

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route, method = route_of(scope, self.prefixes), str(scope["method"])
            self.metrics.http_requests.labels(method, route, str(status)).inc()
            self.metrics.http_latency.labels(method, route).observe(time.perf_counter() - started)
