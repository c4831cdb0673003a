"""Render every error, whatever raised it, in the contract's shape and the client's language.

`Accept-Language` picks one of six languages (English otherwise) for every `message`, the
fields' messages in a validation error's `details` included; the `code` never changes. The
response names the language it speaks in `Content-Language`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.db import is_database_unavailable
from app.core.errors import AppError, error_body
from app.core.rules import error_texts
from app.core.rules.languages import DEFAULT_LANGUAGE, negotiate

log = logging.getLogger(__name__)
DATABASE_RETRY_AFTER_S = 5

HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


def language_of(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"))


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _field_text(message: str, kind: str, language: str, ctx: Mapping[str, object]) -> str:
    if language == DEFAULT_LANGUAGE:
        return error_texts.clean(message)
    return error_texts.field_message(kind, language, ctx)


def _validation_details(exc: RequestValidationError, language: str) -> list[dict[str, str]]:
    # Never echo `input`: it may hold a password.
    details = []
    for err in exc.errors():
        kind = str(err.get("type", ""))
        message = _field_text(str(err.get("msg", "")), kind, language, err.get("ctx") or {})
        details.append(
            {"field": _field(tuple(err.get("loc", ()))), "message": message, "type": kind}
        )
    return details


def _response(
    code: str,
    message: str,
    language: str,
    *,
    status_code: int,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        error_body(code, message, details),
        status_code=status_code,
        headers={**(headers or {}), "Content-Language": language, "Vary": "Accept-Language"},
    )


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    asked = language_of(request)
    message, language = error_texts.localise(
        exc.message, asked, exc.text_key, exc.code, params=exc.params
    )
    details = exc.details
    if exc.code == "validation_error" and isinstance(details, list):
        message = error_texts.clean(message)
        details = [
            d | {"message": _field_text(d["message"], d.get("type", ""), asked, exc.params)}
            if isinstance(d, dict) and isinstance(d.get("message"), str)
            else d
            for d in details
        ]
    return _response(
        exc.code,
        message,
        language,
        status_code=exc.status_code,
        details=details,
        headers=exc.headers,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    asked = language_of(request)
    details = _validation_details(exc, asked)
    fields = ", ".join(sorted({d["field"] for d in details}))
    message, language = error_texts.localise(
        f"Invalid input: {fields}.", asked, "validation_error", params={"fields": fields}
    )
    return _response("validation_error", message, language, status_code=422, details=details)


def _unreadable_body(exc: StarletteHTTPException) -> RequestValidationError | None:
    """A body the framework could not read is invalid input (422 on field `body`), not a bare
    400: FastAPI answers 400 for JSON that is not UTF-8 or nested deeper than the parser goes
    (its cause set), Starlette for a broken form. The app itself never raises a 400."""
    if exc.status_code != 400:
        return None
    if exc.__cause__ is not None:
        kind, text = "json_invalid", "The body is not valid JSON."
    else:
        kind, text = "body_invalid", exc.detail if isinstance(exc.detail, str) else "Invalid body."
    return RequestValidationError([{"type": kind, "loc": ("body",), "msg": text}])


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if (invalid := _unreadable_body(exc)) is not None:
        return await _validation_error(request, invalid)
    code = HTTP_CODES.get(exc.status_code, "http_error")
    english = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    message, language = error_texts.localise(english, language_of(request), code)
    return _response(code, message, language, status_code=exc.status_code, headers=exc.headers)


async def _unavailable_or_unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A database that cannot be reached (or dropped the connection) is 503
    `database_unavailable` with `Retry-After`, for a client to try again; anything else of these
    kinds is a bug (500)."""
    if not is_database_unavailable(exc):
        return await _unexpected(request, exc)
    log.warning("database unavailable", extra={"error": repr(exc)[:300]})
    message, language = error_texts.localise(
        "The database is unavailable; try again shortly.",
        language_of(request),
        "database_unavailable",
    )
    return _response(
        "database_unavailable",
        message,
        language,
        status_code=503,
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error", exc_info=exc)
    message, language = error_texts.localise(
        "Something went wrong on our side; it has been logged.",
        language_of(request),
        "internal_error",
    )
    return _response("internal_error", message, language, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # handled where raised (not re-raised to the server like `Exception`): a database outage
    app.add_exception_handler(DBAPIError, _unavailable_or_unexpected)
    app.add_exception_handler(OSError, _unavailable_or_unexpected)
    app.add_exception_handler(Exception, _unexpected)
