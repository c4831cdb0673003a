"""Pure ASGI middleware: an HTTP request whose answer has not started within
`PASSERELLE_REQUEST_TIMEOUT_S` is cancelled and answered 503 `request_timeout` (with
`Retry-After`), so a stuck dependency never holds a client, or a worker's slot, for long. Once
the answer has started (a long CSV stream) it is not cut. WebSockets are not HTTP requests."""

from __future__ import annotations

import asyncio

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import error_body
from app.core.rules import error_texts
from app.core.rules.languages import negotiate
from app.middleware import send_error

RETRY_AFTER_S = 5
ENGLISH = "The server took too long to answer; try again."


class RequestTimeoutMiddleware:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        deadline = asyncio.timeout(self.seconds)

        async def send_and_stop_the_clock(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                deadline.reschedule(None)
            await send(message)

        try:
            async with deadline:
                await self.app(scope, receive, send_and_stop_the_clock)
        except TimeoutError:
            if started:
                raise
            message, language = error_texts.localise(
                ENGLISH, negotiate(Headers(scope=scope).get("accept-language")), "request_timeout"
            )
            retry = (b"retry-after", str(RETRY_AFTER_S).encode())
            await send_error(send, 503, error_body("request_timeout", message), language, (retry,))
