"""Participation certificates from a session played through real WebSockets on a moved clock:
issued when the room ends (by the teacher or on schedule) or, failing that, when the list is
read; signed, verified in public, refused once altered, visible to the right people, erased
with the learner."""

from __future__ import annotations

import asyncio
import copy
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from app.attendance import certificates
from app.attendance.tables import Certificate
from app.core.security.tokens import KeyRing
from app.core.settings import Settings
from tests.conftest import TEST_SECRET
from tests.factories import Actor, Api
from tests.family_world import API, columns_holding
from tests.family_world import school as new_school
from tests.realtime.attendance_play import Play, iso, playing
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient

ROTATED = "a-newer-secret-key-that-is-long-enough-9876543210"


@pytest.fixture
def play_settings(live_settings: Settings) -> Settings:
    return live_settings.model_copy(update={"certificate_min_hours": 0.5})


async def stored(play: Play) -> list[Certificate]:
    """This play's certificates (the tables hold other tests' too)."""
    mine = col(Certificate.exchange_id) == uuid.UUID(play.exchange.id)
    async with play.server.app.state.ctx.db_factory() as db:
        return list((await db.scalars(select(Certificate).where(mine))).all())


async def until_stored(play: Play, count: int) -> list[Certificate]:
    async with asyncio.timeout(10):
        while len(found := await stored(play)) < count:  # noqa: ASYNC110 (a table: no event)
            await asyncio.sleep(0.02)
    return found


async def listed(play: Play, who: str, as_: Actor) -> dict[str, Any]:
    response = await play.server.http.get(
        f"{API}/learners/{play.people[who].id}/certificates", headers=as_.headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def presented(play: Play, certificate: dict[str, Any], signature: str) -> dict[str, Any]:
    body = {"certificate": certificate, "signature": signature}
    response = await play.server.http.post(f"{API}/certificates/verify", json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_the_teachers_end_issues_certificates_to_those_over_the_threshold(
    play: Play,
) -> None:
    fr, it = play.exchange.schools
    http = play.server.http
    play.at(-1)
    teacher = await LiveClient.join(play.server, it.teacher, play.session_id)
    play.at(0)
    on_time = await play.join("on_time")
    tabs = await play.join("tabs")
    drops = await play.join("drops")
    partial = await play.join("partial")
    play.at(12)
    late = await play.join("late")
    play.at(15)
    await play.leave("partial", partial)  # 15 minutes
    play.at(29)
    await play.leave("drops", drops)  # 29 minutes: just short of half an hour
    play.at(30)
    await play.leave("tabs", tabs)  # exactly half an hour: enough
    play.at(60)  # on_time (60 min) and late (48 min) stay until the teacher ends the room
    ack = await teacher.command("session.end")
    assert ack["type"] == "ack", ack
    await teacher.wait_for(lambda f: f["type"] == "session.ended")

    rows = {row.learner_id: row for row in await until_stored(play, 3)}  # no listing read yet
    names = {uuid.UUID(a.id): key for key, a in play.people.items()}
    assert sorted(names[r] for r in rows) == ["late", "on_time", "tabs"]
    late_id = uuid.UUID(play.people["late"].id)
    row = rows[late_id]
    day = play.start.astimezone(ZoneInfo("Europe/Rome")).date().isoformat()
    assert row.payload == {
        "version": 1,
        "issuer": "Passerelle",
        "certificate_id": str(row.id),
        "learner": {"id": str(late_id), "display_name": "Niccolò Sforza"},
        "exchange_id": play.exchange.id,
        "schools": [
            {"name": fr.org["name"], "country": "FR"},
            {"name": it.org["name"], "country": "IT"},
        ],
        "countries": ["FR", "IT"],
        "partner_countries": ["FR"],
        "hours": 0.8,
        "seconds": 48 * 60,
        "sessions": 1,
        "first_session": day,
        "last_session": day,
        "issued_at": iso(play.clock()),
    }
    assert rows[uuid.UUID(play.people["tabs"].id)].payload["hours"] == 0.5
    assert rows[uuid.UUID(play.people["on_time"].id)].payload["partner_countries"] == ["IT"]

    # the learner's list (nothing more issued by reading it), as the API shows it
    mine = await listed(play, "late", play.people["late"])
    assert mine["total"] == 1
    (item,) = mine["items"]
    assert (item["id"], item["certificate"]) == (str(row.id), row.payload)
    assert (
        item["key_id"] == KeyRing.from_secrets([TEST_SECRET], issuer="i", audience="a").current_kid
    )
    for nobody in ("partial", "drops", "never"):
        assert (await listed(play, nobody, play.people[nobody]))["total"] == 0
    assert len(await stored(play)) == 3

    # public verification, no login
    assert (
        item["verify_url"] == f"{play.server.http.base_url}/api/v1/certificates/{item['id']}/verify"
    )
    verified = await http.get(item["verify_url"])
    assert verified.status_code == 200, verified.text
    assert verified.json() == {
        "valid": True,
        "certificate": row.payload,
        "signature": row.signature,
        "key_id": row.key_id,
        "issued_at": iso(row.issued_at),
    }
    copy_ = copy.deepcopy(item["certificate"])
    assert await presented(play, copy_, item["signature"]) == {
        "valid": True,
        "certificate_id": str(row.id),
    }
    copy_["hours"] = 8.0  # a holder's "improved" copy
    assert (await presented(play, copy_, item["signature"]))["valid"] is False
    other = rows[uuid.UUID(play.people["tabs"].id)]
    assert (await presented(play, item["certificate"], other.signature))["valid"] is False
    unknown = item["certificate"] | {"certificate_id": str(uuid.uuid4())}
    assert (await presented(play, unknown, item["signature"]))["valid"] is False
    assert await presented(play, {"hours": 1}, "x") == {"valid": False, "certificate_id": None}
    missing = await http.get(f"{API}/certificates/{uuid.uuid4()}/verify")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    extra = await http.post(
        f"{API}/certificates/verify", json={"certificate": {}, "signature": "x", "more": 1}
    )
    assert extra.status_code == 422

    # rotation: still verifiable while the old key is kept as a previous key
    rotated = KeyRing.from_secrets([ROTATED, TEST_SECRET], issuer="i", audience="a")
    assert certificates.is_intact(row, rotated)
    assert not certificates.is_intact(
        row, KeyRing.from_secrets([ROTATED], issuer="i", audience="a")
    )

    # who may read it: the learner, a guardian, their school's staff; others get 404
    for reader in (play.guardian, it.teacher, it.coordinator):
        assert (await listed(play, "late", reader))["total"] == 1
        one = await http.get(f"{API}/certificates/{row.id}", headers=reader.headers)
        assert one.status_code == 200, one.text
    outside = await new_school(await Api.start(http), "DE", "Europe/Berlin")
    for stranger in (fr.teacher, fr.coordinator, outside.teacher, play.people["on_time"]):
        url = f"{API}/learners/{play.people['late'].id}/certificates"
        assert (await http.get(url, headers=stranger.headers)).status_code == 404
        one = await http.get(f"{API}/certificates/{row.id}", headers=stranger.headers)
        assert one.status_code == 404
        assert one.json()["error"]["code"] == "not_found"
    assert (await http.get(f"{API}/certificates/{row.id}")).status_code == 401

    # audited once, by the system
    audit = await http.get(
        f"{API}/audit",
        params={"action": "certificate.issued", "target_id": str(late_id)},
        headers=it.coordinator.headers,
    )
    assert audit.status_code == 200, audit.text
    (record,) = audit.json()["items"]
    assert record["actor_id"] is None
    assert record["details"] == {
        "certificate_id": str(row.id),
        "exchange_id": play.exchange.id,
        "hours": 0.8,
    }

    # altered in the database: no longer valid, nor is a genuine copy of it
    async with play.server.app.state.ctx.db_factory() as db:
        changed = await db.get(Certificate, row.id)
        assert changed is not None
        changed.payload = changed.payload | {"hours": 9.5}
        await db.commit()
    tampered = (await http.get(item["verify_url"])).json()
    assert (tampered["valid"], tampered["certificate"]["hours"]) == (False, 9.5)
    assert (await presented(play, item["certificate"], item["signature"]))["valid"] is False

    # export holds it; erasure removes it, and nothing issues it again
    export = await http.get(f"{API}/users/{late_id}/export", headers=it.coordinator.headers)
    assert export.status_code == 200, export.text
    assert [c["id"] for c in export.json()["certificates"]] == [str(row.id)]
    assert "certificate" not in export.json()["other_records"]
    erased = await http.post(f"{API}/users/{late_id}/erase", headers=it.coordinator.headers)
    assert erased.status_code == 200, erased.text
    assert (await http.get(item["verify_url"])).status_code == 404
    assert (await listed(play, "late", it.coordinator))["total"] == 0
    assert sorted(names[r.learner_id] for r in await stored(play)) == ["on_time", "tabs"]
    holding = await columns_holding(play.server.app, "Niccolò Sforza")
    assert not [c for c in holding if c.startswith(("certificate.", "audit_record."))]
    for client in (on_time, late, teacher):
        await client.close()


async def test_reading_the_list_issues_what_a_failed_end_did_not(
    play: Play, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[uuid.UUID] = []

    async def broken(*_args: Any, session_id: uuid.UUID, **_kwargs: Any) -> None:
        calls.append(session_id)
        raise RuntimeError("the certificate store is down")

    monkeypatch.setattr(certificates, "issue_after_session", broken)
    _fr, it = play.exchange.schools
    play.at(-1)
    teacher = await LiveClient.join(play.server, it.teacher, play.session_id)
    play.at(0)
    on_time = await play.join("on_time")
    partial = await play.join("partial")
    play.at(10)
    await play.leave("partial", partial)
    play.at(40)
    await play.leave("on_time", on_time)
    play.at(45)
    assert (await teacher.command("session.end"))["type"] == "ack"
    await teacher.wait_for(lambda f: f["type"] == "session.ended")  # the room still ends
    async with asyncio.timeout(10):
        while not calls:  # noqa: ASYNC110 (the hub's hook: no event to wait on)
            await asyncio.sleep(0.02)
    assert calls == [uuid.UUID(play.session_id)]
    assert await stored(play) == []
    session = await play.server.http.get(
        f"{API}/sessions/{play.session_id}", headers=it.teacher.headers
    )
    assert session.json()["status"] == "ended"

    mine = await listed(play, "on_time", play.people["on_time"])  # issued now, lazily
    (item,) = mine["items"]
    assert (item["certificate"]["hours"], item["certificate"]["seconds"]) == (0.67, 40 * 60)
    assert item["certificate"]["issued_at"] == iso(play.clock())
    assert (await listed(play, "partial", play.people["partial"]))["total"] == 0
    again = await listed(play, "on_time", play.exchange.schools[0].coordinator)
    assert [i["id"] for i in again["items"]] == [item["id"]]  # once only
    verified = (await play.server.http.get(item["verify_url"])).json()
    assert verified["valid"] is True
    await teacher.close()


async def test_a_room_ended_on_schedule_issues_them_too(
    live_settings: Settings, world: World
) -> None:
    quick = live_settings.model_copy(
        update={"certificate_min_hours": 0.5, "ws_sweep_interval_s": 0.05}
    )
    async with playing(quick) as play:
        play.at(0)
        on_time = await play.join("on_time")
        play.at(60)
        await play.leave("on_time", on_time)
        play.at(60 + quick.ws_room_grace_minutes + 1)  # the sweeper ends the room
        (row,) = await until_stored(play, 1)
        assert row.learner_id == uuid.UUID(play.people["on_time"].id)
        assert (row.payload["hours"], row.payload["issued_at"]) == (1.0, iso(play.clock()))
        session = await play.server.http.get(
            f"{API}/sessions/{play.session_id}", headers=play.exchange.schools[0].teacher.headers
        )
        assert session.json()["status"] == "ended"
