"""What the consent view offers is what the API then does, and a refusal names who can
change it: a guardian for a minor, the learner themself from the consent age on."""

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
    schedule,
    school,
)


async def test_may_withdraw_is_offered_only_when_a_withdrawal_would_succeed(
    api: Api, client: AsyncClient
) -> None:
    de = await school(api, "DE", "Europe/Berlin")
    lena = await learner(api, de, 14)  # below Germany's age of 16: a guardian consents
    guardian = await guardian_of(api, lena)
    adult = await learner(api, de, 19)
    for who, actor in (("lena", lena), ("guardian", guardian)):
        for purpose_state in (await consents(client, lena.id, actor))["items"]:
            if purpose_state["status"] != "given":
                assert purpose_state["may_withdraw"] is False, (who, purpose_state)
    url = f"{API}/learners/{lena.id}/consents"
    refused = await client.delete(f"{url}/live_sessions", headers=guardian.headers)
    assert refused.status_code == 409
    assert error_code(refused) == "consent_not_given"

    # An adult with nothing on record may object: the view offers it, and it works once.
    silent = item(await consents(client, adult.id, adult), "live_sessions")
    assert silent["status"] == "none"
    assert silent["may_withdraw"] is True
    objected = await client.delete(
        f"{API}/learners/{adult.id}/consents/live_sessions", headers=adult.headers
    )
    assert objected.status_code == 200, objected.text
    after = item(await consents(client, adult.id, adult), "live_sessions")
    assert after["status"] == "withdrawn"
    assert after["may_withdraw"] is False


async def test_a_refused_ticket_says_who_can_give_the_consent(
    api: Api, client: AsyncClient
) -> None:
    fr = await school(api, "FR", "Europe/Paris")
    it = await school(api, "IT", "Europe/Rome")
    adult = await learner(api, fr, 19)
    minor = await learner(api, it, 12)  # below Italy's 14, no guardian consent yet
    exchange = await exchange_between(client, api, [fr, it], [[adult], [minor]])
    live = await schedule(client, exchange, datetime.now(UTC) + timedelta(days=2))
    withdrawn = await client.delete(
        f"{API}/learners/{adult.id}/consents/live_sessions", headers=adult.headers
    )
    assert withdrawn.status_code == 200, withdrawn.text

    tickets = f"{API}/sessions/{live['id']}/tickets"
    own = await client.post(tickets, headers=adult.headers)
    assert own.status_code == 403
    assert error_code(own) == "consent_required"
    message = own.json()["error"]["message"]
    assert "guardian" not in message.lower()
    assert "give it again" in message

    theirs = await client.post(tickets, headers=minor.headers)
    assert theirs.status_code == 403
    assert error_code(theirs) == "consent_required"
    assert "guardian" in theirs.json()["error"]["message"].lower()
