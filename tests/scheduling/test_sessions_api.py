"""Slots, sessions, series, conflicts and calendar feeds, through the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient
from icalendar import Calendar

from tests.factories import Actor, Api
from tests.matching.test_matching_api import profile, start

PARIS, HELSINKI = ZoneInfo("Europe/Paris"), ZoneInfo("Europe/Helsinki")


async def active_exchange(
    client: AsyncClient,
    api: Api,
    coordinator: Actor,
    network: dict[str, Any],
    classes: list[dict[str, Any]],
    teachers: list[Actor],
) -> str:
    run = await start(
        client,
        coordinator,
        network_id=network["id"],
        class_ids=[c["id"] for c in classes],
        group_size=len(classes),
    )
    assert run["status"] == "done", run["error"]
    assert len(run["proposals"]) == 1, run
    exchange_id: str = run["proposals"][0]["exchange_id"]
    for teacher in teachers:
        answered = await client.post(
            f"/api/v1/exchanges/{exchange_id}/accept", headers=teacher.headers
        )
        assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "active"
    return exchange_id


@pytest.fixture
async def franco_finnish(api: Api, client: AsyncClient) -> dict[str, Any]:
    fr = await api.organisation(country="FR", city="Lyon", timezone="Europe/Paris")
    fi = await api.organisation(country="FI", city="Salo", timezone="Europe/Helsinki")
    network = await api.network([fr["id"], fi["id"]])
    coordinator = await api.user("coordinator", fr["id"])
    t_fr, t_fi = await api.user("teacher", fr["id"]), await api.user("teacher", fi["id"])
    c_fr = await api.school_class(
        fr["id"],
        [t_fr.id],
        **profile(availability=[{"weekday": 1, "start": "09:00", "end": "12:00"}]),
    )
    c_fi = await api.school_class(
        fi["id"],
        [t_fi.id],
        **profile(availability=[{"weekday": 1, "start": "10:00", "end": "13:00"}]),
    )
    exchange_id = await active_exchange(
        client, api, coordinator, network, [c_fr, c_fi], [t_fr, t_fi]
    )
    return {
        "exchange": exchange_id,
        "fr": c_fr,
        "fi": c_fi,
        "t_fr": t_fr,
        "t_fi": t_fi,
        "coordinator": coordinator,
        "network": network,
        "fr_org": fr,
    }


async def test_slots_follow_dst_in_both_countries(
    client: AsyncClient, franco_finnish: dict[str, Any]
) -> None:
    t_fr = franco_finnish["t_fr"]
    response = await client.get(
        f"/api/v1/exchanges/{franco_finnish['exchange']}/slots",
        params={
            "duration_minutes": 60,
            "start": "2027-03-15T00:00:00Z",
            "end": "2027-04-10T00:00:00Z",
            "limit": 100,
        },
        headers=t_fr.headers,
    )
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    days = {datetime.fromisoformat(s["starts_at"]).astimezone(PARIS).date() for s in items}
    assert date(2027, 3, 23) in days
    assert date(2027, 3, 30) in days
    for slot in items:
        local = {
            entry["class_id"]: datetime.fromisoformat(entry["starts_at"]) for entry in slot["local"]
        }
        fr_local, fi_local = local[franco_finnish["fr"]["id"]], local[franco_finnish["fi"]["id"]]
        assert fr_local.utcoffset() == PARIS.utcoffset(fr_local.replace(tzinfo=None))
        assert fi_local.hour == fr_local.hour + 1
        assert fr_local.hour >= 9
        assert fr_local.hour + 1 <= 12


async def test_series_keeps_paris_wall_clock_and_feeds_match(
    client: AsyncClient, franco_finnish: dict[str, Any]
) -> None:
    t_fr, t_fi = franco_finnish["t_fr"], franco_finnish["t_fi"]
    url = f"/api/v1/exchanges/{franco_finnish['exchange']}/sessions"
    created = await client.post(
        url,
        json={
            "title": "Menus of our regions",
            "starts_at": "2027-03-16T10:00:00+01:00",
            "duration_minutes": 60,
            "recurrence": {"rrule": "FREQ=WEEKLY;COUNT=6"},
        },
        headers=t_fr.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    occurrences = body["occurrences"]
    assert len(occurrences) == 6
    assert body["series_id"] is not None
    assert {o["series_id"] for o in occurrences} == {body["series_id"]}
    starts = [datetime.fromisoformat(o["starts_at"]) for o in occurrences]
    assert [s.astimezone(PARIS).hour for s in starts] == [10] * 6
    assert [s.astimezone(HELSINKI).hour for s in starts] == [11] * 6
    assert starts[1].astimezone(UTC).hour == 9
    assert starts[2].astimezone(UTC).hour == 8

    listed = await client.get(url, headers=t_fi.headers)
    assert [o["id"] for o in listed.json()["items"]] == [o["id"] for o in occurrences]

    feed = await client.post("/api/v1/calendar/feeds", headers=t_fi.headers)
    assert feed.status_code == 201
    path = feed.json()["url"].removeprefix("http://test")
    ics = await client.get(path)
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(ics.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert {str(e["uid"]) for e in events} == {f"{o['id']}@passerelle" for o in occurrences}
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    # An independent expansion of FREQ=WEEKLY;COUNT=6 at 10:00 Paris wall-clock time.
    expected = [datetime(2027, 3, 16, 10, tzinfo=PARIS) + timedelta(weeks=i) for i in range(6)]
    expected = [e.replace(tzinfo=None).replace(tzinfo=PARIS) for e in expected]
    assert [e.decoded("dtstart") for e in events] == expected
    assert all(e.decoded("dtstart").tzinfo is not None for e in events)

    # Reschedule one occurrence: SEQUENCE goes up, the UID stays.
    third = occurrences[2]
    moved = await client.patch(
        f"/api/v1/sessions/{third['id']}",
        json={"starts_at": "2027-03-30T11:00:00+02:00"},
        headers=t_fi.headers,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["sequence"] == 1
    # This and following: every later one moves 30 min, still fixed in Paris time.
    following = await client.patch(
        f"/api/v1/sessions/{occurrences[3]['id']}",
        json={"starts_at": "2027-04-06T10:30:00+02:00", "apply_to": "this_and_following"},
        headers=t_fr.headers,
    )
    assert following.status_code == 200, following.text
    changed = following.json()["changed"]
    assert len(changed) == 3
    assert {
        datetime.fromisoformat(c["starts_at"]).astimezone(PARIS).strftime("%H:%M") for c in changed
    } == {"10:30"}

    cancelled = await client.post(
        f"/api/v1/sessions/{occurrences[0]['id']}/cancel",
        json={"reason": "strike"},
        headers=t_fr.headers,
    )
    assert cancelled.json()["status"] == "cancelled"
    again = Calendar.from_ical((await client.get(path)).content)
    by_uid = {str(e["uid"]): e for e in again.walk("VEVENT")}
    first = by_uid[f"{occurrences[0]['id']}@passerelle"]
    assert str(first["status"]) == "CANCELLED"
    assert first.decoded("sequence") == 1
    assert by_uid[f"{third['id']}@passerelle"].decoded("sequence") == 1
    invite = await client.get(f"/api/v1/sessions/{third['id']}/invite.ics", headers=t_fr.headers)
    one = Calendar.from_ical(invite.content).walk("VEVENT")
    assert len(one) == 1
    assert one[0].decoded("dtstart") == datetime(2027, 3, 30, 11, tzinfo=PARIS).replace(
        tzinfo=None
    ).replace(tzinfo=PARIS)

    revoked = await client.delete(
        f"/api/v1/calendar/feeds/{feed.json()['id']}", headers=t_fi.headers
    )
    assert revoked.status_code == 204
    assert (await client.get(path)).status_code == 404


async def test_double_booked_teacher_is_refused_and_nothing_written(
    client: AsyncClient, api: Api, franco_finnish: dict[str, Any]
) -> None:
    t_fr = franco_finnish["t_fr"]
    # The French teacher also teaches a second class, in a second exchange with Spain.
    es = await api.organisation(country="ES", city="Barcelona", timezone="Europe/Madrid")
    await api.create(
        f"/api/v1/networks/{franco_finnish['network']['id']}/members", {"organisation_id": es["id"]}
    )
    t_es = await api.user("teacher", es["id"])
    other_fr = await api.school_class(franco_finnish["fr_org"]["id"], [t_fr.id], **profile())
    c_es = await api.school_class(es["id"], [t_es.id], **profile())
    second = await active_exchange(
        client,
        api,
        franco_finnish["coordinator"],
        franco_finnish["network"],
        [other_fr, c_es],
        [t_fr, t_es],
    )
    booked = await client.post(
        f"/api/v1/exchanges/{second}/sessions",
        json={"title": "Tapas", "starts_at": "2027-03-23T10:00:00+01:00", "duration_minutes": 60},
        headers=t_es.headers,
    )
    assert booked.status_code == 201, booked.text
    clash = await client.post(
        f"/api/v1/exchanges/{franco_finnish['exchange']}/sessions",
        json={
            "title": "Clash",
            "starts_at": "2027-03-16T10:30:00+01:00",
            "duration_minutes": 60,
            "recurrence": {"rrule": "FREQ=WEEKLY;COUNT=3"},
        },
        headers=franco_finnish["t_fi"].headers,
    )
    assert clash.status_code == 409
    error = clash.json()["error"]
    assert error["code"] == "schedule_conflict"
    assert [d["kind"] for d in error["details"]] == ["booked"]
    assert error["details"][0]["class_id"] == franco_finnish["fr"]["id"]
    listed = await client.get(
        f"/api/v1/exchanges/{franco_finnish['exchange']}/sessions", headers=t_fr.headers
    )
    assert listed.json()["total"] == 0
    slots = await client.get(
        f"/api/v1/exchanges/{franco_finnish['exchange']}/slots",
        params={
            "duration_minutes": 60,
            "start": "2027-03-23T00:00:00Z",
            "end": "2027-03-24T00:00:00Z",
        },
        headers=t_fr.headers,
    )
    for slot in slots.json()["items"]:
        s = datetime.fromisoformat(slot["starts_at"])
        assert s >= datetime(2027, 3, 23, 10, tzinfo=PARIS) + timedelta(hours=1) or s + timedelta(
            hours=1
        ) <= datetime(2027, 3, 23, 10, tzinfo=PARIS)


BAD_SESSIONS: list[tuple[dict[str, Any], str]] = [
    ({"duration_minutes": 0}, "body.duration_minutes"),
    ({"duration_minutes": 481}, "body.duration_minutes"),
    ({"starts_at": "2020-01-07T10:00:00+01:00"}, "body.starts_at"),
    ({"starts_at": "2027-03-16T10:00:00"}, "body.starts_at"),
    ({"recurrence": {"rrule": "FREQ=WEEKLY"}}, "body.recurrence.rrule"),
    ({"recurrence": {"rrule": "FREQ=DAILY;COUNT=101"}}, "body.recurrence.rrule"),
    ({"recurrence": {"rrule": "NONSENSE"}}, "body.recurrence.rrule"),
    ({"timezone": "Mars/Olympus"}, "body.timezone"),
]


async def test_bad_input_is_refused_with_the_field(
    client: AsyncClient, franco_finnish: dict[str, Any]
) -> None:
    url = f"/api/v1/exchanges/{franco_finnish['exchange']}/sessions"
    base = {"title": "T", "starts_at": "2027-03-16T10:00:00+01:00", "duration_minutes": 60}
    for override, field in BAD_SESSIONS:
        response = await client.post(
            url, json=base | override, headers=franco_finnish["t_fr"].headers
        )
        assert response.status_code == 422, (override, response.text)
        assert field in {d["field"] for d in response.json()["error"]["details"]}, override
    slots = f"/api/v1/exchanges/{franco_finnish['exchange']}/slots"
    bad_queries: list[tuple[dict[str, str | int], str]] = [
        (
            {
                "duration_minutes": 60,
                "start": "2027-01-01T00:00:00Z",
                "end": "2028-06-01T00:00:00Z",
            },
            "query.end",
        ),
        (
            {
                "duration_minutes": 60,
                "start": "2027-02-01T00:00:00Z",
                "end": "2027-01-01T00:00:00Z",
            },
            "query.end",
        ),
        ({"duration_minutes": 0}, "query.duration_minutes"),
    ]
    for params, field in bad_queries:
        response = await client.get(slots, params=params, headers=franco_finnish["t_fr"].headers)
        assert response.status_code == 422, params
        assert field in {d["field"] for d in response.json()["error"]["details"]}
    listed = await client.get(url, headers=franco_finnish["t_fr"].headers)
    assert listed.json()["total"] == 0


async def test_three_countries_skip_a_members_public_holiday(client: AsyncClient, api: Api) -> None:
    orgs = [
        await api.organisation(country=c, city=city, timezone=tz)
        for c, city, tz in (
            ("FR", "Lyon", "Europe/Paris"),
            ("DE", "Köln", "Europe/Berlin"),
            ("IT", "Bologna", "Europe/Rome"),
        )
    ]
    network = await api.network([o["id"] for o in orgs])
    coordinator = await api.user("coordinator", orgs[0]["id"])
    teachers = [await api.user("teacher", o["id"]) for o in orgs]
    classes = [
        await api.school_class(
            o["id"],
            [t.id],
            **profile(availability=[{"weekday": 2, "start": "09:00", "end": "12:00"}]),
        )
        for o, t in zip(orgs, teachers, strict=True)
    ]
    exchange = await active_exchange(client, api, coordinator, network, classes, teachers)
    response = await client.get(
        f"/api/v1/exchanges/{exchange}/slots",
        params={
            "duration_minutes": 60,
            "start": "2027-05-31T00:00:00Z",
            "end": "2027-06-12T00:00:00Z",
            "limit": 100,
        },
        headers=teachers[0].headers,
    )
    days = {datetime.fromisoformat(s["starts_at"]).date() for s in response.json()["items"]}
    assert date(2027, 6, 2) not in days  # Festa della Repubblica, a Wednesday
    assert date(2027, 6, 9) in days
    warned = await client.post(
        f"/api/v1/exchanges/{exchange}/sessions",
        json={
            "title": "Holiday?",
            "starts_at": "2027-06-02T10:00:00+02:00",
            "duration_minutes": 60,
        },
        headers=teachers[0].headers,
    )
    assert warned.status_code == 201
    assert [w["kind"] for w in warned.json()["warnings"]] == ["holiday"]


async def test_who_may_schedule_and_list_filters(
    client: AsyncClient, api: Api, franco_finnish: dict[str, Any]
) -> None:
    exchange = franco_finnish["exchange"]
    url = f"/api/v1/exchanges/{exchange}/sessions"
    body = {"title": "Intro", "starts_at": "2027-03-16T10:00:00+01:00", "duration_minutes": 60}
    outsider_org = await api.organisation(country="DE", city="Köln", timezone="Europe/Berlin")
    outsider = await api.user("teacher", outsider_org["id"])
    assert (await client.post(url, json=body, headers=outsider.headers)).status_code == 404
    learner = await api.user("learner", franco_finnish["fr_org"]["id"])
    await client.put(
        f"/api/v1/classes/{franco_finnish['fr']['id']}/learners",
        json={"learner_ids": [learner.id]},
        headers=api.admin.headers,
    )
    assert (await client.post(url, json=body, headers=learner.headers)).status_code == 403
    coordinator = franco_finnish["coordinator"]
    created = await client.post(
        url,
        json=body | {"recurrence": {"rrule": "FREQ=WEEKLY;COUNT=4"}},
        headers=coordinator.headers,
    )
    assert created.status_code == 201, created.text
    ids = [o["id"] for o in created.json()["occurrences"]]

    async def listed(**params: str) -> list[str]:
        response = await client.get("/api/v1/sessions", params=params, headers=learner.headers)
        assert response.status_code == 200, response.text
        return [s["id"] for s in response.json()["items"]]

    assert await listed() == ids
    assert await listed(class_id=franco_finnish["fi"]["id"]) == ids
    assert await listed(teacher_id=franco_finnish["t_fr"].id) == ids
    assert await listed(teacher_id=outsider.id) == []
    assert await listed(start="2027-03-22T00:00:00Z", end="2027-03-31T00:00:00Z") == ids[1:3]
    assert await listed(limit="2", offset="2") == ids[2:]
    outsider_view = await client.get(f"/api/v1/sessions/{ids[0]}", headers=outsider.headers)
    assert outsider_view.status_code == 404
    assert (
        await client.patch(
            f"/api/v1/sessions/{ids[0]}", json={"duration_minutes": 90}, headers=learner.headers
        )
    ).status_code == 403
