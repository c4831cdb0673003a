"""A planned session of three activities (a quiz, a word cloud, a glossary) over real
WebSockets, with learners from France and Finland and a late joiner; then the stored results,
the glossary and the reflections over HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

from httpx import AsyncClient

from tests.factories import Actor
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient, LiveServer, assert_contiguous, new_session

API = "/api/v1"


async def builtin(http: AsyncClient, actor: Actor, kind: str) -> dict[str, Any]:
    response = await http.get(f"{API}/activities", params={"kind": kind}, headers=actor.headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = next(
        a for a in response.json()["items"] if a["owner_organisation_id"] is None
    )
    return found


def kind_of(kind: str) -> Any:
    return lambda f: f["type"] == kind


async def test_a_planned_session_of_three_activities(server: LiveServer, world: World) -> None:
    http = server.http
    session_id = await new_session(http, world.exchange, world.t_fr)
    quiz, cloud, words = [
        await builtin(http, world.t_fr, kind) for kind in ("quiz", "wordcloud", "glossary")
    ]
    plan = await http.put(
        f"{API}/sessions/{session_id}/plan",
        json={"items": [{"activity_id": quiz["id"], "minutes": 10}, {"activity_id": cloud["id"]},
                        {"activity_id": words["id"]}]},
        headers=world.t_fi.headers,
    )  # fmt: skip
    assert plan.status_code == 200, plan.text
    assert [i["kind"] for i in plan.json()["items"]] == ["quiz", "wordcloud", "glossary"]
    refused = await http.put(
        f"{API}/sessions/{session_id}/plan", json={"items": []}, headers=world.outsider.headers
    )
    assert refused.status_code == 404

    t_fr = await LiveClient.join(server, world.t_fr, session_id)
    t_fi = await LiveClient.join(server, world.t_fi, session_id)
    fr, fi = world.learners_fr[:3], world.learners_fi[:3]
    learners = list(
        await asyncio.gather(*(LiveClient.join(server, a, session_id) for a in fr + fi))
    )
    everyone = [t_fr, t_fi, *learners]
    assert (await learners[0].command("chat.send", text="Bonjour !"))["type"] == "ack"

    # Only teachers start; the quiz shows its questions, never the right answers.
    assert (await learners[0].command("activity.start", index=0))["code"] == "forbidden"
    assert (await t_fr.command("activity.start", index=7))["code"] == "not_planned"
    assert (await t_fr.command("activity.start", index=0))["type"] == "ack"
    for client in everyone:
        started = await client.wait_for(kind_of("activity.started"))
        assert (started["index"], started["kind"]) == (0, "quiz")
        assert started["title"]["fi"] == "Kulttuurivisa"
        assert started["content"]["minutes"] == 10
        assert all("answer" not in q for q in started["content"]["questions"])
    assert (await t_fr.command("activity.start", index=1))["code"] == "activity_running"

    # Answers: France all right on question 0; Finland one right of three.
    choices = [1, 1, 1, 1, 0, 2]
    acks = await asyncio.gather(
        *(
            c.command("quiz.answer", question=0, option=o)
            for c, o in zip(learners, choices, strict=True)
        )
    )
    assert {a["type"] for a in acks} == {"ack"}
    again = await learners[0].command("quiz.answer", question=0, option=2)
    assert again["code"] == "already_answered"
    assert (await t_fr.command("quiz.answer", question=0, option=1))["code"] == "forbidden"
    assert (await learners[1].command("quiz.answer", question=9, option=0))["code"] == (
        "invalid_question"
    )
    results = (await t_fi.wait_count(kind_of("quiz.results"), 6))[-1]
    assert results["questions"][0]["counts"] == [1, 4, 1]
    by_country = {g["country"]: g for g in results["by_country"]}
    assert by_country["FR"]["score"] == 1.0
    assert by_country["FI"]["correct"] == 1
    assert {g["class_id"] for g in results["by_class"]} == {world.class_fr, world.class_fi}
    assert "user_id" not in str(results)  # scores by class and country, never by learner

    # A late joiner sees the running quiz, its results so far, and the recent chat.
    late = await LiveClient.join(server, world.learners_fi[5], session_id)
    state = late.welcome["state"]["activity"]
    assert (state["kind"], state["index"]) == ("quiz", 0)
    assert state["results"]["questions"][0]["counts"] == [1, 4, 1]
    assert [m["text"] for m in late.welcome["chat"]] == ["Bonjour !"]
    assert (await late.command("quiz.answer", question=1, option=1))["type"] == "ack"
    everyone.append(late)

    assert (await t_fi.command("activity.end"))["type"] == "ack"
    ended = await late.wait_for(kind_of("activity.ended"))
    assert ended["results"]["answers"] == [1, 1, 1]
    assert (await learners[2].command("quiz.answer", question=2, option=1))["code"] == (
        "no_activity"
    )

    # The word cloud: words counted across classes; a blocked word refused.
    assert (await t_fr.command("activity.start", index=1))["type"] == "ack"
    sent = ["Teamwork", "teamwork ", "Sisu", "Accueil", "Teamwork", "Hôtel"]
    acks = await asyncio.gather(
        *(c.command("wordcloud.submit", word=w) for c, w in zip(learners, sent, strict=True))
    )
    assert {a["type"] for a in acks} == {"ack"}
    blocked = await late.command("wordcloud.submit", word="Idiootti")
    assert blocked["code"] == "word_blocked"
    assert (await learners[0].command("wordcloud.submit", word="TEAMWORK"))["code"] == (
        "already_submitted"
    )
    cloud_now = (await t_fr.wait_count(kind_of("wordcloud.updated"), 6))[-1]
    assert cloud_now["words"][0] == {"word": "teamwork", "count": 3}
    assert {w["word"] for w in cloud_now["words"]} == {"teamwork", "sisu", "accueil", "hôtel"}
    assert (await t_fr.command("activity.end"))["type"] == "ack"

    # The glossary: teachers and learners add terms; the same term merges translations.
    assert (await t_fi.command("activity.start", index=2))["type"] == "ack"
    added = await learners[0].command(
        "glossary.add", term="Mise en place", translations={"fr": "mise en place", "en": "prep"}
    )
    assert added["type"] == "ack"
    merged = await learners[3].command(
        "glossary.add", term="mise  en PLACE", translations={"fi": "esivalmistelu"}
    )
    assert merged["type"] == "ack"
    assert (await t_fi.command("glossary.add", term="Sauna", translations={"it": "sauna"}))[
        "type"
    ] == "ack"
    entries = await t_fr.wait_count(kind_of("glossary.added"), 3)
    assert entries[1]["translations"] == {
        "en": "prep",
        "fi": "esivalmistelu",
        "fr": "mise en place",
    }
    assert entries[1]["entry_id"] == entries[0]["entry_id"]
    assert entries[1]["added_by"]["country"] == "FI"
    assert (await t_fi.command("activity.end"))["type"] == "ack"

    for client in everyone:
        await client.wait_for(lambda f: f["type"] == "activity.ended" and f["index"] == 2)
        assert_contiguous(client)
    assert (await t_fr.command("session.end"))["type"] == "ack"
    await asyncio.gather(*(c.wait_closed() for c in everyone))

    # Afterwards: the stored results, in plan order, and the exchange's glossary.
    stored = await http.get(
        f"{API}/sessions/{session_id}/activity-results", headers=world.t_fi.headers
    )
    assert stored.status_code == 200, stored.text
    body = stored.json()
    assert [r["kind"] for r in body["items"]] == ["quiz", "wordcloud", "glossary"]
    quiz_stored = body["items"][0]["results"]
    assert quiz_stored["questions"][0]["counts"] == [1, 4, 1]
    assert quiz_stored["questions"][1]["counts"] == [0, 1, 0]
    assert body["items"][1]["results"]["words"][0] == {"word": "teamwork", "count": 3}
    assert body["items"][2]["results"] is None
    assert all(r["ended_at"] is not None for r in body["items"])
    assert {g["term"] for g in body["glossary"]} == {"Mise en place", "Sauna"}
    glossary = await http.get(
        f"{API}/exchanges/{world.exchange}/glossary", headers=world.learners_fi[0].headers
    )
    assert glossary.status_code == 200
    terms = {g["term"]: g["translations"] for g in glossary.json()["items"]}
    assert terms["Mise en place"]["fi"] == "esivalmistelu"

    # Reflections: each learner who attended may answer, once; teachers of the exchange read.
    pending = await http.get(
        f"{API}/learners/{fr[0].id}/reflections/pending", headers=fr[0].headers
    )
    assert session_id in {p["session_id"] for p in pending.json()["items"]}
    answer = {"answers": {"learned": "They start work at seven.", "surprised": "Sauna!"}}
    url = f"{API}/sessions/{session_id}/reflections"
    assert (await http.post(url, json=answer, headers=fr[0].headers)).status_code == 201
    assert (await http.post(url, json=answer, headers=fr[0].headers)).status_code == 409
    absent = world.learners_fr[10]
    assert (await http.post(url, json=answer, headers=absent.headers)).status_code == 403
    read = await http.get(
        f"{API}/exchanges/{world.exchange}/reflections", headers=world.t_fi.headers
    )
    assert read.status_code == 200
    mine = [r for r in read.json()["items"] if r["session_id"] == session_id]
    assert [(r["learner_id"], r["class_id"]) for r in mine] == [(fr[0].id, world.class_fr)]
    learner_read = await http.get(
        f"{API}/exchanges/{world.exchange}/reflections", headers=fr[1].headers
    )
    assert learner_read.status_code == 403
