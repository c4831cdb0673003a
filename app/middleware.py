"""Pure ASGI middleware: request ids with an access log, the request-body limit, and CORS
whose refusals speak the contract's error shape."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware as StarletteCORSMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import error_body
from app.core.logs import request_id_var
from app.core.rules import error_texts
from app.core.rules.languages import DEFAULT_LANGUAGE, negotiate

log = logging.getLogger("passerelle.access")

# Path prefixes after which everything is, or may hold, a secret (a calendar feed, a guardian or
# host invitation, the web client's invitation page). Matched case-insensitively with runs of
# slashes collapsed, so no spelling of the path the router might still serve leaks the token.
SECRET_PREFIXES = (
    "/calendar/",
    "/api/v1/guardian-invites/",
    "/api/v1/host-invites/",
    "/invite/",
)
# What may be kept after the mask when the rest is exactly a token and the route's suffix.
_KEPT_SUFFIX = re.compile(r"^[^/]+(\.ics|/accept)$", re.IGNORECASE)


async def send_error(
    send: Send,
    status: int,
    payload: dict[str, object],
    language: str,
    extra_headers: tuple[tuple[bytes, bytes], ...] = (),
) -> None:
    """Answer an error in the contract's shape from a middleware, in `language`."""
    body = json.dumps(payload).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"content-language", language.encode()),
        (b"vary", b"Accept-Language"),
        *extra_headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def loggable_path(path: str) -> str:
    """The path as it may be logged: no query string is ever passed in, and everything after a
    secret-bearing prefix is masked (a plain `.ics` or `/accept` suffix is kept)."""
    collapsed = re.sub(r"/{2,}", "/", path)
    lowered = collapsed.lower()
    for prefix in SECRET_PREFIXES:
        if lowered.startswith(prefix) and len(collapsed) > len(prefix):
            rest = collapsed[len(prefix) :]
            kept = _KEPT_SUFFIX.match(rest)
            return f"{prefix}***{kept.group(1).lower() if kept else ''}"
    return path


class RequestContextMiddleware:
    """Gives each request an id (or takes a sane `X-Request-ID`) and logs one line for it.

    The line holds the path without its query string, so tokens never reach the logs.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else ""
        request_id = request_id or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                extra={
                    "method": scope.get("method", "WS"),
                    "path": loggable_path(scope["path"]),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)


class PublicOriginMiddleware:
    """With a public base URL configured, every request is seen as addressed to it (scheme and
    `Host`), so no URL the API builds (`url_for`, `base_url`) follows a client's `Host` header."""

    def __init__(self, app: ASGIApp, base_url: str) -> None:
        self.app = app
        parts = urlsplit(base_url)
        self.secure = parts.scheme == "https"
        self.host = parts.netloc.encode("idna")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            scheme = "https" if self.secure else "http"
            if scope["type"] == "websocket":
                scheme = "wss" if self.secure else "ws"
            headers = [(k, v) for k, v in scope["headers"] if k != b"host"]
            scope = {**scope, "scheme": scheme, "headers": [*headers, (b"host", self.host)]}
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """Answers 413 in the contract's shape for bodies over `max_bytes`, streamed or not."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._reject(scope, send)
            return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not response_started:
                await self._reject(scope, send)

    async def _reject(self, scope: Scope, send: Send) -> None:
        message, language = error_texts.localise(
            f"The request body is larger than {self.max_bytes} bytes.",
            negotiate(Headers(scope=scope).get("accept-language")),
            "payload_too_large",
        )
        await send_error(send, 413, error_body("payload_too_large", message), language)


class _TooLarge(HTTPException):
    """Raised from `receive`; FastAPI re-raises HTTPExceptions met while reading a body."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail="The request body is too large.")


class CORSMiddleware(StarletteCORSMiddleware):
    """Starlette's CORS, with a refused preflight answered in the contract's error shape
    (400 `cors_refused`, JSON) instead of a plain-text body."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        refused = bytes(response.body).decode().removeprefix("Disallowed CORS ")
        headers = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-length", "content-type")
        }
        message, language = error_texts.localise(
            f"This cross-origin request is not allowed ({refused}): check "
            "PASSERELLE_ALLOWED_ORIGINS and the request's method and headers.",
            negotiate(request_headers.get("accept-language")),
            "cors_refused",
        )
        not_allowed = "not allowed"
        if language != DEFAULT_LANGUAGE:
            not_allowed = error_texts.field_message("not_allowed", language)
        headers["content-language"] = language
        return JSONResponse(
            error_body(
                "cors_refused",
                message,
                [{"field": name, "message": not_allowed} for name in refused.split(", ")],
            ),
            status_code=400,
            headers=headers,
        )
