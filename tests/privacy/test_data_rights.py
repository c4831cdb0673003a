"""Data rights and the audit trail through the API: export, erasure, who reads the trail."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from tests.factories import Actor, Api, login
from tests.family_world import (
    API,
    School,
    columns_holding,
    error_code,
    exchange_between,
    guardian_of,
    learner,
    schedule,
    school,
)


async def export(client: AsyncClient, user_id: str, as_: Actor) -> dict[str, Any]:
    response = await client.get(f"{API}/users/{user_id}/export", headers=as_.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def audit_records(client: AsyncClient, as_: Actor, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(
        f"{API}/audit", params={"limit": 100, **params}, headers=as_.headers
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def family_with_history(
    api: Api, client: AsyncClient
) -> tuple[School, School, Actor, Actor, dict[str, Any]]:
    """A 14-year-old in Germany with a guardian (by invitation), a consent, a class in an
    exchange with an Italian class, and a scheduled session."""
    de = await school(api, "DE", "Europe/Berlin")
    it = await school(api, "IT", "Europe/Rome")
    lena = await learner(api, de, 14, display_name="Lena Vogelsang", email="lena.v@example.de")
    marco = await learner(api, it, 15)
    invite = await client.post(
        f"{API}/learners/{lena.id}/guardian-invites",
        json={"email": "petra.vogelsang@example.de"},
        headers=de.teacher.headers,
    )
    assert invite.status_code == 201
    accepted = await client.post(
        f"{API}/guardian-invites/{invite.json()['token']}/accept",
        json={"display_name": "Petra Vogelsang", "password": "petra-password-1"},
    )
    assert accepted.status_code == 201
    tokens = await login(client, "petra.vogelsang@example.de", "petra-password-1")
    petra = Actor(
        accepted.json()["guardian_id"],
        "petra.vogelsang@example.de",
        "guardian",
        None,
        {"Authorization": f"Bearer {tokens['access_token']}"},
    )
    given = await client.post(
        f"{API}/learners/{lena.id}/consents",
        json={"purpose": "live_sessions"},
        headers=petra.headers,
    )
    assert given.status_code == 201
    exchange = await exchange_between(client, api, [de, it], [[lena], [marco]])
    session = await schedule(client, exchange, datetime.now(UTC) + timedelta(days=3))
    return de, it, lena, petra, {"exchange": exchange, "session": session, "marco": marco}


async def test_export_holds_everything_about_the_person(api: Api, client: AsyncClient) -> None:
    de, it, lena, petra, extra = await family_with_history(api, client)

    data = await export(client, lena.id, lena)

    assert data["account"]["email"] == "lena.v@example.de"
    assert data["account"]["display_name"] == "Lena Vogelsang"
    assert data["account"]["birth_date"] is not None
    assert data["organisation"]["country"] == "DE"
    assert data["guardians"] == [
        {
            "guardian_id": petra.id,
            "display_name": "Petra Vogelsang",
            "linked_at": data["guardians"][0]["linked_at"],
        }
    ]
    assert [c["class_id"] for c in data["classes"]] == [extra["exchange"].classes[0]["id"]]
    assert data["classes"][0]["as"] == "learner"
    assert [(c["purpose"], c["given_by"], c["given_by_role"]) for c in data["consents"]] == [
        ("live_sessions", petra.id, "guardian")
    ]
    assert [s["id"] for s in data["sessions"]] == [extra["session"]["id"]]
    assert len(data["refresh_tokens"]) == 1  # the factory's login
    assert [i["status"] for i in data["guardian_invites"]] == ["accepted"]
    actions = {r["action"] for r in data["audit_records"]}
    assert {"guardian_invite.created", "guardian.linked", "consent.given"} <= actions
    text = json.dumps(data)
    for secret in ("token_hash", "password", "petra.vogelsang@example.de"):
        assert secret not in text  # no hashes; the guardian's address is hers, not Lena's
    assert extra["marco"].email not in text  # nor a partner learner's

    guardian_view = await export(client, lena.id, petra)
    assert guardian_view["account"]["id"] == lena.id
    own = await export(client, petra.id, petra)
    assert [entry["learner_id"] for entry in own["learners"]] == [lena.id]
    assert [c["learner_id"] for c in own["consents"]] == [lena.id]  # the consent she gave

    assert (await export(client, lena.id, de.coordinator))["account"]["id"] == lena.id
    assert (await export(client, lena.id, api.admin))["account"]["id"] == lena.id
    teacher = await client.get(f"{API}/users/{lena.id}/export", headers=de.teacher.headers)
    assert teacher.status_code == 403
    for outsider in (it.teacher, it.coordinator, extra["marco"]):
        refused = await client.get(f"{API}/users/{lena.id}/export", headers=outsider.headers)
        assert refused.status_code == 404

    exports = await audit_records(client, api.admin, action="user.exported", target_id=lena.id)
    assert len(exports) == 4  # her own, Petra's, the coordinator's and the admin's
    assert {r["actor_id"] for r in exports} == {lena.id, petra.id, de.coordinator.id, api.admin.id}


async def test_erasure_leaves_no_personal_data_and_statistics_add_up(
    api: Api, client: AsyncClient, application: FastAPI
) -> None:
    de, _it, lena, petra, extra = await family_with_history(api, client)
    school_class = extra["exchange"].classes[0]
    roster_before = await client.get(
        f"{API}/classes/{school_class['id']}/learners", headers=de.coordinator.headers
    )
    assert await columns_holding(application, "lena.v@example.de", "Lena Vogelsang")

    erased = await client.post(f"{API}/users/{lena.id}/erase", headers=de.coordinator.headers)

    assert erased.status_code == 200, erased.text
    body = erased.json()
    assert body["id"] == lena.id
    assert body["display_name"].startswith("Erased learner ")
    assert body["email"].endswith("@erased.invalid")
    assert body["birth_date"] is None
    assert body["is_active"] is False
    assert await columns_holding(application, "lena.v@example.de", "Lena Vogelsang") == []

    # Statistics still add up: the class keeps its member, the session its class.
    roster_after = await client.get(
        f"{API}/classes/{school_class['id']}/learners", headers=de.coordinator.headers
    )
    # the same roster, the learner now under the pseudonym the erasure gave
    assert roster_after.json()["learner_ids"] == roster_before.json()["learner_ids"]
    assert "Lena Vogelsang" not in roster_after.text
    session = await client.get(
        f"{API}/sessions/{extra['session']['id']}", headers=de.teacher.headers
    )
    assert session.status_code == 200
    # The family link is gone, the consent stays as a pseudonymous record.
    guardians = await client.get(
        f"{API}/learners/{lena.id}/guardians", headers=de.coordinator.headers
    )
    assert guardians.json() == {"items": [], "total": 0}
    record = await export(client, lena.id, api.admin)
    assert [c["purpose"] for c in record["consents"]] == ["live_sessions"]
    assert record["refresh_tokens"] == []
    assert record["guardian_invites"] == []
    # No way back in.
    old_login = await client.post(
        f"{API}/auth/token", data={"username": "lena.v@example.de", "password": "x" * 12}
    )
    assert old_login.status_code == 401
    stale = await client.get(f"{API}/users/me", headers=lena.headers)
    assert stale.status_code == 401
    again = await client.post(f"{API}/users/{lena.id}/erase", headers=de.coordinator.headers)
    assert again.status_code == 409
    assert error_code(again) == "already_erased"

    erased_guardian = await client.post(f"{API}/users/{petra.id}/erase", headers=api.admin.headers)
    assert erased_guardian.status_code == 200
    assert await columns_holding(application, "petra.vogelsang@example.de", "Petra Vogelsang") == []

    trail = await audit_records(client, api.admin, action="user.erased")
    assert {(r["target_id"], r["actor_id"]) for r in trail} == {
        (lena.id, de.coordinator.id),
        (petra.id, api.admin.id),
    }


async def test_who_may_erase(api: Api, client: AsyncClient) -> None:
    de = await school(api, "DE", "Europe/Berlin")
    fr = await school(api, "FR", "Europe/Paris")
    lena = await learner(api, de, 14)
    shared = await guardian_of(api, lena)
    fr_child = await learner(api, fr, 12)
    linked = await client.post(
        f"{API}/learners/{fr_child.id}/guardians",
        json={"guardian_id": shared.id},
        headers=api.admin.headers,
    )
    assert linked.status_code == 201
    other_admin = await api.user("admin", None)

    teacher = await client.post(f"{API}/users/{lena.id}/erase", headers=de.teacher.headers)
    assert teacher.status_code == 403
    foreign = await client.post(f"{API}/users/{lena.id}/erase", headers=fr.coordinator.headers)
    assert foreign.status_code == 404
    admin = await client.post(f"{API}/users/{other_admin.id}/erase", headers=api.admin.headers)
    assert admin.status_code == 403
    self_ = await client.post(f"{API}/users/{api.admin.id}/erase", headers=api.admin.headers)
    assert self_.status_code == 409
    assert error_code(self_) == "cannot_erase_self"
    # A guardian whose family spans two schools is for an admin to erase.
    family_elsewhere = await client.post(
        f"{API}/users/{shared.id}/erase", headers=de.coordinator.headers
    )
    assert family_elsewhere.status_code == 403
    colleague = await client.post(
        f"{API}/users/{de.teacher.id}/erase", headers=de.coordinator.headers
    )
    assert colleague.status_code == 200


async def test_the_audit_trail_records_sensitive_actions(api: Api, client: AsyncClient) -> None:
    de = await school(api, "DE", "Europe/Berlin")
    fr = await school(api, "FR", "Europe/Paris")
    lena = await learner(api, de, 14)
    guardian = await guardian_of(api, lena)
    await guardian_of(api, await learner(api, fr, 14))

    promoted = await client.patch(
        f"{API}/users/{de.teacher.id}",
        json={"role": "coordinator"},
        headers={**de.coordinator.headers, "X-Request-ID": "promotion-1"},
    )
    assert promoted.status_code == 200
    given = await client.post(
        f"{API}/learners/{lena.id}/consents", json={"purpose": "chat"}, headers=guardian.headers
    )
    assert given.status_code == 201
    withdrawn = await client.delete(
        f"{API}/learners/{lena.id}/consents/chat", headers=guardian.headers
    )
    assert withdrawn.status_code == 200
    invite = await client.post(
        f"{API}/learners/{lena.id}/guardian-invites",
        json={"email": "second@example.org"},
        headers=de.coordinator.headers,
    )
    revoked = await client.delete(
        f"{API}/guardian-invites/{invite.json()['id']}", headers=de.coordinator.headers
    )
    assert revoked.status_code == 204
    unlinked = await client.delete(
        f"{API}/learners/{lena.id}/guardians/{guardian.id}", headers=de.coordinator.headers
    )
    assert unlinked.status_code == 204
    cross_school = await client.get(f"{API}/learners/{lena.id}/consents", headers=api.admin.headers)
    assert cross_school.status_code == 200
    own_school = await client.get(
        f"{API}/learners/{lena.id}/consents", headers=de.coordinator.headers
    )
    assert own_school.status_code == 200

    records = await audit_records(client, api.admin, target_id=lena.id)
    assert [r["action"] for r in reversed(records)] == [
        "guardian.linked",
        "consent.given",
        "consent.withdrawn",
        "guardian_invite.created",
        "guardian_invite.revoked",
        "guardian.unlinked",
        "learner_data.read_cross_school",
    ]
    by_action = {r["action"]: r for r in records}
    assert by_action["consent.given"]["actor_id"] == guardian.id
    assert by_action["consent.given"]["details"]["purpose"] == "chat"
    assert by_action["guardian.unlinked"]["details"] == {"guardian_id": guardian.id}
    assert by_action["learner_data.read_cross_school"]["actor_id"] == api.admin.id
    assert all(r["request_id"] for r in records)

    role_change = await audit_records(client, api.admin, action="user.role_changed")
    assert [(r["target_id"], r["details"], r["request_id"]) for r in role_change] == [
        (de.teacher.id, {"from": "teacher", "to": "coordinator"}, "promotion-1")
    ]

    # Coordinators read the records about their own organisation's people only.
    mine = await audit_records(client, de.coordinator)
    assert mine
    assert {r["target_id"] for r in mine} <= {lena.id, de.teacher.id}
    theirs = await audit_records(client, fr.coordinator)
    assert lena.id not in {r["target_id"] for r in theirs}
    assert len(theirs) == 1  # their learner's guardian link

    for refused in (await api.user("teacher", de.id), lena, guardian):
        response = await client.get(f"{API}/audit", headers=refused.headers)
        assert response.status_code in (401, 403)
    for method in ("PATCH", "PUT", "DELETE"):
        response = await client.request(method, f"{API}/audit", headers=api.admin.headers)
        assert response.status_code == 405
