"""Partners find each other: each class's teachers in the exchange, and the exchange's thread
between the member classes' teachers and their schools' coordinators.

The role matrix's world has no exchange (its schools share one country, so nothing is ever
matched there): the thread's table of roles is walked here, every role but `host`."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.factories import Actor, Api
from tests.family_world import (
    API,
    Exchange,
    School,
    current_term,
    error_code,
    exchange_between,
    guardian_of,
    learner,
    school,
)
from tests.matching.test_matching_api import profile, start


async def _pair(api: Api, client: AsyncClient) -> tuple[Exchange, School, School, Actor]:
    fr = await school(api, "FR", "Europe/Paris", city="Lyon")
    it = await school(api, "IT", "Europe/Rome", city="Bologna")
    marco = await learner(api, it, 16)
    exchange = await exchange_between(client, api, [fr, it], [[], [marco]])
    return exchange, fr, it, marco


async def _post(client: AsyncClient, exchange_id: str, actor: Actor, text: str) -> Any:
    return await client.post(
        f"{API}/exchanges/{exchange_id}/messages", json={"text": text}, headers=actor.headers
    )


async def _thread(
    client: AsyncClient, exchange_id: str, actor: Actor, **params: Any
) -> dict[str, Any]:
    response = await client.get(
        f"{API}/exchanges/{exchange_id}/messages", params=params, headers=actor.headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _notices(client: AsyncClient, actor: Actor) -> list[dict[str, Any]]:
    response = await client.get(f"{API}/notifications", headers=actor.headers)
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["event"] == "exchange.message"]


async def test_an_exchange_names_each_classs_teachers_and_school(
    api: Api, client: AsyncClient
) -> None:
    exchange, fr, it, _ = await _pair(api, client)
    names = {}
    for who in (fr.teacher, it.teacher):
        me = await client.get(f"{API}/users/me", headers=who.headers)
        names[who.id] = me.json()["display_name"]
    answer = await client.get(f"{API}/exchanges/{exchange.id}", headers=fr.teacher.headers)
    assert answer.status_code == 200, answer.text
    classes = {c["organisation_id"]: c for c in answer.json()["classes"]}
    partner = classes[it.id]
    assert partner["organisation_name"] == it.org["name"]
    assert partner["teachers"] == [{"id": it.teacher.id, "display_name": names[it.teacher.id]}]
    assert classes[fr.id]["teachers"] == [
        {"id": fr.teacher.id, "display_name": names[fr.teacher.id]}
    ]


async def test_teachers_and_coordinators_write_to_each_other_and_others_cannot(
    api: Api, client: AsyncClient
) -> None:
    exchange, fr, it, marco = await _pair(api, client)
    posted = await _post(client, exchange.id, fr.teacher, "  Bonjour Bologna! Tuesday 10:00?  ")
    assert posted.status_code == 201, posted.text
    message = posted.json()
    assert message["text"] == "Bonjour Bologna! Tuesday 10:00?"
    assert message["exchange_id"] == exchange.id
    assert message["created_at"].endswith("Z")
    author = message["author"]
    assert author["id"] == fr.teacher.id
    assert author["organisation_id"] == fr.id
    assert author["organisation_name"] == fr.org["name"]
    assert author["removed"] is False
    assert author["display_name"]
    reply = await _post(client, exchange.id, it.coordinator, "Ciao! Tuesday is fine.")
    assert reply.status_code == 201, reply.text

    for reader in (fr.teacher, it.teacher, fr.coordinator, it.coordinator):
        thread = await _thread(client, exchange.id, reader)
        assert thread["total"] == 2
        assert [m["text"] for m in thread["items"]] == [
            "Bonjour Bologna! Tuesday 10:00?",
            "Ciao! Tuesday is fine.",
        ]
        assert thread["items"][1]["author"]["organisation_name"] == it.org["name"]

    # who sees the exchange but is not in the thread: 403; who does not see it: 404
    outsider = await school(api, "DE", "Europe/Berlin")
    other_teacher = await api.user("teacher", fr.id)
    marcos_guardian = await guardian_of(api, marco)
    for actor, status in (
        (marco, 403),
        (marcos_guardian, 404),
        (api.admin, 403),
        (outsider.teacher, 404),
        (outsider.coordinator, 404),
        (other_teacher, 404),
    ):
        read = await client.get(f"{API}/exchanges/{exchange.id}/messages", headers=actor.headers)
        write = await _post(client, exchange.id, actor, "hello")
        for response in (read, write):
            assert response.status_code == status, (actor.role, response.text)
            assert error_code(response) == ("forbidden" if status == 403 else "not_found")
    assert (await _thread(client, exchange.id, fr.teacher))["total"] == 2
    unknown = await client.get(
        f"{API}/exchanges/00000000-0000-4000-8000-000000000000/messages",
        headers=fr.teacher.headers,
    )
    assert unknown.status_code == 404
    assert error_code(unknown) == "not_found"


async def test_blank_or_overlong_text_is_refused_clearly(api: Api, client: AsyncClient) -> None:
    exchange, fr, _, _ = await _pair(api, client)
    for body in ({"text": "   "}, {"text": "x" * 4001}, {}, {"text": "hi", "extra": 1}):
        response = await client.post(
            f"{API}/exchanges/{exchange.id}/messages", json=body, headers=fr.teacher.headers
        )
        assert response.status_code == 422, response.text
        assert error_code(response) == "validation_error"
    blank = await _post(client, exchange.id, fr.teacher, "   ")
    assert [d["field"] for d in blank.json()["error"]["details"]] == ["body.text"]
    assert (await _thread(client, exchange.id, fr.teacher))["total"] == 0


async def test_the_other_readers_are_told_in_their_language_not_the_author(
    api: Api, client: AsyncClient
) -> None:
    exchange, fr, it, marco = await _pair(api, client)
    posted = await _post(client, exchange.id, fr.teacher, "Secret menu plans")
    assert posted.status_code == 201, posted.text
    author_name = posted.json()["author"]["display_name"]
    italian = await _notices(client, it.teacher)
    assert len(italian) == 1
    notice = italian[0]
    assert notice["language"] == "it"
    assert notice["title"] == f"Nuovo messaggio da {author_name} ({fr.org['name']})"
    assert f"{fr.org['name']} (FR)" in notice["body"]
    assert "Secret menu plans" not in notice["body"]
    assert notice["data"] == {"exchange_id": exchange.id, "message_id": posted.json()["id"]}
    assert [n["language"] for n in await _notices(client, it.coordinator)] == ["it"]
    french = await _notices(client, fr.coordinator)
    assert [n["language"] for n in french] == ["fr"]
    assert f"{it.org['name']} (IT)" in french[0]["body"]
    assert await _notices(client, fr.teacher) == []  # not the author
    assert await _notices(client, marco) == []  # not the learners


async def test_paging_and_since(api: Api, client: AsyncClient) -> None:
    exchange, fr, it, _ = await _pair(api, client)
    created = []
    for n in range(3):
        response = await _post(client, exchange.id, fr.teacher if n % 2 else it.teacher, f"m{n}")
        assert response.status_code == 201, response.text
        created.append(response.json())
    page = await _thread(client, exchange.id, fr.teacher, limit=2)
    assert page["total"] == 3
    assert [m["text"] for m in page["items"]] == ["m0", "m1"]
    rest = await _thread(client, exchange.id, fr.teacher, limit=2, offset=2)
    assert [m["text"] for m in rest["items"]] == ["m2"]
    newer = await _thread(client, exchange.id, fr.teacher, since=created[0]["created_at"])
    assert [m["text"] for m in newer["items"]] == ["m1", "m2"]
    assert newer["total"] == 2
    naive = await client.get(
        f"{API}/exchanges/{exchange.id}/messages",
        params={"since": "2026-01-01T10:00:00"},
        headers=fr.teacher.headers,
    )
    assert naive.status_code == 422
    assert error_code(naive) == "validation_error"


async def test_a_proposal_has_a_thread_and_a_declined_exchange_is_read_only(
    api: Api, client: AsyncClient
) -> None:
    fr = await school(api, "FR", "Europe/Paris")
    fi = await school(api, "FI", "Europe/Helsinki")
    network = await api.network([fr.id, fi.id])
    every_day = [{"weekday": d, "start": "00:00", "end": "23:59"} for d in range(7)]
    classes = [
        await api.school_class(
            s.id, [s.teacher.id], **profile(availability=every_day, **current_term(s.zone))
        )
        for s in (fr, fi)
    ]
    run = await start(
        client, fr.coordinator, network_id=network["id"], class_ids=[c["id"] for c in classes]
    )
    exchange_id = run["proposals"][0]["exchange_id"]
    proposal = await client.get(f"{API}/exchanges/{exchange_id}", headers=fi.teacher.headers)
    assert proposal.json()["status"] == "proposed"
    assert {t["id"] for c in proposal.json()["classes"] for t in c["teachers"]} == {
        fr.teacher.id,
        fi.teacher.id,
    }
    asked = await _post(client, exchange_id, fi.teacher, "Do your learners cook fish?")
    assert asked.status_code == 201, asked.text

    declined = await client.post(
        f"{API}/exchanges/{exchange_id}/decline", headers=fr.teacher.headers
    )
    assert declined.status_code == 200, declined.text
    assert all(c["teachers"] == [] for c in declined.json()["classes"])
    closed = await _post(client, exchange_id, fr.teacher, "Sorry!")
    assert closed.status_code == 409, closed.text
    assert error_code(closed) == "exchange_thread_closed"
    thread = await _thread(client, exchange_id, fr.teacher)
    assert [m["text"] for m in thread["items"]] == ["Do your learners cook fish?"]


async def test_an_erased_authors_messages_stay_with_the_author_shown_as_removed(
    api: Api, client: AsyncClient
) -> None:
    exchange, fr, it, _ = await _pair(api, client)
    posted = await _post(client, exchange.id, it.teacher, "Our kitchen is ready")
    assert posted.status_code == 201, posted.text
    name = posted.json()["author"]["display_name"]
    erased = await client.post(f"{API}/users/{it.teacher.id}/erase", headers=api.admin.headers)
    assert erased.status_code == 200, erased.text
    thread = await _thread(client, exchange.id, fr.teacher)
    (message,) = thread["items"]
    assert message["text"] == "Our kitchen is ready"
    assert message["author"] == {
        "id": None,
        "display_name": None,
        "organisation_id": it.id,
        "organisation_name": it.org["name"],
        "removed": True,
    }
    assert name not in str(thread)
