"""Attendance from real WebSocket presence. The server reads a clock the test moves, so a
whole 60-minute session plays out in seconds: each join and leave happens on a real socket at
the minute the test has set, and the statuses and minutes must come out of the rules."""

from __future__ import annotations

from tests.factories import Api
from tests.family_world import API
from tests.family_world import school as new_school
from tests.realtime.attendance_play import MINUTE, Play, by_name, iso
from tests.realtime.live import LiveClient


async def test_statuses_and_minutes_come_out_of_real_presence(play: Play) -> None:
    fr, it = play.exchange.schools
    play.at(-1)
    watcher = await LiveClient.join(play.server, fr.teacher, play.session_id)
    on_time = await play.join("on_time")
    play.at(0)
    drops = await play.join("drops")
    tab_one = await play.join("tabs")
    guest = await play.join("guest")
    # the guest leaves the roster while connected: they are listed apart
    fr_class = play.exchange.classes[0]["id"]
    roster = await play.server.http.put(
        f"{API}/classes/{fr_class}/learners",
        json={"learner_ids": [play.people[k].id for k in ("on_time", "drops", "tabs")]},
        headers=fr.coordinator.headers,
    )
    assert roster.status_code == 200, roster.text

    play.at(10)
    await play.leave("drops", drops)
    play.at(12)
    late = await play.join("late")
    play.at(15)
    drops = await play.join("drops")
    play.at(20)
    tab_two = await play.join("tabs")
    play.at(30)
    await play.leave("drops", drops)
    partial = await play.join("partial")
    play.at(35)
    drops = await play.join("drops")
    play.at(40)
    await play.leave("tabs", tab_one)

    play.at(45)  # while it runs: judged on the 45 minutes so far
    live = await play.attendance(fr.teacher)
    assert live["state"] == "live"
    now = by_name(live["items"])
    assert now["Zoé Lefèvre"]["online_seconds"] == 45 * 60
    assert now["Zoé Lefèvre"]["online_now"] is True
    assert now["Niccolò Sforza"]["status"] == "partial"  # 33 of 45 minutes so far: 73 %
    assert now["Chiara Dell'Acqua"]["status"] == "partial"  # 15 of 45

    play.at(50)
    await play.leave("partial", partial)
    play.at(60)
    for who, client in (("on_time", on_time), ("drops", drops), ("tabs", tab_two)):
        await play.leave(who, client)
    await play.leave("late", late)
    await play.leave("guest", guest)
    play.at(61)

    final = await play.attendance(fr.teacher)
    assert final["state"] == "final"
    # each school's teacher sees their own learners in full: put the two views together
    own = {fr.id: by_name(final["items"])}
    own[it.id] = by_name((await play.attendance(it.teacher))["items"])
    lines = {
        name: own[fr.id][name] if line["online_seconds"] is not None else own[it.id][name]
        for name, line in own[fr.id].items()
    }
    expected = {
        "Zoé Lefèvre": ("present", 60, 1),
        "Loïc Béranger, dit « Lolo »": ("present", 10 + 15 + 25, 3),
        'Anaïs "Nana" Dubois': ("present", 60, 2),
        "Niccolò Sforza": ("late", 48, 1),
        "Chiara Dell'Acqua": ("partial", 20, 1),
        "Ségolène Œuvray": ("absent", 0, 0),
    }
    assert set(lines) == set(expected)
    for name, (status, minutes, connections) in expected.items():
        line = lines[name]
        assert (line["status"], line["online_seconds"], line["connections"]) == (
            status,
            minutes * 60,
            connections,
        ), name
        assert line["online_minutes"] == minutes
    assert lines["Niccolò Sforza"]["first_join"] == iso(play.start + 12 * MINUTE)
    assert lines["Zoé Lefèvre"]["first_join"] == iso(play.start - MINUTE)
    assert lines["Loïc Béranger, dit « Lolo »"]["last_leave"] == iso(play.start + 60 * MINUTE)
    assert lines["Ségolène Œuvray"]["first_join"] is None
    assert [g["display_name"] for g in final["guests"]] == ["Jürgen Groß"]
    assert final["guests"][0]["status"] == "present"
    assert final["counts"] == {"present": 3, "late": 1, "partial": 1, "absent": 1}

    # a partner school's teacher: names and statuses only
    partner = own[it.id]["Zoé Lefèvre"]
    assert partner["status"] == "present"
    assert partner["class_id"] is None
    assert {k for k, v in partner.items() if v is not None} == {
        "learner_id",
        "display_name",
        "country",
        "status",
    }
    assert own[fr.id]["Niccolò Sforza"]["online_seconds"] is None
    assert own[it.id]["Niccolò Sforza"]["online_seconds"] == 48 * 60
    # a learner sees their own line, a guardian their linked learner's
    mine = await play.attendance(play.people["partial"])
    assert [x["display_name"] for x in mine["items"]] == ["Chiara Dell'Acqua"]
    assert mine["guests"] == []
    family = await play.attendance(play.guardian)
    assert [x["status"] for x in family["items"]] == ["late"]
    await watcher.close()


async def test_an_override_is_audited_and_survives_recomputation(play: Play) -> None:
    fr, it = play.exchange.schools
    play.at(5)
    partial = await play.join("partial")
    play.at(20)
    await play.leave("partial", partial)
    play.at(70)
    url = f"{API}/sessions/{play.session_id}/attendance/{play.people['partial'].id}"
    body = {"status": "excused", "reason": "Family emergency, left with the teacher's leave"}

    partner = await play.server.http.put(url, json=body, headers=fr.teacher.headers)
    assert partner.status_code == 403, partner.text
    assert partner.json()["error"]["code"] == "not_your_learner"
    bad = await play.server.http.put(
        url, json={"status": "gone", "reason": "x" * 5}, headers=it.teacher.headers
    )
    assert bad.status_code == 422
    no_reason = await play.server.http.put(
        url, json={"status": "excused"}, headers=it.teacher.headers
    )
    assert no_reason.status_code == 422

    done = await play.server.http.put(url, json=body, headers=it.teacher.headers)
    assert done.status_code == 200, done.text
    line = by_name(done.json()["items"])["Chiara Dell'Acqua"]
    assert (line["status"], line["computed_status"]) == ("excused", "partial")
    assert line["override"]["reason"] == body["reason"]

    # recomputed later (every read computes afresh): the override stands
    play.at(200)
    again = by_name((await play.attendance(it.teacher))["items"])["Chiara Dell'Acqua"]
    assert (again["status"], again["computed_status"]) == ("excused", "partial")
    assert again["online_seconds"] == 15 * 60

    audit = await play.server.http.get(
        "/api/v1/audit",
        params={"action": "attendance.overridden", "target_id": play.people["partial"].id},
        headers=it.coordinator.headers,
    )
    assert audit.status_code == 200, audit.text
    (record,) = audit.json()["items"]
    assert record["actor_id"] == it.teacher.id
    assert record["details"] == {
        "session_id": play.session_id,
        "old": "partial",
        "new": "excused",
        "reason": body["reason"],
    }

    cleared = await play.server.http.delete(url, headers=it.teacher.headers)
    assert cleared.status_code == 200, cleared.text
    assert by_name(cleared.json()["items"])["Chiara Dell'Acqua"]["status"] == "partial"
    assert (await play.server.http.delete(url, headers=it.teacher.headers)).status_code == 404
    outsider = await new_school(await Api.start(play.server.http), "DE", "Europe/Berlin")
    for stranger in (outsider.teacher, outsider.coordinator):
        refused = await play.server.http.get(
            f"{API}/sessions/{play.session_id}/attendance", headers=stranger.headers
        )
        assert refused.status_code == 404, refused.text
