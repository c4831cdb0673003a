"""A guardian opens an invitation link, sets a password, gives live-session consent, and the
minor, refused and told why until then, joins the room."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import Browser

from app.core.tables import utcnow
from tests.browser.pages import Traffic, check_page, expect, log_in, new_page, undocumented_calls
from tests.browser.server import WebServer
from tests.factories import PASSWORD, Api
from tests.family_world import exchange_between, learner, schedule, school

GUARDIAN_EMAIL = "liisa.korhonen@example.org"
GUARDIAN_PASSWORD = "a-long-family-password"


async def test_a_guardian_consents_and_the_minor_joins(server: WebServer, browser: Browser) -> None:
    api = await Api.start(server.http)
    fi = await school(api, "FI", "Europe/Helsinki", city="Salo")
    fr = await school(api, "FR", "Europe/Paris", city="Lyon")
    ville = await learner(api, fi, 12, display_name="Ville Korhonen")  # FI: decides alone at 13
    zoe = await learner(api, fr, 16, display_name="Zoé Martin")
    exchange = await exchange_between(server.http, api, [fi, fr], [[ville], [zoe]])
    start = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=3)
    session = (await schedule(server.http, exchange, start, title="Saaristo ja Provence"))["id"]
    invited = await server.http.post(
        f"/api/v1/learners/{ville.id}/guardian-invites",
        json={"email": GUARDIAN_EMAIL},
        headers=fi.teacher.headers,
    )
    assert invited.status_code == 201, invited.text
    invite_url: str = invited.json()["invite_url"]
    assert invite_url.startswith(f"{server.base_url}/invite/")

    minor_traffic, guardian_traffic = Traffic(), Traffic()
    minor = await new_page(browser, minor_traffic, phone=True, locale="fi-FI")
    await log_in(minor, server.base_url, f"/join/{session}", ville.email, PASSWORD)
    refused = minor.locator("#refused")
    await expect(refused).to_contain_text("Huoltajan suostumus tarvitaan")  # Finnish, as asked
    await expect(refused).to_contain_text("13")
    await check_page(minor, "join-consent-needed")

    guardian = await new_page(browser, guardian_traffic)
    await guardian.goto(invite_url)
    await expect(guardian.get_by_role("heading", name="Accept your invitation")).to_be_visible()
    await check_page(guardian, "invite")
    await guardian.get_by_label("Your name").fill("Liisa Korhonen")
    await guardian.get_by_label("The e-mail address the invitation was sent to").fill(
        GUARDIAN_EMAIL
    )
    await guardian.get_by_label("New password (at least 10 characters)").fill(GUARDIAN_PASSWORD)
    await guardian.get_by_label("Repeat the password").fill(GUARDIAN_PASSWORD)
    await guardian.get_by_role("button", name="Accept and create my account").click()

    await expect(guardian).to_have_url(f"{server.base_url}/family")
    card = guardian.locator("section", has=guardian.get_by_role("heading", name="Ville Korhonen"))
    await expect(card).to_contain_text("Saaristo ja Provence")
    consent = card.locator('[data-purpose="live_sessions"]')
    await expect(consent).to_contain_text("Not allowed")
    await expect(consent).to_contain_text("live online sessions")  # what it allows
    await check_page(guardian, "family")
    await consent.get_by_role("button", name="Allow").click()
    await expect(guardian.locator("#notice")).to_have_text("Consent given.")
    await expect(card.locator('[data-purpose="live_sessions"]')).to_contain_text("Allowed")
    await expect(card.locator('[data-purpose="live_sessions"]').get_by_role("button")).to_have_text(
        "Withdraw"
    )

    await guardian.get_by_label("Language").select_option("fr")
    await expect(guardian.get_by_role("heading", name="Votre famille")).to_be_visible()
    await expect(card.locator('[data-purpose="live_sessions"]')).to_contain_text("Autorisé")
    await guardian.get_by_label("Langue").select_option("en")
    await expect(guardian.get_by_role("heading", name="Your family")).to_be_visible()

    await minor.get_by_role("button", name="Yritä uudelleen").click()
    await expect(minor.locator(".connection")).to_have_text("Yhdistetty")
    await expect(minor.locator("#presence")).to_contain_text("Ville Korhonen")
    await check_page(minor, "join-room-fi")

    await minor.goto(server.base_url + "/")  # a learner's start page: the sessions to join
    await expect(minor.locator("#session-list a")).to_have_attribute("href", f"/join/{session}")
    await check_page(minor, "learner-sessions")

    openapi = (await server.http.get("/openapi.json")).json()
    asyncapi = (await server.http.get("/asyncapi.json")).json()
    for recorded in (minor_traffic, guardian_traffic):
        assert undocumented_calls(recorded, openapi, asyncapi) == []
        assert recorded.errors == []
