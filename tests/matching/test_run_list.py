"""Matching runs for clients: a 202 says where to poll and how often; the caller's runs are
listed, newest first, and nobody else's."""

from __future__ import annotations

from httpx import AsyncClient

from tests.factories import Api
from tests.matching.test_matching_api import World, profile, wait_run, world

__all__ = ["world"]
RUNS = "/api/v1/matching/runs"


async def test_a_run_is_polled_where_the_202_says_and_listed(
    client: AsyncClient, world: World, api: Api
) -> None:
    started = await client.post(
        RUNS, json={"network_id": world.network["id"]}, headers=world.coordinator.headers
    )
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    assert started.headers["location"] == f"http://test{RUNS}/{run_id}"
    assert int(started.headers["retry-after"]) > 0
    polled = await client.get(started.headers["location"], headers=world.coordinator.headers)
    assert polled.status_code == 200
    assert polled.json()["id"] == run_id
    await wait_run(client, run_id, world.coordinator.headers)
    # another network, coordinated by another school: its run is the admin's to see
    es = await api.organisation(country="ES", city="Sevilla", timezone="Europe/Madrid")
    fi = await api.organisation(country="FI", city="Salo", timezone="Europe/Helsinki")
    other = await api.network([es["id"], fi["id"]])
    for org in (es, fi):
        teacher = await api.user("teacher", org["id"], login_=False)
        await api.school_class(org["id"], [teacher.id], **profile())
    second = await client.post(RUNS, json={"network_id": other["id"]}, headers=api.admin.headers)
    assert second.status_code == 202, second.text
    await wait_run(client, second.json()["id"], api.admin.headers)

    mine = await client.get(RUNS, headers=world.coordinator.headers)
    assert mine.status_code == 200, mine.text
    assert mine.json()["total"] == 1
    assert [r["id"] for r in mine.json()["items"]] == [run_id]
    assert "proposals" not in mine.json()["items"][0]
    everyone = await client.get(RUNS, headers=api.admin.headers)
    assert [r["id"] for r in everyone.json()["items"]][:2] == [second.json()["id"], run_id]
    one_network = await client.get(
        RUNS, params={"network_id": other["id"]}, headers=api.admin.headers
    )
    assert [r["id"] for r in one_network.json()["items"]] == [second.json()["id"]]
    triples = await client.get(RUNS, params={"status": "done"}, headers=api.admin.headers)
    assert {r["id"] for r in triples.json()["items"]} >= {run_id}
    for outsider in (world.partner_coordinator, world.teachers["fr"]):
        theirs = await client.get(RUNS, headers=outsider.headers)
        assert theirs.status_code == 200
        assert theirs.json() == {"items": [], "total": 0}
    bad = await client.get(RUNS, params={"status": "lost"}, headers=api.admin.headers)
    assert bad.status_code == 422
