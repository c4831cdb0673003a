"""A refused session counts its clashing occurrences, not the classes they clash for."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.scheduling.test_sessions_api import franco_finnish

__all__ = ["franco_finnish"]


async def test_one_occurrence_outside_both_terms_is_one_occurrence(
    client: AsyncClient, franco_finnish: dict[str, Any]
) -> None:
    clash = await client.post(
        f"/api/v1/exchanges/{franco_finnish['exchange']}/sessions",
        json={"title": "Summer", "starts_at": "2027-08-10T10:00:00+02:00", "duration_minutes": 60},
        headers=franco_finnish["t_fi"].headers,
    )
    assert clash.status_code == 409, clash.text
    error = clash.json()["error"]
    assert error["code"] == "schedule_conflict"
    assert sorted(d["kind"] for d in error["details"]) == ["outside_term", "outside_term"]
    assert error["message"] == "1 occurrence conflicts with bookings or terms."


async def test_two_occurrences_are_counted_as_two(
    client: AsyncClient, franco_finnish: dict[str, Any]
) -> None:
    clash = await client.post(
        f"/api/v1/exchanges/{franco_finnish['exchange']}/sessions",
        json={
            "title": "Summer",
            "starts_at": "2027-08-10T10:00:00+02:00",
            "duration_minutes": 60,
            "recurrence": {"rrule": "FREQ=WEEKLY;COUNT=2"},
        },
        headers=franco_finnish["t_fi"].headers,
    )
    assert clash.status_code == 409, clash.text
    error = clash.json()["error"]
    assert len(error["details"]) == 4
    assert error["message"] == "2 occurrences conflict with bookings or terms."
