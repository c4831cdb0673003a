"""One minor's blended mobility from `planned` to `completed`, through the API, on a clock the
test moves: checklist from the template, items ticked by their owners, the guardian's view at
each step, check-ins answered and missed, a concern, an incident, outcomes, the Europass
summary with the virtual component's hours, and the Beneficiary Module export."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, time, timedelta

from fastapi import FastAPI
from httpx import AsyncClient

from app.core.clock import ManualClock
from app.mobility.rules.checklist import DEFAULT_TEMPLATE
from tests.factories import Api
from tests.mobility.world import World, build

DAY = timedelta(days=1)


async def test_a_minors_blended_mobility_from_planned_to_completed(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    w = await build(api, client, application, clock)
    created = await w.create()
    mid = created["id"]
    assert created["status"] == "planned"
    assert created["checklist"] == {"done": 0, "total": len(DEFAULT_TEMPLATE)}

    # The checklist comes from the template, each item due some days before the start.
    checklist = await w.ok(w.fr.teacher, "GET", f"/mobilities/{mid}/checklist")
    items = {i["title"]: i for i in checklist["items"]}
    card = items["European Health Insurance Card"]
    assert card["owner"] == "guardian"
    assert card["due_on"] == (w.starts_on - timedelta(days=21)).isoformat()

    # The guardian's view: planned, nothing done, the items they own.
    family = (await w.family())["mobilities"]
    [seen] = family
    assert seen["status"] == "planned"
    assert seen["city"] == "Bologna"
    assert seen["sending_tutor"] == "Teacher " + w.fr.teacher.email.split("@")[0][7:]
    assert seen["emergency_phone"] == "+39 051 000 000"
    assert seen["receiving_school"]["name"] == w.it.org["name"]
    assert (seen["checklist_done"], seen["checklist_total"]) == (0, len(DEFAULT_TEMPLATE))
    owned = sorted(i["title"] for i in seen["my_items"])
    assert owned == sorted(t.title for t in DEFAULT_TEMPLATE if t.owner == "guardian")

    assert (await w.status(mid, "preparing")).status_code == 200
    told = await w.notifications(w.guardian, "mobility.status_changed")
    assert len(told) == 1
    assert "Bologna" in told[0]["body"]
    assert told[0]["language"] == "fr"  # the learner's school is in France

    # Each owner ticks their items; nobody ticks someone else's.
    owner_of = {
        "learner": w.lea,
        "guardian": w.guardian,
        "sending_tutor": w.fr.teacher,
        "receiving_tutor": w.it.teacher,
        "coordinator": w.fr.coordinator,
    }
    refused = await w.call(w.lea, "POST", f"/mobilities/{mid}/checklist/{card['id']}/done")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_item_owner"
    for item in checklist["items"]:
        ticked = await w.ok(
            owner_of[item["owner"]], "POST", f"/mobilities/{mid}/checklist/{item['id']}/done"
        )
        assert ticked["done_by"] == owner_of[item["owner"]].id
        assert ticked["done_at"] is not None
    seen = (await w.family())["mobilities"][0]
    assert seen["checklist_done"] == seen["checklist_total"] == len(DEFAULT_TEMPLATE)
    assert all(i["done_at"] for i in seen["my_items"])

    # The virtual component: a session of the exchange before the stay, 45 minutes attended.
    starts = clock() + DAY
    session = await w.ok(
        w.fr.teacher,
        "POST",
        f"/exchanges/{w.exchange_id}/sessions",
        {"title": "Kitchen words", "starts_at": starts.isoformat(), "duration_minutes": 60},
    )
    await w.attend(session, minutes=45)

    # Departure.
    clock.set(datetime.combine(w.starts_on, time(8), tzinfo=UTC))
    departed = await w.status(mid, "abroad", who=w.it.teacher)
    assert departed.status_code == 200
    assert (await w.family())["mobilities"][0]["status"] == "abroad"
    assert (await w.sweep()).created == 0  # nothing due yet

    # A week later the first check-in falls due; the learner answers, keeping the note.
    clock.advance(7 * DAY)
    assert (await w.sweep()).created == 1
    assert len(await w.notifications(w.lea, "mobility.checkin_due")) == 1
    [first] = (await w.ok(w.lea, "GET", f"/mobilities/{mid}/checkins"))["items"]
    assert first["status"] == "due"
    answered = await w.ok(
        w.lea,
        "POST",
        f"/mobilities/{mid}/checkins/{first['id']}/answer",
        {"wellbeing": 4, "placement_ok": True, "note": "Chef lets me plate desserts"},
    )
    assert answered["status"] == "answered"
    again = await w.call(
        w.lea,
        "POST",
        f"/mobilities/{mid}/checkins/{first['id']}/answer",
        {"wellbeing": 4, "placement_ok": True},
    )
    assert again.status_code == 409
    [family_checkin] = (await w.family())["mobilities"][0]["checkins"]
    assert family_checkin["status"] == "answered"
    assert family_checkin["note"] is None  # not shared
    tutor_view = (await w.ok(w.it.teacher, "GET", f"/mobilities/{mid}/checkins"))["items"]
    assert tutor_view[0]["note"] == "Chef lets me plate desserts"
    assert await w.notification_count("mobility.concern") == 0

    # The second check-in is left unanswered past the grace period: missed, each tutor
    # alerted once (in-app and by e-mail), and never again on the next sweeps.
    clock.advance(7 * DAY)
    assert (await w.sweep()).created == 1
    clock.advance(timedelta(hours=23))
    assert (await w.sweep()).missed == 0
    clock.advance(timedelta(hours=1, minutes=1))
    assert (await w.sweep()).missed == 1
    for tutor in (w.fr.teacher, w.it.teacher):
        [alert] = await w.notifications(tutor, "mobility.checkin_missed")
        assert "Léa Martin" in alert["body"]
        assert len(await w.emails(tutor, "mobility.checkin_missed")) == 1
    assert (await w.notifications(w.fr.teacher, "mobility.checkin_missed"))[0]["language"] == "fr"
    assert (await w.notifications(w.it.teacher, "mobility.checkin_missed"))[0]["language"] == "it"
    assert (await w.sweep()).missed == 0
    assert await w.notification_count("mobility.checkin_missed") == 2
    statuses = [c["status"] for c in (await w.family())["mobilities"][0]["checkins"]]
    assert statuses == ["answered", "missed"]

    # A tutor asks for a check-in now; a low wellbeing alerts both tutors at once.
    asked = await w.ok(
        w.fr.teacher, "POST", f"/mobilities/{mid}/checkins", {"due_at": clock().isoformat()}
    )
    await w.ok(
        w.lea,
        "POST",
        f"/mobilities/{mid}/checkins/{asked['id']}/answer",
        {"wellbeing": 2, "placement_ok": True, "note": "homesick", "share_with_guardian": True},
    )
    for tutor in (w.fr.teacher, w.it.teacher):
        [concern] = await w.notifications(tutor, "mobility.concern")
        assert "homesick" not in concern["body"]
        assert len(await w.emails(tutor, "mobility.concern")) == 1
    shared = (await w.family())["mobilities"][0]["checkins"][-1]
    assert shared["note"] == "homesick"  # the learner shared this one

    # An incident: logged by a tutor; the minor's guardian only hears that the school calls.
    secret = "Burn on the left hand, seen at the hospital"
    incident = await w.ok(
        w.it.teacher,
        "POST",
        f"/mobilities/{mid}/incidents",
        {"severity": "high", "description": secret},
    )
    assert incident["severity"] == "high"
    [call] = await w.notifications(w.guardian, "mobility.incident_call")
    assert secret not in json.dumps(call)
    assert "hospital" not in json.dumps(call).lower()
    assert (await w.call(w.guardian, "GET", f"/mobilities/{mid}/incidents")).status_code == 403
    assert secret not in json.dumps(await w.family())
    log = await w.ok(w.fr.coordinator, "GET", f"/mobilities/{mid}/incidents")
    assert [i["description"] for i in log["items"]] == [secret]

    # An invalid transition answers 409.
    back = await w.status(mid, "planned")
    assert back.status_code == 409
    assert back.json()["error"]["code"] == "invalid_transition"
    assert back.json()["error"]["details"]["allowed"] == ["completed", "cancelled"]

    # Follow-up: outcomes, reflection, back home.
    outcomes = await w.ok(
        w.it.teacher,
        "POST",
        f"/mobilities/{mid}/outcomes",
        {
            "units": [
                {"title": "Prepare cold starters", "achieved": True},
                {"title": "Fresh pasta", "achieved": False, "comment": "Next time"},
            ]
        },
    )
    assert len(outcomes["units"]) == 2
    await w.ok(
        w.lea,
        "POST",
        f"/mobilities/{mid}/reflection",
        {"text": "I learnt to work fast in a team.", "skills": ["teamwork", "Italian A2"]},
    )
    clock.set(clock() + 7 * DAY)
    assert (await w.status(mid, "completed")).status_code == 200
    assert (await w.family())["mobilities"][0]["status"] == "completed"
    assert (await w.status(mid, "cancelled")).status_code == 409

    summary = await w.ok(w.guardian, "GET", f"/mobilities/{mid}/summary")
    assert summary["document"] == "Europass Mobility"
    assert summary["holder"]["name"] == "Léa Martin"
    assert summary["host_organisation"]["country"] == "IT"
    assert summary["placement"] == {"company": "Trattoria da Bruno", "sector": "Restaurant kitchen"}
    assert summary["skills"]["attested"] == ["Prepare cold starters"]
    assert summary["skills"]["self_assessed"] == ["teamwork", "Italian A2"]
    assert [u["achieved"] for u in summary["learning_outcomes"]] == [True, False]
    assert summary["virtual_component"]["exchange_id"] == w.exchange_id
    assert summary["virtual_component"]["contact_hours"] == 0.75
    assert summary["virtual_component"]["sessions"] == 1

    # The Beneficiary Module export, JSON and CSV.
    span = {"from": w.starts_on.isoformat(), "to": (w.starts_on + 30 * DAY).isoformat()}
    report = (await w.call(w.fr.coordinator, "GET", "/mobilities/export", **span)).json()
    [row] = report["items"]
    assert row["mobility-id"] == mid
    assert row["blended"] is True
    assert row["virtual-duration"] == 1  # contact hours, an integer
    assert row["virtual-timing"] == "before"
    assert (row["sending-country"], row["sending-city"]) == ("FR", "Lyon")
    assert (row["receiving-country"], row["receiving-city"]) == ("IT", "Bologna")
    assert row["main-language"] == "en"  # the exchange's shared language
    assert row["start-date"] == w.starts_on.isoformat()
    assert row["duration-calculated"] == 21
    as_csv = await w.call(w.fr.coordinator, "GET", "/mobilities/export", format="csv", **span)
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    [line] = list(csv.DictReader(io.StringIO(as_csv.text.lstrip("\ufeff"))))
    assert line["virtual-duration"] == "1"
    assert line["blended"] == "true"
    assert line["receiving-city"] == "Bologna"
    outside = {"from": "2001-01-01", "to": "2001-12-31"}
    empty = (await w.call(w.fr.coordinator, "GET", "/mobilities/export", **outside)).json()
    assert empty["items"] == []

    # Every status change, the incident and the outcomes are in the audit trail.
    audit = await w.ok(w.api.admin, "GET", f"/audit?target_id={mid}&limit=100")
    actions = sorted(r["action"] for r in audit["items"])
    assert actions == sorted(
        ["mobility.created", "mobility.incident_logged", "mobility.outcomes_recorded"]
        + ["mobility.status_changed"] * 3
    )


async def test_overdue_items_remind_their_owner_once(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    w: World = await build(api, client, application, clock)
    mid = (await w.create())["id"]
    clock.set(clock() + 5 * DAY)  # the guardian's 30 and 21 days-before items are overdue
    swept = await w.sweep()
    assert swept.reminded >= 2
    reminders = await w.notifications(w.guardian, "mobility.checklist_overdue")
    titles = sorted(r["title"] for r in reminders)
    assert titles == sorted(
        ["En retard : Identity document valid for the whole stay",
         "En retard : European Health Insurance Card"]
    )  # fmt: skip
    assert await w.notifications(w.lea, "mobility.checklist_overdue") == []
    again = await w.sweep()
    assert again.reminded == 0
    assert len(await w.notifications(w.guardian, "mobility.checklist_overdue")) == 2
    assert mid
