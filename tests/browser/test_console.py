"""The console's other pages: the login, a coordinator's matching run with its explained
proposals, and an exchange page."""

from __future__ import annotations

from playwright.async_api import Browser

from tests.browser.pages import Traffic, check_page, expect, log_in, new_page, undocumented_calls
from tests.browser.server import WebServer
from tests.factories import PASSWORD, Api
from tests.matching.test_matching_api import profile


async def test_a_coordinator_matches_classes(server: WebServer, browser: Browser) -> None:
    api = await Api.start(server.http)
    fr = await api.organisation(country="FR", city="Lyon", timezone="Europe/Paris")
    it = await api.organisation(country="IT", city="Bologna", timezone="Europe/Rome")
    network = await api.network([fr["id"], it["id"]], name="Réseau Hôtellerie")
    coordinator = await api.user("coordinator", fr["id"])
    for org in (fr, it):
        teacher = await api.user("teacher", org["id"])
        await api.school_class(org["id"], [teacher.id], **profile())

    traffic = Traffic()
    page = await new_page(browser, traffic)
    await page.goto(server.base_url + "/")
    await expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    await check_page(page, "login")
    await log_in(page, server.base_url, "/", coordinator.email, PASSWORD)
    await expect(page.get_by_role("heading", name="This week's sessions")).to_be_visible()
    await expect(page).to_have_url(f"{server.base_url}/console")

    await page.get_by_role("link", name="Matching").click()
    await expect(page.get_by_label("Network")).to_have_value(network["id"])
    await page.get_by_role("button", name="Start a matching run").click()
    await expect(page.locator("#run [role=status]")).to_contain_text("done")
    proposal = page.locator("#run li.card").first
    await expect(proposal).to_contain_text("↔")
    await proposal.get_by_text("Why these classes").click()
    await expect(proposal).to_contain_text("Same vocational field")
    await check_page(page, "console-matching")

    await proposal.get_by_role("link", name="Open the exchange").click()
    await expect(page.get_by_role("heading", name="Partner classes")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("Bologna (IT)")
    await expect(page.locator("main")).to_contain_text("This server offers no exchange thread yet.")
    await check_page(page, "console-exchange")

    openapi = (await server.http.get("/openapi.json")).json()
    asyncapi = (await server.http.get("/asyncapi.json")).json()
    assert undocumented_calls(traffic, openapi, asyncapi) == []
    assert traffic.errors == []
