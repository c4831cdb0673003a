"""Every mobility operation for every role, own and other school: what each may do, 403 for
what they see but may not do, and 404 (identical to a random id's) for what they must not
see. One world, one abroad mobility, a table walked in order; every mismatch is collected."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from app.core.clock import ManualClock
from tests.factories import Api
from tests.mobility.world import World, build

PEOPLE = (
    "admin",
    "learner",
    "guardian",
    "sending_tutor",
    "receiving_tutor",
    "sending_coordinator",
    "receiving_coordinator",
    "other_teacher",
    "other_learner",
    "unrelated_coordinator",
    "unrelated_teacher",
    "unrelated_learner",
    "unrelated_guardian",
)
SEES = {
    "admin",
    "learner",
    "guardian",
    "sending_tutor",
    "receiving_tutor",
    "sending_coordinator",
    "receiving_coordinator",
}
MANAGERS = {"admin", "sending_tutor", "receiving_tutor", "sending_coordinator"}
TUTORS = {"admin", "sending_tutor", "receiving_tutor"}
STAFF = MANAGERS | {"receiving_coordinator"}


def by_relation(allowed: set[str], ok: int, *, visible: set[str] = SEES) -> dict[str, int]:
    """`ok` for `allowed`, 403 for the others who see the mobility, 404 for the rest."""
    return {p: ok if p in allowed else (403 if p in visible else 404) for p in PEOPLE}


@dataclass(frozen=True)
class Op:
    method: str
    path: str
    expected: dict[str, int]
    body: Any = None
    code_403: str = "forbidden"


async def test_every_operation_for_every_role(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    w: World = await build(api, client, application, clock)
    mid = (await w.create())["id"]
    checklist = await w.ok(w.fr.teacher, "GET", f"/mobilities/{mid}/checklist")
    card = next(i for i in checklist["items"] if i["owner"] == "guardian")
    assert (await w.status(mid, "preparing")).status_code == 200
    assert (await w.status(mid, "abroad")).status_code == 200
    asked = await w.ok(
        w.it.teacher, "POST", f"/mobilities/{mid}/checkins", {"due_at": clock().isoformat()}
    )
    due = iter(range(1, 100))
    m = f"/mobilities/{mid}"
    ops = [
        Op("GET", m, by_relation(SEES, 200)),
        Op("PATCH", m, by_relation(MANAGERS, 200), {"city": "Bologna"}),
        Op("POST", f"{m}/status", by_relation(MANAGERS, 409), {"status": "preparing"}),
        Op("GET", f"{m}/checklist", by_relation(SEES, 200)),
        Op(
            "POST",
            f"{m}/checklist",
            by_relation(MANAGERS, 201),
            {"title": "Bring knives", "owner": "learner", "due_on": "2030-01-01"},
        ),
        Op(
            "POST",
            f"{m}/checklist/{card['id']}/done",
            by_relation({"guardian"}, 200),
            code_403="not_item_owner",
        ),
        Op("GET", f"{m}/checkins", by_relation(SEES, 200)),
        Op("POST", f"{m}/checkins", by_relation(TUTORS, 201), "due"),
        Op(
            "POST",
            f"{m}/checkins/{asked['id']}/answer",
            by_relation({"learner"}, 200),
            {"wellbeing": 5, "placement_ok": True},
        ),
        Op(
            "POST",
            f"{m}/incidents",
            by_relation(STAFF, 201),
            {"severity": "low", "description": "Late once"},
        ),
        Op("GET", f"{m}/incidents", by_relation(STAFF, 200)),
        Op(
            "POST",
            f"{m}/outcomes",
            by_relation({"admin", "receiving_tutor"}, 200),
            {"units": [{"title": "Mise en place", "achieved": True}]},
        ),
        Op("POST", f"{m}/reflection", by_relation({"learner"}, 200), {"text": "Grazie"}),
        Op("GET", f"{m}/summary", by_relation(SEES, 200)),
    ]
    problems: list[str] = []
    for op in ops:
        for person in PEOPLE:
            who = w.people[person]
            body = op.body
            if body == "due":
                body = {"due_at": (clock() + timedelta(hours=next(due))).isoformat()}
            response = await w.call(who, op.method, op.path, body)
            expected = op.expected[person]
            label = f"{person} {op.method} {op.path.replace(mid, '{id}')}"
            if response.status_code != expected:
                problems.append(f"{label}: {response.status_code}, not {expected}")
                continue
            if expected == 403 and response.json()["error"]["code"] != op.code_403:
                problems.append(f"{label}: code {response.json()['error']['code']}")
            if expected == 404:
                ghost = await w.call(who, op.method, op.path.replace(mid, str(uuid.uuid4())), body)
                if (ghost.status_code, ghost.json()) != (404, response.json()):
                    problems.append(f"{label}: its 404 differs from a random id's")
            if expected >= 400 and "Léa Martin" in response.text:
                problems.append(f"{label}: a refusal names the learner")
    assert not problems, "\n".join(problems)


async def test_lists_creation_templates_and_export_by_role(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    w: World = await build(api, client, application, clock)
    mid = (await w.create())["id"]
    problems: list[str] = []

    # The list answers the mobility to exactly those who see it.
    for person in PEOPLE:
        page = await w.ok(w.people[person], "GET", "/mobilities")
        ids = [i["id"] for i in page["items"]]
        if (mid in ids) != (person in SEES) or page["total"] != len(ids):
            problems.append(f"{person} GET /mobilities: {ids}")
    filtered = await w.ok(
        w.fr.coordinator, "GET", f"/mobilities?status=abroad&learner_id={w.lea.id}"
    )
    assert filtered["items"] == []

    # Creating: the sending school's coordinator and admins; another school's coordinator
    # may not name the sending school; other roles are refused.
    create = {
        "admin": 201,
        "sending_coordinator": 201,
        "receiving_coordinator": 422,
        "unrelated_coordinator": 422,
    }
    for person in PEOPLE:
        response = await w.call(w.people[person], "POST", "/mobilities", w.body())
        expected = create.get(person, 403)
        if response.status_code != expected:
            problems.append(f"{person} POST /mobilities: {response.status_code} {response.text}")
        elif expected == 422:
            [detail] = response.json()["error"]["details"]
            if (detail["field"], detail["type"]) != (
                "body.sending_organisation_id",
                "field_not_allowed",
            ):
                problems.append(f"{person} POST /mobilities: {detail}")

    # The sending school's checklist template: its staff read it, its coordinator writes it;
    # people who see the school otherwise get 403, the others 404.
    template = f"/organisations/{w.fr.id}/checklist-template"
    fr_staff = {"admin", "sending_tutor", "sending_coordinator", "other_teacher"}
    sees_school = {
        "learner",
        "guardian",
        "other_learner",
        "receiving_tutor",
        "receiving_coordinator",
    } | fr_staff
    new = {"items": [{"title": "Knife roll", "owner": "learner", "days_before_start": 3}]}
    for person in PEOPLE:
        for method, allowed, body in (
            ("GET", fr_staff, None),
            ("PUT", {"admin", "sending_coordinator"}, new),
        ):
            response = await w.call(w.people[person], method, template, body)
            expected = 200 if person in allowed else (403 if person in sees_school else 404)
            if response.status_code != expected:
                problems.append(f"{person} {method} template: {response.status_code}")
    got = await w.ok(w.fr.teacher, "GET", template)
    assert got == {"organisation_id": w.fr.id, "default": False, "items": new["items"]}
    later = await w.create()
    assert later["checklist"] == {"done": 0, "total": 1}

    # The export: coordinators (their own school's sending mobilities) and admins.
    for person in PEOPLE:
        response = await w.call(w.people[person], "GET", "/mobilities/export")
        expected = 200 if person == "admin" or person.endswith("coordinator") else 403
        if response.status_code != expected:
            problems.append(f"{person} GET export: {response.status_code}")
        elif expected == 200:
            exported = {r["mobility-id"] for r in response.json()["items"]}
            should = person in ("admin", "sending_coordinator")
            if (mid in exported) != should:
                problems.append(f"{person} GET export: {exported}")
    assert not problems, "\n".join(problems)
