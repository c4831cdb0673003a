"""A whole live session in real browsers: a teacher in the console and three learners from two
countries on phones, each in their own browser context."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from playwright.async_api import Browser, Locator, Page

from app.core.tables import utcnow
from tests.browser.pages import (
    ARTIFACTS,
    Traffic,
    check_page,
    expect,
    log_in,
    new_page,
    undocumented_calls,
)
from tests.browser.server import WebServer
from tests.factories import PASSWORD, Actor, Api
from tests.family_world import exchange_between, learner, schedule, school

TITLE = "Regional dishes"


def message(page: Page, text: str) -> Locator:
    return page.locator(".chat-log li", has_text=text)


async def send(page: Page, text: str) -> None:
    await page.get_by_label("Message").fill(text)
    await page.get_by_label("Message").press("Enter")


async def test_a_whole_session(server: WebServer, browser: Browser) -> None:
    api = await Api.start(server.http)
    fr = await school(api, "FR", "Europe/Paris", city="Lyon")
    fi = await school(api, "FI", "Europe/Helsinki", city="Salo")
    lea = await learner(api, fr, 17, display_name="Léa Moreau")
    hugo = await learner(api, fr, 17, display_name="Hugo Lefèvre")
    camille = await learner(api, fr, 17, display_name="Camille Roux")  # never joins
    aino = await learner(api, fi, 17, display_name="Aino Virtanen")
    exchange = await exchange_between(server.http, api, [fr, fi], [[lea, hugo, camille], [aino]])
    start = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=3)
    session = (await schedule(server.http, exchange, start, title=TITLE))["id"]
    server.clock.offset = start - timedelta(minutes=1) - utcnow()  # the room is open, early

    traffic = {name: Traffic() for name in ("teacher", "lea", "hugo", "aino")}
    teacher = await new_page(browser, traffic["teacher"])
    await log_in(teacher, server.base_url, "/console", fr.teacher.email, PASSWORD)
    await expect(teacher.get_by_role("heading", name="This week's sessions")).to_be_visible()
    paris = ZoneInfo("Europe/Paris")
    monday = utcnow().astimezone(paris).date() - timedelta(
        days=utcnow().astimezone(paris).weekday()
    )
    if start.astimezone(paris).date() < monday + timedelta(days=7):
        item = teacher.locator(f'[data-session-id="{session}"]')
        await expect(item).to_contain_text(TITLE)
        await expect(item).to_contain_text("(Europe/Helsinki)")
        await check_page(teacher, "console-week")
        await item.get_by_role("link", name="Open the live room").click()
    else:  # the session falls in next week (a run late on a Sunday)
        await teacher.goto(f"{server.base_url}/console#room/{session}")
    await expect(teacher.locator(".connection")).to_have_text("Connected")

    learners: dict[str, Page] = {}
    for key, who in (("lea", lea), ("hugo", hugo), ("aino", aino)):
        page = await new_page(browser, traffic[key], phone=True)
        await log_in(page, server.base_url, f"/join/{session}", who.email, PASSWORD)
        await expect(page.locator(".connection")).to_have_text("Connected")
        learners[who.id] = page
    pl, ph, pa = learners[lea.id], learners[hugo.id], learners[aino.id]
    for name in ("Léa Moreau", "Hugo Lefèvre", "Aino Virtanen"):
        await expect(teacher.locator("#presence")).to_contain_text(name)
    await expect(teacher.locator(".presence-group h3", has_text="FI")).to_be_visible()
    await expect(teacher.locator(".presence-group h3", has_text="FR")).to_be_visible()
    server.clock.offset = start - utcnow()  # everyone is in: the session starts now

    await play_chat_poll_breakout(teacher, pl, ph, pa)
    await check_page(teacher, "console-room")
    await check_page(pa, "join-room")
    await cut_the_network(teacher, pl, pa, traffic["aino"])
    server.clock.offset += timedelta(minutes=10)  # the session goes on for ten minutes

    await teacher.get_by_role("button", name="End the session for everyone").click()
    await teacher.get_by_role("button", name="Confirm: end the session").click()
    for page in (pl, ph, pa):
        await expect(page.locator(".connection")).to_have_text("The session has ended. Thank you!")
    await teacher.get_by_role("link", name="See the attendance sheet").click()
    await attendance_sheet(teacher, [lea, hugo, aino], camille)

    openapi = (await server.http.get("/openapi.json")).json()
    asyncapi = (await server.http.get("/asyncapi.json")).json()
    for recorded in traffic.values():
        assert undocumented_calls(recorded, openapi, asyncapi) == []
        assert recorded.errors == []


async def play_chat_poll_breakout(teacher: Page, pl: Page, ph: Page, pa: Page) -> None:
    everyone = (teacher, pl, ph, pa)
    await send(pl, "Bonjour from Lyon!")
    await send(pa, "Terveisiä Salosta!")
    for page in everyone:
        await expect(message(page, "Bonjour from Lyon!")).to_have_count(1)
        await expect(message(page, "Terveisiä Salosta!")).to_contain_text("Aino Virtanen (FI)")

    await send(ph, "oops, wrong window")
    await expect(message(teacher, "oops, wrong window")).to_have_count(1)
    await message(teacher, "oops, wrong window").get_by_role("button").click()
    for page in everyone:
        await expect(message(page, "oops, wrong window")).to_have_count(0)
        await expect(page.locator(".chat-log .deleted")).to_have_count(1)

    await teacher.get_by_label("Question").fill("Which dish do we cook first?")
    await teacher.get_by_label("Options").fill("Quiche\nKarjalanpiirakka\nTiramisu")
    await teacher.get_by_role("button", name="Start the poll").click()
    for page, choice in ((pl, "Quiche"), (ph, "Quiche"), (pa, "Karjalanpiirakka")):
        await page.get_by_role("button", name=choice).click()
        await expect(page.get_by_role("button", name=choice)).to_have_attribute(
            "aria-pressed", "true"
        )
    await expect(teacher.locator('#poll [data-option="0"] .count')).to_have_text("2 votes")
    await expect(teacher.locator('#poll [data-option="1"] .count')).to_have_text("1 votes")
    await expect(pa.locator('#poll [data-option="0"] .count')).to_have_text("2 votes")
    await teacher.get_by_role("button", name="Close the poll").click()
    for page in (pl, ph, pa):
        await expect(page.locator("#poll")).to_contain_text("Poll closed")

    await teacher.get_by_label("Group size").fill("2")
    await teacher.get_by_role("button", name="Start breakout groups").click()
    await expect(pa.locator("#breakout .my-group")).to_contain_text("(FR)")  # groups mix countries
    for page in (pl, ph):
        await expect(page.locator("#breakout .my-group")).to_contain_text("Your group")
    await expect(teacher.locator("#breakout li")).not_to_have_count(0)
    await teacher.get_by_role("button", name="End the breakout").click()
    for page in (pl, ph, pa):
        await expect(page.locator("#breakout")).to_contain_text("No breakout groups right now.")

    await ph.get_by_role("button", name="Raise my hand").click()
    await expect(ph.get_by_role("button", name="Your hand is raised")).to_be_disabled()
    await expect(teacher.locator("#hands-list")).to_contain_text("Hugo Lefèvre")
    await pa.get_by_role("button", name="Applause").click()
    await expect(teacher.locator("#reactions")).to_contain_text("Aino Virtanen 👏")


async def cut_the_network(teacher: Page, pl: Page, pa: Page, traffic: Traffic) -> None:
    """Aino's network is cut for five seconds; she then sees every message she missed, once."""
    welcomes_before = len(_welcomes(traffic))
    await pa.context.set_offline(True)
    await expect(pa.locator(".connection")).to_contain_text("offline")
    await send(teacher, "Missed while offline: one")
    await send(pl, "Missed while offline: two")
    await expect(message(teacher, "Missed while offline: two")).to_have_count(1)
    await asyncio.sleep(5)  # the cut lasts five seconds, as in the issue
    await pa.context.set_offline(False)
    await expect(pa.locator(".connection")).to_have_text("Connected")
    await expect(pa.locator("#notice")).to_contain_text("Reconnected: nothing was lost")
    for text in ("Missed while offline: one", "Missed while offline: two"):
        await expect(message(pa, text)).to_have_count(1)
    for text in ("Bonjour from Lyon!", "Terveisiä Salosta!"):
        await expect(message(pa, text)).to_have_count(1)
    welcomes = _welcomes(traffic)
    assert len(welcomes) == welcomes_before + 1
    assert welcomes[-1]["recovered"] is True
    assert welcomes[-1]["missed"] >= 2
    resumed = parse_qs(urlsplit(traffic.sockets[-1]).query)
    assert resumed["last_seq"] != ["0"]
    assert resumed["epoch"] == [welcomes[-1]["epoch"]]
    await send(pa, "Back again")
    await expect(message(teacher, "Back again")).to_have_count(1)


def _welcomes(traffic: Traffic) -> list[dict[str, Any]]:
    return [f for f in traffic.received if f["type"] == "welcome"]


async def attendance_sheet(teacher: Page, joined: list[Actor], absent: Actor) -> None:
    """Each learner's status: those who were in the room from the start are present."""
    sheet = teacher.locator("#attendance-sheet")
    for who in joined:
        await expect(sheet.locator(f'tr[data-learner-id="{who.id}"]')).to_have_attribute(
            "data-status", "present"
        )
    row = sheet.locator(f'tr[data-learner-id="{absent.id}"]')
    await expect(row).to_have_attribute("data-status", "absent")
    await check_page(teacher, "console-attendance")
    await row.get_by_role("combobox").select_option("excused")
    await row.get_by_role("textbox").fill("A note from home")
    await row.get_by_role("button", name="Save").click()
    await expect(sheet.locator(f'tr[data-learner-id="{absent.id}"]')).to_have_attribute(
        "data-status", "excused"
    )
    await expect(sheet.locator(f'tr[data-learner-id="{absent.id}"]')).to_contain_text(
        "(set by hand)"
    )
    async with teacher.expect_download() as download_info:
        await teacher.get_by_role("button", name="Download CSV").click()
    download = await download_info.value
    target = ARTIFACTS / "attendance.csv"
    await download.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    for name in ("Léa Moreau", "Hugo Lefèvre", "Aino Virtanen", "Camille Roux"):
        assert name in text
