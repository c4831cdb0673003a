"""One error family and one renderer for the contract's error shape.

Every error a client sees is `{"error": {"code", "message", "details"}}`. Services raise
`AppError` subclasses; they never know about HTTP beyond the status code they carry.

`message` is English. The handler answers in the client's language from the catalogue
(app/core/rules/error_texts), looking up `text_key` (the `code` unless a raise site names a
more precise text) and filling its placeholders from `params`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core.rules.error_texts import not_found_key


class AppError(Exception):
    status_code = 400
    code = "bad_request"
    message = "The request could not be processed."
    # When true, the unit of work commits what was flushed before the error was raised
    # (for example, revoking a refresh-token family on reuse), instead of rolling back.
    keep_changes = False

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status_code: int | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
        params: Mapping[str, str | int] | None = None,
        text_key: str | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.status_code = status_code or self.status_code
        self.details = details
        self.headers = headers
        self.params: Mapping[str, str | int] = params or {}
        self.text_key = text_key or self.code
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.details)


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


class NotAuthenticated(AppError):
    status_code = 401
    code = "not_authenticated"
    message = "Authentication is required."

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message, code=code, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    message = "You are not allowed to do this."


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    message = "Not found."


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    message = "The request conflicts with the current state."


class InvalidInput(AppError):
    """422 with `details` listing the fields, like request validation."""

    status_code = 422
    code = "validation_error"
    message = "The request is not valid."

    def __init__(
        self,
        field: str,
        message: str,
        *,
        kind: str = "invalid",
        params: Mapping[str, str | int] | None = None,
    ) -> None:
        # `params` fill the placeholders of `kind`'s message in other languages.
        super().__init__(
            f"{field}: {message}",
            details=[{"field": field, "message": message, "type": kind}],
            params={"fields": field, **(params or {})},
        )


class FieldNotAllowed(InvalidInput):
    def __init__(self, field: str) -> None:
        super().__init__(field, "your role may not set this field", kind="field_not_allowed")


class RateLimited(AppError):
    status_code = 429
    code = "rate_limited"
    message = "Too many attempts; try again later."

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})


def not_found(what: str) -> NotFound:
    return NotFound(f"{what} not found.", text_key=not_found_key(what))
