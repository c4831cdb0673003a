"""Consent of minors through the API: who gives, who withdraws, and when it counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from httpx import AsyncClient

from tests.factories import Api
from tests.family_world import (
    API,
    consents,
    error_code,
    exchange_between,
    guardian_of,
    item,
    learner,
    local_today,
    schedule,
    school,
    years_before,
)


async def test_a_14_year_old_in_germany_needs_a_guardian(api: Api, client: AsyncClient) -> None:
    de = await school(api, "DE", "Europe/Berlin")
    lena = await learner(api, de, 14)
    guardian = await guardian_of(api, lena)
    url = f"{API}/learners/{lena.id}/consents"

    before = await consents(client, lena.id, lena)
    assert before["country"] == "DE"
    assert before["consent_age"] == 16
    assert before["guardian_required"] is True
    assert [i["purpose"] for i in before["items"]] == [
        "live_sessions",
        "chat",
        "share_with_partner_school",
    ]
    live = item(before, "live_sessions")
    assert live["status"] == "none"
    assert live["effective"] is False
    assert live["may_give"] is False
    assert "give" not in live["links"]

    refused = await client.post(url, json={"purpose": "live_sessions"}, headers=lena.headers)
    assert refused.status_code == 403
    assert error_code(refused) == "guardian_consent_required"
    assert "16" in refused.json()["error"]["message"]

    as_guardian = await consents(client, lena.id, guardian)
    assert item(as_guardian, "live_sessions")["links"]["give"] == {
        "method": "POST",
        "href": url,
        "body": {"purpose": "live_sessions"},
    }
    given = await client.post(url, json={"purpose": "live_sessions"}, headers=guardian.headers)
    assert given.status_code == 201, given.text
    body = given.json()
    assert body["status"] == "given"
    assert body["effective"] is True
    assert body["given_by_role"] == "guardian"
    assert body["legal_basis"] == "gdpr_art_8_1"
    assert body["notice_version"]
    assert body["links"]["withdraw"] == {
        "method": "DELETE",
        "href": f"{url}/live_sessions",
        "body": None,
    }

    seen_by_learner = item(await consents(client, lena.id, lena), "live_sessions")
    assert seen_by_learner["effective"] is True
    assert seen_by_learner["may_withdraw"] is True  # withdrawing only ever stops processing
    assert item(await consents(client, lena.id, lena), "chat")["effective"] is False

    withdrawn = await client.delete(f"{url}/live_sessions", headers=guardian.headers)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["withdrawn_at"] is not None

    after = item(await consents(client, lena.id, lena), "live_sessions")
    assert after["effective"] is False
    assert after["status"] == "withdrawn"

    again = await client.delete(f"{url}/live_sessions", headers=guardian.headers)
    assert again.status_code == 409
    assert error_code(again) == "consent_not_given"


async def test_a_14_year_old_in_italy_consents_alone(api: Api, client: AsyncClient) -> None:
    it = await school(api, "IT", "Europe/Rome")
    marco = await learner(api, it, 14)
    guardian = await guardian_of(api, marco)
    url = f"{API}/learners/{marco.id}/consents"

    overview = await consents(client, marco.id, marco)
    assert overview["consent_age"] == 14
    assert overview["guardian_required"] is False
    assert item(overview, "chat")["effective"] is True  # nothing said: not refused

    by_guardian = await client.post(url, json={"purpose": "chat"}, headers=guardian.headers)
    assert by_guardian.status_code == 403
    assert error_code(by_guardian) == "learner_decides"

    given = await client.post(url, json={"purpose": "chat"}, headers=marco.headers)
    assert given.status_code == 201, given.text
    assert given.json()["given_by_role"] == "learner"
    assert given.json()["legal_basis"] == "gdpr_art_6_1_a"

    repeated = await client.post(url, json={"purpose": "chat"}, headers=marco.headers)
    assert repeated.status_code == 200
    assert repeated.json()["given_at"] == given.json()["given_at"]

    guardian_withdraws = await client.delete(f"{url}/chat", headers=guardian.headers)
    assert guardian_withdraws.status_code == 403
    assert error_code(guardian_withdraws) == "learner_decides"
    assert item(await consents(client, marco.id, guardian), "chat")["effective"] is True

    withdrawn = await client.delete(f"{url}/chat", headers=marco.headers)
    assert withdrawn.status_code == 200
    assert item(await consents(client, marco.id, marco), "chat")["effective"] is False


async def test_a_learner_at_the_age_objects_without_an_earlier_grant(
    api: Api, client: AsyncClient
) -> None:
    fi = await school(api, "FI", "Europe/Helsinki")
    aino = await learner(api, fi, 17)
    url = f"{API}/learners/{aino.id}/consents"

    objected = await client.delete(f"{url}/share_with_partner_school", headers=aino.headers)
    assert objected.status_code == 200, objected.text
    assert objected.json()["status"] == "withdrawn"
    assert objected.json()["given_by_role"] is None
    assert objected.json()["effective"] is False
    assert objected.json()["links"]["give"]["method"] == "POST"

    regiven = await client.post(
        url, json={"purpose": "share_with_partner_school"}, headers=aino.headers
    )
    assert regiven.status_code == 201
    assert regiven.json()["effective"] is True


async def test_the_age_is_computed_on_the_day(api: Api, client: AsyncClient) -> None:
    de = await school(api, "DE", "Europe/Berlin")
    tomorrow = local_today(de.zone) + timedelta(days=1)
    jonas = await learner(api, de, 0, birth_date=years_before(tomorrow, 16).isoformat())
    born_today = await learner(
        api, de, 0, birth_date=years_before(local_today(de.zone), 16).isoformat()
    )

    overview = await consents(client, jonas.id, jonas)
    assert overview["guardian_required"] is True  # 16 tomorrow: still 15 today
    assert overview["today"] == local_today(de.zone).isoformat()
    refused = await client.post(
        f"{API}/learners/{jonas.id}/consents", json={"purpose": "chat"}, headers=jonas.headers
    )
    assert refused.status_code == 403
    assert error_code(refused) == "guardian_consent_required"

    assert (await consents(client, born_today.id, born_today))["guardian_required"] is False
    own = await client.post(
        f"{API}/learners/{born_today.id}/consents",
        json={"purpose": "chat"},
        headers=born_today.headers,
    )
    assert own.status_code == 201


async def test_bad_purposes_are_invalid_input(api: Api, client: AsyncClient) -> None:
    it = await school(api, "IT", "Europe/Rome")
    marco = await learner(api, it, 15)
    url = f"{API}/learners/{marco.id}/consents"

    unknown = await client.post(url, json={"purpose": "marketing"}, headers=marco.headers)
    assert unknown.status_code == 422
    assert error_code(unknown) == "validation_error"
    assert unknown.json()["error"]["details"][0]["field"] == "body.purpose"

    extra = await client.post(url, json={"purpose": "chat", "by": "x"}, headers=marco.headers)
    assert extra.status_code == 422

    unknown_delete = await client.delete(f"{url}/marketing", headers=marco.headers)
    assert unknown_delete.status_code == 422
    assert unknown_delete.json()["error"]["details"][0]["field"] == "path.purpose"


async def test_who_sees_and_who_acts(api: Api, client: AsyncClient) -> None:
    de = await school(api, "DE", "Europe/Berlin")
    fr = await school(api, "FR", "Europe/Paris")
    await api.network([de.id, fr.id])  # partners: they still never see the consents
    lena = await learner(api, de, 14)
    classmate = await learner(api, de, 14)
    guardian = await guardian_of(api, lena)
    other_guardian = await guardian_of(api, classmate)
    url = f"{API}/learners/{lena.id}/consents"

    for allowed in (lena, guardian, de.teacher, de.coordinator, api.admin):
        response = await client.get(url, headers=allowed.headers)
        assert response.status_code == 200, (allowed.role, response.text)
    for outsider in (classmate, other_guardian, fr.teacher, fr.coordinator):
        response = await client.get(url, headers=outsider.headers)
        assert response.status_code == 404, (outsider.role, response.text)
        assert error_code(response) == "not_found"
        response = await client.post(url, json={"purpose": "chat"}, headers=outsider.headers)
        assert response.status_code == 404
    for staff in (de.teacher, de.coordinator, api.admin):
        response = await client.post(url, json={"purpose": "chat"}, headers=staff.headers)
        assert response.status_code == 403, response.text
        assert error_code(response) == "forbidden"
        response = await client.delete(f"{url}/chat", headers=staff.headers)
        assert response.status_code == 403
    unknown = await client.get(
        f"{API}/learners/{fr.teacher.id}/consents", headers=api.admin.headers
    )
    assert unknown.status_code == 404  # not a learner
    assert (await client.get(url)).status_code == 401


async def test_no_room_ticket_without_the_guardians_consent(api: Api, client: AsyncClient) -> None:
    de = await school(api, "DE", "Europe/Berlin")
    it = await school(api, "IT", "Europe/Rome")
    lena = await learner(api, de, 14)
    marco = await learner(api, it, 14)
    guardian = await guardian_of(api, lena)
    exchange = await exchange_between(client, api, [de, it], [[lena], [marco]])
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=5)
    session = await schedule(client, exchange, soon)
    tickets = f"{API}/sessions/{session['id']}/tickets"

    refused = await client.post(tickets, headers=lena.headers)
    assert refused.status_code == 403, refused.text
    assert error_code(refused) == "consent_required"
    italian = await client.post(tickets, headers=marco.headers)  # 14 is the age in Italy
    assert italian.status_code == 201, italian.text
    assert (await client.post(tickets, headers=de.teacher.headers)).status_code == 201

    given = await client.post(
        f"{API}/learners/{lena.id}/consents",
        json={"purpose": "live_sessions"},
        headers=guardian.headers,
    )
    assert given.status_code == 201
    admitted = await client.post(tickets, headers=lena.headers)
    assert admitted.status_code == 201, admitted.text

    withdrawn = await client.delete(
        f"{API}/learners/{lena.id}/consents/live_sessions", headers=lena.headers
    )
    assert withdrawn.status_code == 200
    refused_again = await client.post(tickets, headers=lena.headers)
    assert refused_again.status_code == 403
    assert error_code(refused_again) == "consent_required"
