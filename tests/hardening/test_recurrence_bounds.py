"""Issue 18, finding 1: a recurrence rule must not freeze the process.

A rule no calendar day can meet, or one stepping by the minute or second, is refused before
dateutil ever walks it (the expander is never called), and the expansion that does run is off
the event loop: another request is answered while it is still going.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from dateutil.rrule import rrulestr
from httpx import AsyncClient

import app.scheduling.rules.recurrence as recurrence
from app.scheduling.rules.recurrence_bounds import feasibility_problem
from tests.scheduling.test_sessions_api import franco_finnish

__all__ = ["franco_finnish"]

IMPOSSIBLE = [
    "FREQ=HOURLY;COUNT=5;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;COUNT=2;BYMONTH=4,6;BYMONTHDAY=31",
    "FREQ=DAILY;COUNT=2;BYMONTH=2;BYYEARDAY=1",
]
REFUSED = ["FREQ=SECONDLY;COUNT=2;BYMONTH=2;BYMONTHDAY=30;BYHOUR=1", "FREQ=MINUTELY;COUNT=3"]


def _body(rule: str) -> dict[str, Any]:
    return {
        "title": "Series",
        "starts_at": "2027-03-16T10:00:00+01:00",
        "duration_minutes": 60,
        "recurrence": {"rrule": rule},
    }


@pytest.mark.parametrize("rule", IMPOSSIBLE + REFUSED)
async def test_a_rule_that_cannot_be_expanded_cheaply_is_refused_without_expanding(
    client: AsyncClient,
    franco_finnish: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    rule: str,
) -> None:
    calls: list[str] = []

    def counting(text: str, **kwargs: Any) -> Any:
        calls.append(text)
        return rrulestr(text, **kwargs)

    monkeypatch.setattr(recurrence, "rrulestr", counting)
    answer = await client.post(
        f"/api/v1/exchanges/{franco_finnish['exchange']}/sessions",
        json=_body(rule),
        headers=franco_finnish["t_fr"].headers,
    )
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == "body.recurrence.rrule"
    assert calls == []  # refused from the rule's parts: dateutil never walked it


def test_possible_rules_pass_the_structural_checks() -> None:
    for rule in (
        {"FREQ": "YEARLY", "BYMONTH": "2", "BYMONTHDAY": "29"},  # leap years only
        {"FREQ": "MONTHLY", "BYMONTHDAY": "-1"},
        {"FREQ": "HOURLY", "BYMONTH": "3", "BYYEARDAY": "-300"},
        {"FREQ": "WEEKLY", "BYDAY": "TU"},
    ):
        assert feasibility_problem(rule) is None, rule
    assert feasibility_problem({"FREQ": "DAILY", "BYMONTHDAY": "32"}) is not None
    assert feasibility_problem({"FREQ": "DAILY", "BYMONTH": "x"}) is not None


async def test_an_expansion_does_not_stall_other_requests(
    client: AsyncClient, franco_finnish: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, release = threading.Event(), threading.Event()
    released_in_time: list[bool] = []

    def slow(text: str, **kwargs: Any) -> Any:
        entered.set()
        released_in_time.append(release.wait(10))  # only another request can set it in time
        return rrulestr(text, **kwargs)

    monkeypatch.setattr(recurrence, "rrulestr", slow)
    series = asyncio.create_task(
        client.post(
            f"/api/v1/exchanges/{franco_finnish['exchange']}/sessions",
            json=_body("FREQ=WEEKLY;COUNT=3"),
            headers=franco_finnish["t_fr"].headers,
        )
    )
    assert await asyncio.to_thread(entered.wait, 10)
    health = await client.get("/healthz")  # answered while the expansion is still running
    assert health.status_code == 200
    release.set()
    created = await series
    assert created.status_code == 201, created.text
    assert released_in_time == [True]
