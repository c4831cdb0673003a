"""Documented error responses, so a 404 or 409 in the OpenAPI never looks like a crash.

An operation's error answers are declared as codes (`"409 schedule_conflict"`), not bare
statuses: `error_responses()` turns them into OpenAPI responses, one per status, whose
description names the codes and whose examples show one error body per code, each in the
contract's shape (`ErrorResponse`). `declared_codes()` reads them back from a built document.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from app.core.rules import error_texts

# The error examples' placeholders (`{fields}`), filled the way a real answer would be.
_SAMPLE_PARAMS = {"fields": "body.title", "limit": 10, "accepted": "limit, offset"}
ERROR_SCHEMA_REF = "#/components/schemas/ErrorResponse"


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    error: ErrorDetail


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The statuses a route answers besides success, for FastAPI's `responses=`; the OpenAPI
    step (app/routers/openapi.py) fills each with the codes the route declares."""
    return {s: {"model": ErrorResponse} for s in statuses}


AUTHED = errors(401, 403, 404, 422)
ICS_EXAMPLE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Passerelle//EN\r\nBEGIN:VEVENT\r\n"
    "UID:0b6b2f0e-8a53-4c1d-9a7e-3f1c2d4e5a60@passerelle\r\nDTSTART:20260302T090000Z\r\n"
    "DTEND:20260302T103000Z\r\nSUMMARY:Our towns and their food\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def csv_content(columns: Sequence[str], description: str) -> dict[str, Any]:
    """A success response that may be CSV: its header row is the example."""
    return {
        "description": description,
        "content": {"text/csv": {"schema": {"type": "string"}, "example": ",".join(columns)}},
    }


def calendar_content(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"text/calendar": {"schema": {"type": "string"}, "example": ICS_EXAMPLE}},
    }


def parse(declared: Iterable[str]) -> dict[int, list[str]]:
    """`["409 schedule_conflict", "403 forbidden"]` -> `{403: ["forbidden"], 409: [...]}`."""
    by_status: dict[int, list[str]] = {}
    for item in declared:
        status, code = item.split(" ")
        codes = by_status.setdefault(int(status), [])
        if code not in codes:
            codes.append(code)
    return dict(sorted(by_status.items()))


def _english(code: str) -> str:
    text = error_texts.CATALOGUE[code]["en"]
    names = {n for _, n, _, _ in string.Formatter().parse(text) if n}
    return text.format_map({n: _SAMPLE_PARAMS.get(n, f"<{n}>") for n in names})


def _details(code: str) -> Any:
    if code == "validation_error":
        return [{"field": "body.title", "message": "Field required", "type": "missing"}]
    return None


def error_response(status: int, codes: list[str]) -> dict[str, Any]:
    """One OpenAPI response: the codes this status carries, an example body for each."""
    return {
        "description": "Error codes: " + ", ".join(f"`{c}`" for c in codes) + ".",
        "content": {
            "application/json": {
                "schema": {"$ref": ERROR_SCHEMA_REF},
                "examples": {
                    code: {
                        "summary": code,
                        "value": {
                            "error": {
                                "code": code,
                                "message": _english(code),
                                "details": _details(code),
                            }
                        },
                    }
                    for code in codes
                },
            }
        },
    }


def error_responses(declared: Mapping[int, list[str]]) -> dict[str, dict[str, Any]]:
    return {str(status): error_response(status, codes) for status, codes in declared.items()}


def declared_codes(openapi: Mapping[str, Any]) -> dict[tuple[str, str], dict[int, set[str]]]:
    """(method, path) -> status -> the error codes a built OpenAPI document declares."""
    found: dict[tuple[str, str], dict[int, set[str]]] = {}
    for path, item in openapi.get("paths", {}).items():
        for method, operation in item.items():
            statuses = found.setdefault((method, path), {})
            for status, response in operation.get("responses", {}).items():
                if not status.isdigit() or int(status) < 400:
                    continue
                examples = response.get("content", {}).get("application/json", {})
                statuses[int(status)] = {
                    e["value"]["error"]["code"] for e in examples.get("examples", {}).values()
                }
    return found
