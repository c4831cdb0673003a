"""How the API writes an instant outside a pydantic model: UTC with `Z`, as pydantic does."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_iso(moment: datetime) -> str:
    """`2027-03-16T09:30:00Z`: the instant in UTC, `Z` rather than `+00:00`."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime is not an instant")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
