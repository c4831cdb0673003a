"""Issue 18, finding 5: no spelling of a token-bearing path writes its token to the access log."""

from __future__ import annotations

import logging

import pytest
from httpx import AsyncClient

from app.core.logs import JsonFormatter

SECRET = "S3cr3tT0ken-abcdef"
SPELLINGS = [
    ("GET", f"/calendar/{SECRET}.ics"),
    ("GET", f"/calendar/{SECRET}.ics/"),
    ("GET", f"/calendar/{SECRET}"),
    ("GET", f"/calendar/{SECRET}.ICS"),
    ("GET", f"//calendar/{SECRET}.ics"),
    ("GET", f"/CALENDAR/{SECRET}.ics"),
    ("GET", f"/calendar/{SECRET}%2Fmore.ics"),
    ("POST", f"/api/v1/guardian-invites/{SECRET}/accept/"),
    ("POST", f"/api/v1/guardian-invites/{SECRET}/accept"),
    ("GET", f"/api/v1/guardian-invites/{SECRET}"),
    ("GET", f"/api//v1/guardian-invites/{SECRET}/"),
    ("POST", f"/api/v1/host-invites/{SECRET}/accept"),
    ("GET", f"/api/v1/Host-Invites/{SECRET}"),
    ("GET", f"/invite/{SECRET}"),
    ("GET", f"/invite/{SECRET}/x"),
]


@pytest.mark.parametrize(("method", "path"), SPELLINGS)
async def test_the_access_log_never_holds_the_token(
    client: AsyncClient, caplog: pytest.LogCaptureFixture, method: str, path: str
) -> None:
    with caplog.at_level(logging.INFO, logger="passerelle.access"):
        await client.request(method, f"http://test{path}", json={} if method == "POST" else None)
    lines = [r for r in caplog.records if r.name == "passerelle.access"]
    assert len(lines) == 1
    formatted = JsonFormatter().format(lines[0])
    assert SECRET.lower() not in formatted.lower(), formatted
    assert "***" in lines[0].__dict__["path"]


async def test_other_paths_are_logged_as_they_are(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="passerelle.access"):
        await client.get("/api/v1/calendar/feeds")
    assert [r.__dict__["path"] for r in caplog.records if r.name == "passerelle.access"] == [
        "/api/v1/calendar/feeds"
    ]
