"""Host families through the API: the receiving school keeps and vets them; members join
through single-use invitations with the role `host`; nobody else sees a family."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from app.core.clock import ManualClock
from tests.factories import Api
from tests.family_world import error_code
from tests.hosting.world import build_hosts


async def test_the_receiving_school_keeps_and_vets_its_families(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    h = await build_hosts(api, client, application, clock)
    w = h.w
    family = await h.family("Rossi", approve=False, location={"lat": 44.49, "lon": 11.35})
    assert family["vetting"]["status"] == "pending"
    assert family["household"] == {"adults": 2, "children": 1}
    assert family["available"] == h.season()
    assert family["location"] == {"lat": 44.49, "lon": 11.35}

    vetted = await h.vet(family["id"], "approved", valid_until="2030-01-01", note="Visited")
    assert vetted["vetting"] == {
        "status": "approved",
        "checked_on": clock().date().isoformat(),
        "valid_until": "2030-01-01",
        "note": "Visited",
    }
    changed = await w.ok(w.it.coordinator, "PATCH", f"/host-families/{family['id']}", {"rooms": 2})
    assert changed["rooms"] == 2
    # Staff of the school read the pool; other schools see nothing of it.
    seen = await w.ok(w.it.teacher, "GET", "/host-families")
    assert [f["id"] for f in seen["items"]] == [family["id"]]
    for outsider in (w.fr.coordinator, w.de.coordinator, w.lea, w.guardian, w.fr.teacher):
        listed = await w.ok(outsider, "GET", "/host-families")
        assert listed == {"items": [], "total": 0}
        response = await w.call(outsider, "GET", f"/host-families/{family['id']}")
        assert response.status_code == 404
        assert "Rossi" not in response.text
    # Only the school's coordinator changes and vets.
    refused = await w.call(w.it.teacher, "PATCH", f"/host-families/{family['id']}", {"rooms": 3})
    assert refused.status_code == 403
    vet = {"status": "rejected", "checked_on": "2026-01-01"}
    refused = await w.call(w.it.teacher, "POST", f"/host-families/{family['id']}/vetting", vet)
    assert refused.status_code == 403
    bad = await w.call(
        w.it.coordinator,
        "POST",
        f"/host-families/{family['id']}/vetting",
        {"status": "approved", "checked_on": "2026-02-01", "valid_until": "2026-01-01"},
    )
    assert bad.status_code == 422
    # Another school's coordinator may not add to this pool.
    body = {
        "organisation_id": w.it.id,
        "display_name": "Intrus",
        "city": "Bologna",
        "household": {"adults": 1},
    }
    response = await w.call(w.fr.coordinator, "POST", "/host-families", body)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["type"] == "field_not_allowed"
    assert (await w.call(w.it.teacher, "POST", "/host-families", body)).status_code == 403
    unknown = await w.call(w.it.coordinator, "POST", "/host-families", body | {"diets": ["paleo"]})
    assert unknown.status_code == 422


async def test_a_member_joins_with_a_single_use_invitation(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    h = await build_hosts(api, client, application, clock)
    w = h.w
    rossi = await h.family("Rossi")
    bianchi = await h.family("Bianchi")
    host = await h.host_of(rossi["id"], "Maria Rossi")
    me = await w.ok(host, "GET", "/users/me")
    assert me["role"] == "host"
    assert me["organisation_id"] is None

    # The member sees their own family, without the school's vetting note.
    await h.vet(rossi["id"], "approved", note="Checked the rooms")
    own = await w.ok(host, "GET", f"/host-families/{rossi['id']}")
    assert own["vetting"]["status"] == "approved"
    assert own["vetting"]["note"] is None
    listed = await w.ok(host, "GET", "/host-families")
    assert [f["id"] for f in listed["items"]] == [rossi["id"]]
    assert (await w.call(host, "GET", f"/host-families/{bianchi['id']}")).status_code == 404
    # ... may not change it or invite others, and sees no one at the schools.
    assert (
        await w.call(host, "PATCH", f"/host-families/{rossi['id']}", {"rooms": 5})
    ).status_code == 403
    invite = {"email": "cousin@famiglie.example"}
    assert (
        await w.call(host, "POST", f"/host-families/{rossi['id']}/invites", invite)
    ).status_code == 403
    for person in (w.lea, w.guardian, w.it.teacher):
        assert (await w.call(host, "GET", f"/users/{person.id}")).status_code == 404
    assert (await w.ok(host, "GET", "/users"))["total"] == 1

    # Single use: the same token again is refused; a newer invitation revokes the older.
    first = await w.ok(w.it.coordinator, "POST", f"/host-families/{bianchi['id']}/invites", invite)
    second = await w.ok(w.it.coordinator, "POST", f"/host-families/{bianchi['id']}/invites", invite)
    account = {"display_name": "Luca Bianchi", "password": "host-password-123"}
    revoked = await client.post(f"/api/v1/host-invites/{first['token']}/accept", json=account)
    assert revoked.status_code == 410
    assert error_code(revoked) == "invite_revoked"
    used = await client.post(f"/api/v1/host-invites/{second['token']}/accept", json=account)
    assert used.status_code == 201
    again = await client.post(f"/api/v1/host-invites/{second['token']}/accept", json=account)
    assert again.status_code == 409
    assert error_code(again) == "invite_used"
    ghost = await client.post("/api/v1/host-invites/not-a-token/accept", json=account)
    assert ghost.status_code == 404
    # An address that is another role's account cannot be invited as a host.
    taken = await w.call(
        w.it.coordinator,
        "POST",
        f"/host-families/{bianchi['id']}/invites",
        {"email": w.guardian.email},
    )
    assert taken.status_code == 409
    assert error_code(taken) == "email_taken"
