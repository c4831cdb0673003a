"""Matching runs and the exchange workflow, through the API."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from httpx import AsyncClient

from tests.factories import Actor, Api


async def wait_run(client: AsyncClient, run_id: str, headers: dict[str, str]) -> dict[str, Any]:
    for _ in range(600):
        response = await client.get(f"/api/v1/matching/runs/{run_id}", headers=headers)
        assert response.status_code == 200, response.text
        run: dict[str, Any] = response.json()
        if run["status"] in ("done", "failed"):
            return run
        await asyncio.sleep(0.1)
    raise AssertionError("the run did not finish in 60 s")


def profile(**overrides: Any) -> dict[str, Any]:
    return {
        "field": "1013",
        "eqf_level": 4,
        "learner_count": 24,
        "age_min": 15,
        "age_max": 18,
        "languages": [{"code": "en", "level": "B2"}],
        "availability": [{"weekday": 1, "start": "09:00", "end": "12:00"}],
        "term_start": "2027-01-11",
        "term_end": "2027-06-25",
    } | overrides


@dataclass
class World:
    network: dict[str, Any]
    coordinator: Actor
    partner_coordinator: Actor
    teachers: dict[str, Actor]
    classes: dict[str, dict[str, Any]]


@pytest.fixture
async def world(api: Api) -> World:
    fr = await api.organisation(country="FR", city="Lyon", timezone="Europe/Paris")
    it = await api.organisation(country="IT", city="Bologna", timezone="Europe/Rome")
    de = await api.organisation(country="DE", city="Köln", timezone="Europe/Berlin")
    network = await api.network([fr["id"], it["id"], de["id"]])
    coordinator = await api.user("coordinator", fr["id"])
    partner_coordinator = await api.user("coordinator", it["id"])
    teachers = {
        "fr": await api.user("teacher", fr["id"]),
        "it": await api.user("teacher", it["id"]),
        "de": await api.user("teacher", de["id"]),
    }
    mechanics = profile(
        field="0716",
        languages=[{"code": "en", "level": "B1"}],
        availability=[{"weekday": 3, "start": "13:00", "end": "16:00"}],
        learner_count=16,
    )
    specs = {
        "fr_kitchen": (fr, "fr", profile()),
        "it_kitchen": (it, "it", profile()),
        "fr_garage": (fr, "fr", mechanics),
        "de_garage": (de, "de", mechanics),
        "fr_monolingual": (fr, "fr", profile(languages=[{"code": "fr", "level": "C2"}])),
    }
    classes = {
        name: await api.school_class(org["id"], [teachers[t].id], name=name, **body)
        for name, (org, t, body) in specs.items()
    }
    return World(network, coordinator, partner_coordinator, teachers, classes)


async def start(client: AsyncClient, actor: Actor, **body: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/matching/runs", json=body, headers=actor.headers)
    assert response.status_code == 202, response.text
    run: dict[str, Any] = response.json()
    assert run["status"] == "queued"
    return await wait_run(client, run["id"], actor.headers)


def pairs_of(run: dict[str, Any], world: World) -> set[frozenset[str]]:
    names = {c["id"]: name for name, c in world.classes.items()}
    return {frozenset(names[c] for c in p["class_ids"]) for p in run["proposals"]}


async def test_planted_partners_are_found_and_explained(client: AsyncClient, world: World) -> None:
    run = await start(client, world.coordinator, network_id=world.network["id"], group_size=2)
    assert run["status"] == "done", run["error"]
    assert pairs_of(run, world) == {
        frozenset({"fr_kitchen", "it_kitchen"}),
        frozenset({"fr_garage", "de_garage"}),
    }
    monolingual = world.classes["fr_monolingual"]["id"]
    assert run["unmatched"] == [{"class_id": monolingual, "reason": "no_language_in_common"}]
    for proposal in run["proposals"]:
        assert 0 < proposal["score"] <= 1
        assert set(proposal["score_breakdown"]) == {
            "field",
            "language",
            "age",
            "size",
            "availability",
        }
        assert sum(proposal["score_breakdown"].values()) == pytest.approx(proposal["score"])
    # One scale everywhere: scores, their sum and its bound are 0-1 per proposal.
    assert run["objective"] == pytest.approx(sum(p["score"] for p in run["proposals"]))
    assert run["objective"] <= run["upper_bound"] <= len(run["proposals"]) + 1
    assert run["shares"]["by_country"] == {
        "DE": 1.0,
        "FR": pytest.approx(2 / 3, abs=1e-3),
        "IT": 1.0,
    }


async def test_accept_and_decline_move_exchanges_through_their_states(
    client: AsyncClient, world: World, api: Api
) -> None:
    run = await start(client, world.coordinator, network_id=world.network["id"])
    by_pair = {frozenset(p["class_ids"]): p["exchange_id"] for p in run["proposals"]}
    kitchen = by_pair[
        frozenset({world.classes["fr_kitchen"]["id"], world.classes["it_kitchen"]["id"]})
    ]
    garage = by_pair[
        frozenset({world.classes["fr_garage"]["id"], world.classes["de_garage"]["id"]})
    ]
    fr, it, de = world.teachers["fr"], world.teachers["it"], world.teachers["de"]

    # The Italian teacher sees the proposal with the French class's public profile only.
    seen = await client.get(f"/api/v1/exchanges/{kitchen}", headers=it.headers)
    assert seen.status_code == 200
    partner = next(c for c in seen.json()["classes"] if c["country"] == "FR")
    assert "teacher_ids" not in partner
    assert partner["name"] == "fr_kitchen"
    # The German teacher has no class in it: it does not exist for them.
    assert (await client.get(f"/api/v1/exchanges/{kitchen}", headers=de.headers)).status_code == 404
    refused = await client.post(f"/api/v1/exchanges/{kitchen}/accept", headers=de.headers)
    assert refused.status_code == 404

    # The French teacher teaches two member classes of no exchange twice; here one each.
    first = await client.post(f"/api/v1/exchanges/{kitchen}/accept", headers=fr.headers)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "proposed"
    second = await client.post(f"/api/v1/exchanges/{kitchen}/accept", headers=it.headers)
    assert second.json()["status"] == "active"
    assert {c["decision"] for c in second.json()["classes"]} == {"accepted"}
    late = await client.post(f"/api/v1/exchanges/{kitchen}/decline", headers=it.headers)
    assert late.status_code == 409

    declined = await client.post(f"/api/v1/exchanges/{garage}/decline", headers=de.headers)
    assert declined.json()["status"] == "declined"
    in_use = await client.delete(
        f"/api/v1/classes/{world.classes['fr_kitchen']['id']}", headers=fr.headers
    )
    assert in_use.status_code == 409
    assert in_use.json()["error"]["code"] == "class_in_exchange"
    listed = await client.get("/api/v1/exchanges?status=declined", headers=fr.headers)
    assert [e["id"] for e in listed.json()["items"]] == [garage]

    # A learner of a member class sees only active exchanges, and cannot answer.
    learner = await api.user("learner", world.classes["fr_kitchen"]["organisation_id"])
    await client.put(
        f"/api/v1/classes/{world.classes['fr_kitchen']['id']}/learners",
        json={"learner_ids": [learner.id]},
        headers=api.admin.headers,
    )
    mine = await client.get("/api/v1/exchanges", headers=learner.headers)
    assert [e["id"] for e in mine.json()["items"]] == [kitchen]
    assert (
        await client.post(f"/api/v1/exchanges/{kitchen}/accept", headers=learner.headers)
    ).status_code == 403


async def test_declined_pairs_are_not_proposed_again(client: AsyncClient, world: World) -> None:
    run = await start(client, world.coordinator, network_id=world.network["id"])
    garage_ids = frozenset({world.classes["fr_garage"]["id"], world.classes["de_garage"]["id"]})
    garage = next(
        p["exchange_id"] for p in run["proposals"] if frozenset(p["class_ids"]) == garage_ids
    )
    response = await client.post(
        f"/api/v1/exchanges/{garage}/decline", headers=world.teachers["de"].headers
    )
    assert response.json()["status"] == "declined"

    again = await start(client, world.coordinator, network_id=world.network["id"])
    assert again["status"] == "done"
    # The kitchen classes are in a proposed exchange, so out of the pool; the garages declined.
    assert again["proposals"] == []
    reasons = {u["class_id"]: u["reason"] for u in again["unmatched"]}
    assert set(reasons) == set(garage_ids) | {world.classes["fr_monolingual"]["id"]}

    repeat = await start(
        client, world.coordinator, network_id=world.network["id"], allow_repeats=True
    )
    assert {frozenset(p["class_ids"]) for p in repeat["proposals"]} == {garage_ids}


async def test_who_may_run_and_bad_input(client: AsyncClient, world: World, api: Api) -> None:
    url = "/api/v1/matching/runs"
    network_id = world.network["id"]
    as_partner = await client.post(
        url, json={"network_id": network_id}, headers=world.partner_coordinator.headers
    )
    assert as_partner.status_code == 403
    as_teacher = await client.post(
        url, json={"network_id": network_id}, headers=world.teachers["fr"].headers
    )
    assert as_teacher.status_code == 403
    bad_size = await client.post(
        url, json={"network_id": network_id, "group_size": 5}, headers=world.coordinator.headers
    )
    assert bad_size.status_code == 422
    assert bad_size.json()["error"]["details"][0]["field"] == "body.group_size"
    unknown = await client.post(
        url,
        json={"network_id": "00000000-0000-4000-8000-000000000000"},
        headers=world.coordinator.headers,
    )
    assert unknown.status_code == 404
    one_country = await client.post(
        url,
        json={
            "network_id": network_id,
            "class_ids": [world.classes["fr_kitchen"]["id"], world.classes["fr_garage"]["id"]],
        },
        headers=world.coordinator.headers,
    )
    assert one_country.status_code == 422
    assert one_country.json()["error"]["details"][0]["type"] == "not_enough_countries"
    outsider_org = await api.organisation(country="ES", city="Barcelona", timezone="Europe/Madrid")
    outsider = await api.school_class(outsider_org["id"], [])
    foreign = await client.post(
        url,
        json={
            "network_id": network_id,
            "class_ids": [world.classes["fr_kitchen"]["id"], outsider["id"]],
        },
        headers=world.coordinator.headers,
    )
    assert foreign.status_code == 422
    assert outsider["id"] in foreign.json()["error"]["message"]
    listed = await client.get("/api/v1/exchanges", headers=api.admin.headers)
    assert listed.json()["total"] == 0


async def test_groups_of_three_mix_countries(client: AsyncClient, world: World, api: Api) -> None:
    de_org = world.classes["de_garage"]["organisation_id"]
    world.classes["de_kitchen"] = await api.school_class(
        de_org, [world.teachers["de"].id], name="de_kitchen", **profile()
    )
    run = await start(client, world.coordinator, network_id=world.network["id"], group_size=3)
    assert run["status"] == "done", run["error"]
    names = {c["id"]: name for name, c in world.classes.items()}
    groups = {frozenset(names[c] for c in p["class_ids"]) for p in run["proposals"]}
    # The planted triple, and the garages falling back to a pair.
    assert groups == {
        frozenset({"fr_kitchen", "it_kitchen", "de_kitchen"}),
        frozenset({"fr_garage", "de_garage"}),
    }
    for proposal in run["proposals"]:
        countries = [names[c][:2] for c in proposal["class_ids"]]
        assert len(countries) == len(set(countries))
