"""Issue 18, finding 7: repeated consent requests and ticket requests are bounded.

Twenty consent requests (one after another) for one learner and purpose tell the guardians
once while the first is unread (each answer names that pending request); ticket requests for
one user and session are capped per minute (429 with Retry-After beyond)."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from app.core.settings import Settings
from tests.factories import Api
from tests.hardening.test_birth_date_changes import _family
from tests.scheduling.test_sessions_api import franco_finnish

__all__ = ["franco_finnish"]


async def test_twenty_consent_requests_notify_the_guardians_once(
    client: AsyncClient, api: Api
) -> None:
    learner, guardian = await _family(client, api)
    url = f"/api/v1/learners/{learner.id}/consent-requests"
    answers = [
        await client.post(url, json={"purpose": "live_sessions"}, headers=api.admin.headers)
        for _ in range(20)
    ]
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    feed = (await client.get("/api/v1/notifications", headers=guardian.headers)).json()
    requested = [n for n in feed["items"] if n["event"] == "consent.requested"]
    assert len(requested) == 1
    first = answers[0].json()["id"]
    assert {a.json()["id"] for a in answers} == {first}  # each answer names the pending one
    assert sum(a.json()["notified"] for a in answers) == 1
    # another purpose is another request
    other = await client.post(url, json={"purpose": "chat"}, headers=api.admin.headers)
    assert other.json()["notified"] == 1
    # once the guardian has read it, asking again tells them again
    read = await client.post(
        "/api/v1/notifications/read", json={"all": True}, headers=guardian.headers
    )
    assert read.status_code == 200, read.text
    again = await client.post(url, json={"purpose": "live_sessions"}, headers=api.admin.headers)
    assert again.json()["notified"] == 1
    assert again.json()["id"] != first


@pytest.fixture
def three_tickets(settings: Settings) -> Settings:
    settings.ws_tickets_per_minute = 3
    return settings


async def test_ticket_requests_are_capped_per_user_and_session(
    three_tickets: Settings, client: AsyncClient, franco_finnish: dict[str, Any]
) -> None:
    teacher, other = franco_finnish["t_fr"], franco_finnish["t_fi"]
    created = await client.post(
        f"/api/v1/exchanges/{franco_finnish['exchange']}/sessions",
        json={"title": "Later", "starts_at": "2027-03-16T10:00:00+01:00", "duration_minutes": 60},
        headers=teacher.headers,
    )
    url = f"/api/v1/sessions/{created.json()['occurrences'][0]['id']}/tickets"
    answers = [(await client.post(url, headers=teacher.headers)) for _ in range(5)]
    assert [a.status_code for a in answers[:3]] == [409] * 3  # the room is not open yet
    assert [a.status_code for a in answers[3:]] == [429] * 2
    assert answers[3].json()["error"]["code"] == "rate_limited"
    assert int(answers[3].headers["retry-after"]) >= 1
    assert (await client.post(url, headers=other.headers)).status_code == 409  # their own budget
