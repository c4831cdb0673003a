"""Hours, term reports and CSV exports, through the API, after sessions played through real
WebSockets on a moved clock (see attendance_play.py): the numbers must be the sheets'."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from httpx import Response

from app.core.rules.csv_export import ATTENDANCE_COLUMNS, HOURS_COLUMNS, PARTNER_COLUMNS
from tests.factories import Actor, Api
from tests.family_world import API, schedule
from tests.family_world import school as new_school
from tests.realtime.attendance_play import MINUTE, Play, by_name, iso

CSV = {"Accept": "text/csv"}
FR_NAMES = ["Zoé Lefèvre", "Loïc Béranger, dit « Lolo »", 'Anaïs "Nana" Dubois', "Jürgen Groß"]
IT_NAMES = ["Niccolò Sforza", "Chiara Dell'Acqua", "Ségolène Œuvray"]


async def play_first(play: Play) -> None:
    """Zoé 60 min, Loïc 10 + 45, Anaïs 60 over two tabs, Jürgen 55 (from minute 5): present;
    Niccolò 48 from minute 12: late; Chiara 20: partial; Ségolène absent, then excused."""
    play.at(-1)
    on_time = await play.join("on_time")
    play.at(0)
    drops, tab_one = await play.join("drops"), await play.join("tabs")
    play.at(5)
    guest = await play.join("guest")
    play.at(10)
    await play.leave("drops", drops)
    play.at(12)
    late = await play.join("late")
    play.at(15)
    drops = await play.join("drops")
    play.at(20)
    tab_two = await play.join("tabs")
    play.at(30)
    partial = await play.join("partial")
    play.at(40)
    await play.leave("tabs", tab_one)
    play.at(50)
    await play.leave("partial", partial)
    play.at(60)
    for who, client in (("on_time", on_time), ("drops", drops), ("tabs", tab_two)):
        await play.leave(who, client)
    await play.leave("late", late)
    await play.leave("guest", guest)
    play.at(61)
    excused = await play.server.http.put(
        f"{API}/sessions/{play.session_id}/attendance/{play.people['never'].id}",
        json={"status": "excused", "reason": "Exam at school that morning"},
        headers=play.exchange.schools[1].teacher.headers,
    )
    assert excused.status_code == 200, excused.text


async def play_second(play: Play) -> Play:
    """Three hours later in the same exchange: Zoé 30 min (partial), Niccolò 60 (present)."""
    start = play.start + timedelta(hours=3)
    created = await schedule(play.server.http, play.exchange, start, title="=Cuisines, cucine")
    second = replace(play, session_id=created["id"], start=start)
    second.at(0)
    zoe, niccolo = await second.join("on_time"), await second.join("late")
    second.at(30)
    await second.leave("on_time", zoe)
    second.at(60)
    await second.leave("late", niccolo)
    second.at(61)
    return second


def rows_of(response: Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith('attachment; filename="')
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM
    text = response.content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    assert reader.fieldnames is not None
    assert tuple(reader.fieldnames) in (ATTENDANCE_COLUMNS, HOURS_COLUMNS)
    return rows


async def get(play: Play, path: str, as_: Actor, **params: Any) -> Response:
    headers = as_.headers | params.pop("headers", {})
    query = {k: str(v) for k, v in params.items()}  # dates as YYYY-MM-DD
    return await play.server.http.get(f"{API}{path}", params=query, headers=headers)


async def ok(play: Play, path: str, as_: Actor, **params: Any) -> dict[str, Any]:
    response = await get(play, path, as_, **params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_session_csv_by_accept_and_by_suffix(play: Play) -> None:
    fr, it = play.exchange.schools
    await play_first(play)
    path = f"/sessions/{play.session_id}/attendance"
    by_accept = await get(play, path, fr.teacher, headers=CSV)
    by_suffix = await get(play, f"{path}.csv", fr.teacher)
    assert by_accept.content == by_suffix.content
    assert by_accept.headers["content-disposition"] == (
        f'attachment; filename="attendance-{play.session_id}.csv"'
    )
    rows = {r["display_name"]: r for r in rows_of(by_accept)}
    assert set(rows) == set(FR_NAMES + IT_NAMES)  # accents, commas, quotes intact
    loic = rows["Loïc Béranger, dit « Lolo »"]
    assert (loic["status"], loic["computed_status"], loic["online_minutes"]) == (
        "present",
        "present",
        "55.0",
    )
    assert loic["country"] == "FR"
    assert loic["class"] == play.exchange.classes[0]["name"]
    assert loic["last_leave"] == iso(play.start + 60 * MINUTE)
    assert loic["session_title"] == "Our regions"
    # the French teacher sees the Italian learners by name, country and status only
    for name in IT_NAMES:
        assert {k for k, v in rows[name].items() if v} == PARTNER_COLUMNS, name
    assert rows["Ségolène Œuvray"]["status"] == "excused"
    # and the Italian teacher the French ones, through either way of asking
    theirs = {r["display_name"]: r for r in rows_of(await get(play, f"{path}.csv", it.teacher))}
    assert theirs["Niccolò Sforza"]["online_minutes"] == "48.0"
    assert theirs["Ségolène Œuvray"]["computed_status"] == "absent"
    for name in FR_NAMES:
        assert {k for k, v in theirs[name].items() if v} == PARTNER_COLUMNS, name
    # JSON stays the default
    for headers in ({}, {"Accept": "application/json"}, {"Accept": "*/*"}):
        response = await get(play, path, fr.teacher, headers=headers)
        assert response.headers["content-type"] == "application/json", headers
    # a learner's CSV holds their own line; outsiders get the error shape, not a CSV
    mine = rows_of(await get(play, f"{path}.csv", play.people["tabs"]))
    assert [r["display_name"] for r in mine] == ['Anaïs "Nana" Dubois']
    outsider = await new_school(await Api.start(play.server.http), "DE", "Europe/Berlin")
    refused = await get(play, path, outsider.teacher, headers=CSV)
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"


async def test_hours_and_reports_after_two_sessions(play: Play) -> None:
    fr, it = play.exchange.schools
    await play_first(play)
    sheet = by_name((await play.attendance(fr.teacher))["items"])
    second = await play_second(play)
    paris, rome = ZoneInfo("Europe/Paris"), ZoneInfo("Europe/Rome")
    people = play.people

    # hours: the learner's own online time, per exchange; an excuse adds none
    loic = await ok(play, f"/learners/{people['drops'].id}/hours", fr.teacher)
    assert loic["seconds"] == sheet["Loïc Béranger, dit « Lolo »"]["online_seconds"] == 55 * 60
    zoe = await ok(play, f"/learners/{people['on_time'].id}/hours", people["on_time"])
    assert (zoe["seconds"], zoe["hours"], zoe["countries"]) == (90 * 60, 1.5, ["IT"])
    (exchange,) = zoe["exchanges"]
    assert exchange["exchange_id"] == play.exchange.id
    assert (exchange["sessions"], exchange["countries"]) == (2, ["IT"])
    assert [(s["name"], s["country"]) for s in exchange["partner_schools"]] == [
        (it.org["name"], "IT")
    ]
    assert exchange["first_session"] == iso(play.start)
    family = await ok(play, f"/learners/{people['late'].id}/hours", play.guardian)
    assert family["seconds"] == (48 + 60) * 60
    never = await ok(play, f"/learners/{people['never'].id}/hours", it.coordinator)
    assert (never["seconds"], never["exchanges"]) == (0, [])
    # the range: local dates of the learner's school, `to` inclusive
    first_day, second_day = (
        play.start.astimezone(paris).date(),
        second.start.astimezone(paris).date(),
    )
    zoe_path = f"/learners/{people['on_time'].id}/hours"
    both = await ok(play, zoe_path, fr.teacher, **{"from": first_day, "to": second_day})
    assert (both["seconds"], both["timezone"]) == (90 * 60, "Europe/Paris")
    before = await ok(play, zoe_path, fr.teacher, to=first_day - timedelta(days=1))
    assert (before["seconds"], before["exchanges"]) == (0, [])
    assert (await ok(play, zoe_path, fr.teacher, **{"from": second_day}))["seconds"] == (
        30 * 60 if second_day > first_day else 90 * 60
    )
    (hours_row,) = rows_of(await get(play, f"{zoe_path}.csv", fr.coordinator))
    assert (hours_row["seconds"], hours_row["hours"], hours_row["countries"]) == (
        "5400",
        "1.5",
        "IT",
    )
    assert rows_of(await get(play, zoe_path, fr.coordinator, headers=CSV)) == [hours_row]

    # the French class: its four learners over both sessions
    fr_class = play.exchange.classes[0]["id"]
    report = await ok(play, f"/classes/{fr_class}/attendance-report", fr.teacher)
    assert report["timezone"] == "Europe/Paris"
    one, two = report["sessions"]
    assert (one["session_id"], two["session_id"]) == (play.session_id, second.session_id)
    assert (one["date"], two["date"]) == (first_day.isoformat(), second_day.isoformat())
    assert (one["roster"], one["attended"], one["rate"]) == (4, 4, 1.0)
    assert one["counts"] == counts(present=4)
    assert (two["roster"], two["attended"], two["rate"]) == (4, 0, 0.0)
    assert two["counts"] == counts(partial=1, absent=3)
    assert (report["expected"], report["attended"], report["rate"]) == (8, 4, 0.5)
    learners = totals(report)
    assert learners["Zoé Lefèvre"] == (2, 1, 0.5, 5400, 1.5)
    assert learners["Loïc Béranger, dit « Lolo »"] == (2, 1, 0.5, 3300, 0.92)
    assert learners["Jürgen Groß"] == (2, 1, 0.5, 3300, 0.92)
    assert set(learners) == set(FR_NAMES)

    # the Italian class, by its coordinator: the excused learner counts as attended
    it_report = await ok(
        play, f"/classes/{play.exchange.classes[1]['id']}/attendance-report", it.coordinator
    )
    one, two = it_report["sessions"]
    assert one["counts"] == counts(late=1, partial=1, excused=1)
    assert (one["attended"], one["rate"], two["rate"]) == (2, 0.6667, 0.3333)
    learners = totals(it_report)
    assert learners["Niccolò Sforza"] == (2, 2, 1.0, 6480, 1.8)
    assert learners["Ségolène Œuvray"] == (2, 1, 0.5, 0, 0.0)
    assert learners["Chiara Dell'Acqua"] == (2, 0, 0.0, 1200, 0.33)

    # the exchange, by the French teacher: every learner, the Italians without online time
    exchange_path = f"/exchanges/{play.exchange.id}/attendance-report"
    whole = await ok(play, exchange_path, fr.teacher)
    one, two = whole["sessions"]
    assert one["counts"] == counts(present=4, late=1, partial=1, excused=1)
    assert (one["roster"], one["rate"], two["rate"]) == (7, 0.8571, 0.1429)
    assert two["counts"] == counts(present=1, partial=1, absent=5)
    assert (whole["expected"], whole["attended"], whole["rate"]) == (14, 7, 0.5)
    learners = totals(whole)
    assert learners["Niccolò Sforza"] == (2, 2, 1.0, None, None)
    assert learners["Zoé Lefèvre"] == (2, 1, 0.5, 5400, 1.5)
    partner = next(x for x in whole["learners"] if x["learner"]["country"] == "IT")
    assert partner["learner"]["class_id"] is None
    rows = rows_of(await get(play, exchange_path, fr.teacher, headers=CSV))
    assert len(rows) == 14
    for row in rows:
        filled = {k for k, v in row.items() if v}
        if row["country"] == "IT":
            assert filled == PARTNER_COLUMNS, row
        else:
            assert filled == set(ATTENDANCE_COLUMNS) - {"first_join", "last_leave"} or (
                filled == set(ATTENDANCE_COLUMNS)
            ), row
    titles = {r["session_title"] for r in rows}
    assert titles == {"Our regions", "'=Cuisines, cucine"}  # shown, never evaluated
    assert rows_of(await get(play, f"{exchange_path}.csv", fr.teacher)) == rows
    in_rome = await ok(play, exchange_path, it.teacher)
    assert in_rome["timezone"] == "Europe/Rome"
    assert in_rome["sessions"][0]["date"] == play.start.astimezone(rome).date().isoformat()
    class_rows = rows_of(await get(play, f"/classes/{fr_class}/attendance-report.csv", fr.teacher))
    assert sorted(r["display_name"] for r in class_rows) == sorted(FR_NAMES * 2)

    # ranges: none held before the first day or after the last
    empty = await ok(play, exchange_path, fr.teacher, to=first_day - timedelta(days=1))
    assert (empty["sessions"], empty["learners"], empty["rate"]) == ([], [], None)
    later = await ok(play, exchange_path, fr.teacher, **{"from": second_day + timedelta(days=1)})
    assert later["sessions"] == []


async def test_who_may_read_and_bad_ranges(play: Play) -> None:
    fr, it = play.exchange.schools
    people = play.people
    outsider = await new_school(await Api.start(play.server.http), "DE", "Europe/Berlin")
    fr_class = play.exchange.classes[0]["id"]
    paths = [
        f"/learners/{people['on_time'].id}/hours",
        f"/classes/{fr_class}/attendance-report",
        f"/exchanges/{play.exchange.id}/attendance-report",
        f"/sessions/{play.session_id}/attendance.csv",
    ]
    for path in paths:
        for stranger in (outsider.teacher, outsider.coordinator):
            for headers in ({}, CSV):
                refused = await get(play, path, stranger, headers=headers)
                assert refused.status_code == 404, (path, refused.text)
                assert refused.json()["error"]["code"] == "not_found"
    # another school's staff do not see a learner's hours, a guardian only their own learner's
    for stranger in (it.teacher, it.coordinator, play.guardian):
        assert (await get(play, paths[0], stranger)).status_code == 404
    # learners see their class and exchange, not the reports
    for path, code in ((paths[1], "not_class_staff"), (paths[2], "not_exchange_staff")):
        refused = await get(play, path, people["on_time"])
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["code"] == code
    # the partner teacher does not teach the French class
    assert (await get(play, paths[1], it.teacher)).status_code == 404

    today = date.today()
    for path in paths[:3]:
        reversed_range = await get(
            play, path, fr.coordinator, **{"from": today, "to": today - timedelta(days=1)}
        )
        assert reversed_range.status_code == 422, reversed_range.text
        error = reversed_range.json()["error"]
        assert error["code"] == "validation_error"
        assert error["details"][0]["field"] == "query.from"
        not_a_date = await get(play, f"{path}.csv", fr.coordinator, to="2026-02-30")
        assert not_a_date.status_code == 422
        assert not_a_date.json()["error"]["details"][0]["field"] == "query.to"
        for field, day in (("from", date.min), ("to", date.max)):
            edge = await get(play, path, fr.coordinator, **{field: day})
            assert edge.status_code == 422, edge.text
            assert edge.json()["error"]["details"][0]["field"] == f"query.{field}"


def counts(**found: int) -> dict[str, int]:
    return {s: found.get(s, 0) for s in ("present", "late", "partial", "absent", "excused")}


def totals(report: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {
        x["learner"]["display_name"]: (
            x["sessions_expected"],
            x["sessions_attended"],
            x["rate"],
            x["online_seconds"],
            x["contact_hours"],
        )
        for x in report["learners"]
    }
