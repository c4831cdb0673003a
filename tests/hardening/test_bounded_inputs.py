"""Issue 18, finding 7 (first items): input at the edges of what a type can hold is a 422,
never a 500: a huge `offset`, instants in the year 9999 or 0001; and a session title holding
CR/LF still gives a valid invitation."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from icalendar import Calendar

from tests.factories import Api
from tests.scheduling.test_sessions_api import franco_finnish

__all__ = ["franco_finnish"]

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "path", ["/api/v1/users", "/api/v1/audit", "/api/v1/organisations", "/api/v1/notifications"]
)
async def test_a_huge_offset_is_a_422(client: AsyncClient, api: Api, path: str) -> None:
    answer = await client.get(f"{path}?offset={HUGE}", headers=api.admin.headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"][0]["field"] == "query.offset"
    largest = await client.get(f"{path}?offset=1000000000", headers=api.admin.headers)
    assert largest.status_code == 200, largest.text


@pytest.mark.parametrize(
    "starts_at", ["9999-12-31T23:50:00Z", "0001-01-01T00:00:00+01:00", "2300-01-01T10:00:00Z"]
)
async def test_a_session_at_the_end_of_time_is_a_422(
    client: AsyncClient, franco_finnish: dict[str, Any], starts_at: str
) -> None:
    url = f"/api/v1/exchanges/{franco_finnish['exchange']}/sessions"
    body = {"title": "Late", "starts_at": starts_at, "duration_minutes": 60}
    answer = await client.post(url, json=body, headers=franco_finnish["t_fr"].headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"][0]["field"] == "body.starts_at"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("9999-12-01T00:00:00Z", "9999-12-31T00:00:00Z"),
        ("0001-01-01T00:00:00Z", "0001-01-20T00:00:00Z"),
        ("9999-12-30T00:00:00Z", None),
    ],
)
async def test_slots_in_year_9999_or_0001_are_a_422(
    client: AsyncClient, franco_finnish: dict[str, Any], start: str, end: str | None
) -> None:
    params = {"duration_minutes": "60", "start": start} | ({"end": end} if end else {})
    answer = await client.get(
        f"/api/v1/exchanges/{franco_finnish['exchange']}/slots",
        params=params,
        headers=franco_finnish["t_fr"].headers,
    )
    assert answer.status_code == 422, answer.text


async def test_an_invitation_escapes_line_breaks_in_the_title(
    client: AsyncClient, franco_finnish: dict[str, Any]
) -> None:
    teacher = franco_finnish["t_fr"]
    created = await client.post(
        f"/api/v1/exchanges/{franco_finnish['exchange']}/sessions",
        json={
            "title": "Menus\r\nX-INJECTED:1\nof our regions",
            "starts_at": "2027-03-16T10:00:00+01:00",
            "duration_minutes": 60,
        },
        headers=teacher.headers,
    )
    assert created.status_code == 201, created.text
    session_id = created.json()["occurrences"][0]["id"]
    invite = await client.get(f"/api/v1/sessions/{session_id}/invite.ics", headers=teacher.headers)
    assert invite.status_code == 200, invite.text
    assert b"\r\nX-INJECTED" not in invite.content
    calendar = Calendar.from_ical(invite.content)
    assert "X-INJECTED" not in calendar
    event = calendar.walk("VEVENT")[0]
    assert "X-INJECTED" in str(event["summary"])
