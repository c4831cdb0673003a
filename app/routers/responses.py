"""Documented error responses, so a 404 or 409 in the OpenAPI never looks like a crash."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    error: ErrorDetail


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    text = {
        401: "Not authenticated",
        403: "Not allowed",
        404: "Not found or not visible to the caller",
        409: "Conflict",
        413: "Body too large",
        422: "Invalid input",
        429: "Rate limited",
    }
    return {s: {"model": ErrorResponse, "description": text.get(s, "Error")} for s in statuses}


AUTHED = errors(401, 403, 404, 422)
