"""Placements and their threads through the API: the family and the sending tutor both
accept; a host sees only the learners placed with them and accepted, and only what hosting
needs; guardians, the family and both tutors talk in a thread every one of them reads."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from app.core.clock import ManualClock
from tests.factories import Actor, Api
from tests.family_world import error_code
from tests.hosting.world import HostWorld, build_hosts


async def _placed(h: HostWorld) -> tuple[dict[str, Any], Actor, dict[str, Any], Actor]:
    """Léa proposed to the Rossi family, another learner to the Bianchi family; a member
    of each family."""
    rossi = await h.family("Rossi")
    bianchi = await h.family("Bianchi", languages=[{"code": "de", "level": "C1"}])
    maria = await h.host_of(rossi["id"], "Maria Rossi")
    luca = await h.host_of(bianchi["id"], "Luca Bianchi")
    lea = await h.incoming(languages=[{"code": "fr", "level": "C2"}])
    other = await h.incoming(await h.fr_learner(), languages=[{"code": "de", "level": "B1"}])
    run = await h.run()
    by_mobility = {p["mobility_id"]: p for p in run["proposals"]}
    assert by_mobility[lea["id"]]["host_family_id"] == rossi["id"]
    assert by_mobility[other["id"]]["host_family_id"] == bianchi["id"]
    listed = await h.w.ok(maria, "GET", "/placements")
    [placement] = listed["items"]
    return placement, maria, by_mobility[other["id"]], luca


async def test_a_host_sees_only_their_accepted_learners_and_what_hosting_needs(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    h = await build_hosts(api, client, application, clock)
    w = h.w
    placement, maria, other, luca = await _placed(h)
    pid = placement["id"]
    # Each family member and the sending tutor is asked to decide, once per run.
    asked = await w.notifications(maria, "hosting.placements_proposed")
    assert [n["language"] for n in asked] == ["it"]
    asked = await w.notifications(w.fr.teacher, "hosting.placements_proposed")
    assert [n["language"] for n in asked] == ["fr"]
    assert await w.notifications(w.it.teacher, "hosting.placements_proposed") == []
    # Proposed: the family sees the dates, not the learner.
    assert placement["status"] == "proposed"
    assert placement["learner"] is None
    assert placement["family"] is None
    # Neither family sees the other's placement; the learner and guardian not yet.
    for who in (luca, w.lea, w.guardian, w.de.coordinator, w.other_teacher):
        assert (await w.call(who, "GET", f"/placements/{pid}")).status_code == 404
    assert (await w.call(maria, "GET", f"/placements/{other['placement_id']}")).status_code == 404

    # Only the family and the sending tutor decide.
    for who in (w.it.teacher, w.it.coordinator, w.fr.coordinator):
        refused = await w.call(who, "POST", f"/placements/{pid}/accept")
        assert refused.status_code == 403
    assert (await w.call(luca, "POST", f"/placements/{pid}/accept")).status_code == 404
    half = await w.ok(maria, "POST", f"/placements/{pid}/accept")
    assert (half["status"], half["family_decision"], half["tutor_decision"]) == (
        "proposed",
        "accepted",
        "pending",
    )
    assert half["learner"] is None
    done = await w.ok(w.fr.teacher, "POST", f"/placements/{pid}/accept")
    assert done["status"] == "accepted"
    assert done["family"]["display_name"] == "Rossi"
    closed = await w.call(maria, "POST", f"/placements/{pid}/decline")
    assert closed.status_code == 409
    assert error_code(closed) == "placement_closed"

    # Accepted: the family sees the learner, only what hosting needs.
    seen = await w.ok(maria, "GET", f"/placements/{pid}")
    learner = seen["learner"]
    assert learner["display_name"] == "Léa Martin"
    assert learner["diet"] == ["vegetarian"]
    assert learner["receiving_tutor"]["email"] == w.it.teacher.email
    assert learner["guardians"] == []
    lea_account = await w.ok(w.api.admin, "GET", f"/users/{w.lea.id}")
    text = (await w.call(maria, "GET", "/placements")).text + str(seen)
    for secret in (lea_account["birth_date"], w.lea.email, w.guardian.email, "Sophie"):
        assert secret not in text
    assert (await w.call(maria, "GET", f"/users/{w.lea.id}")).status_code == 404
    assert (
        await w.call(maria, "GET", f"/mobilities/{placement['mobility_id']}")
    ).status_code == 404
    luca_sees = await w.ok(luca, "GET", "/placements")
    assert [p["id"] for p in luca_sees["items"]] == [other["placement_id"]]
    assert "Léa" not in str(luca_sees)

    # The guardian chooses to share a contact; only then the family sees it.
    shared = await w.call(w.guardian, "POST", f"/placements/{pid}/share-contact")
    assert shared.status_code == 200
    seen = await w.ok(maria, "GET", f"/placements/{pid}")
    assert seen["learner"]["guardians"] == [
        {"display_name": "Sophie Martin", "email": w.guardian.email}
    ]
    assert (await w.call(maria, "POST", f"/placements/{pid}/share-contact")).status_code == 403
    # The learner and guardian see the accepted placement with the family's summary.
    mine = await w.ok(w.lea, "GET", "/placements")
    assert [p["family"]["display_name"] for p in mine["items"]] == ["Rossi"]


async def test_the_thread_is_read_by_all_and_told_in_each_readers_language(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    h = await build_hosts(api, client, application, clock)
    w = h.w
    placement, maria, _, luca = await _placed(h)
    pid = placement["id"]
    early = await w.call(maria, "POST", f"/placements/{pid}/messages", {"text": "Ciao!"})
    assert early.status_code == 409
    assert error_code(early) == "placement_not_accepted"
    await w.ok(maria, "POST", f"/placements/{pid}/accept")
    await w.ok(w.fr.teacher, "POST", f"/placements/{pid}/accept")

    writers = [maria, w.guardian, w.fr.teacher, w.it.teacher]
    for i, who in enumerate(writers):
        await w.ok(who, "POST", f"/placements/{pid}/messages", {"text": f"message {i}"})
    # Every participant and the schools' coordinators read every message.
    for reader in [*writers, w.fr.coordinator, w.it.coordinator]:
        thread = await w.ok(reader, "GET", f"/placements/{pid}/messages")
        assert [m["text"] for m in thread["items"]] == [f"message {i}" for i in range(4)]
    roles = [m["author_role"] for m in thread["items"]]
    assert roles == ["host", "guardian", "sending_tutor", "receiving_tutor"]
    # No channel for the learner, none for anyone outside.
    assert (await w.call(w.lea, "GET", f"/placements/{pid}/messages")).status_code == 403
    assert (
        await w.call(w.it.coordinator, "POST", f"/placements/{pid}/messages", {"text": "x"})
    ).status_code == 403
    for outsider in (luca, w.de_guardian, w.other_teacher):
        response = await w.call(outsider, "GET", f"/placements/{pid}/messages")
        assert response.status_code == 404
        assert "message 0" not in response.text

    # Each reader is told in their language, without the message's text.
    told_family = await w.notifications(maria, "hosting.message")
    assert len(told_family) == 3  # the three others' messages
    assert {n["language"] for n in told_family} == {"it"}
    told_guardian = await w.notifications(w.guardian, "hosting.message")
    assert {n["language"] for n in told_guardian} == {"fr"}
    assert not any("message 1" in n["body"] for n in told_family + told_guardian)
    accepted = await w.notifications(w.it.teacher, "hosting.placement_accepted")
    assert len(accepted) == 1
    assert accepted[0]["language"] == "it"
