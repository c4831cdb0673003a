"""No NUL character reaches a use case: 422 for one in the path, a query value or a JSON or
form body.

PostgreSQL's text types cannot hold U+0000, so a NUL that reaches a query is a 500 there (and a
string SQLite keeps but nothing else can use). One guard for every route instead of a validator
per field: the path and the query string are looked at for every request; a JSON or URL-encoded
body is buffered (it is already bounded by `BodyLimitMiddleware`, which sits outside this one),
looked at and replayed unchanged. Multipart bodies (files) are left alone.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import error_body
from app.core.rules import error_texts
from app.core.rules.languages import DEFAULT_LANGUAGE, negotiate
from app.middleware import send_error

NUL = "\x00"
_ENGLISH = "must not contain a NUL character"


def _in_pairs(prefix: str, text: str) -> str | None:
    for name, value in parse_qsl(text, keep_blank_values=True):
        if NUL in name or NUL in value:
            return f"{prefix}.{name.replace(NUL, '')}"
    return None


def _in_json(value: Any, where: str) -> str | None:
    if isinstance(value, str):
        return where if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = where if NUL in key else _in_json(item, f"{where}.{key}")
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _in_json(item, f"{where}.{index}")
            if found:
                return found
    return None


def nul_in_body(content_type: str, body: bytes) -> str | None:
    """The field of a JSON or URL-encoded body holding a NUL, or None."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        return _in_pairs("body", body.decode("latin-1"))
    if "json" in content_type and b"\\u0000" in body:
        try:
            return _in_json(json.loads(body), "body")
        except ValueError:
            return None  # not JSON: request validation answers it
    return None


def nul_in_url(scope: Scope) -> str | None:
    if NUL in scope.get("path", ""):
        return "path"
    return _in_pairs("query", scope.get("query_string", b"").decode("latin-1"))


class NulGuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        field = nul_in_url(scope)
        if field:
            await _reject(scope, send, field)
            return
        content_type = Headers(scope=scope).get("content-type", "").lower()
        if "json" not in content_type and "x-www-form-urlencoded" not in content_type:
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        field = nul_in_body(content_type, body)
        if field:
            await _reject(scope, send, field)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _reject(scope: Scope, send: Send, field: str) -> None:
    asked = negotiate(Headers(scope=scope).get("accept-language"))
    message, language = error_texts.localise(
        f"Invalid input: {field}.", asked, "validation_error", params={"fields": field}
    )
    detail = _ENGLISH if asked == DEFAULT_LANGUAGE else error_texts.field_message("invalid", asked)
    payload = error_body(
        "validation_error", message, [{"field": field, "message": detail, "type": "nul_character"}]
    )
    await send_error(send, 422, payload, language)
