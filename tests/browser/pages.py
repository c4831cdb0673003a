"""Helpers for driving the web client: browser contexts that record what they call, logging
in, axe-core checks and screenshots."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    ViewportSize,
    WebSocket,
)
from playwright.async_api import expect as _expect

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("PASSERELLE_TEST_ARTIFACTS", ROOT / "test-artifacts"))
PHONE = ViewportSize(width=375, height=740)
DESKTOP = ViewportSize(width=1280, height=800)
WAIT_MS = 15_000

expect = _expect
expect.set_options(timeout=WAIT_MS)


@dataclass
class Traffic:
    """Every API call and WebSocket frame the client made or received, and its console errors."""

    requests: set[tuple[str, str]] = field(default_factory=set)
    sent: list[dict[str, Any]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sockets: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.errors.append(message.text)

    def websocket(self, socket: WebSocket) -> None:
        self.sockets.append(socket.url)
        socket.on("framesent", lambda payload: self.sent.append(_frame(payload)))
        socket.on("framereceived", lambda payload: self.received.append(_frame(payload)))


def _frame(payload: str | bytes) -> dict[str, Any]:
    frame: dict[str, Any] = json.loads(payload)
    return frame


async def new_page(
    browser: Browser, traffic: Traffic, *, phone: bool = False, locale: str = "en-GB"
) -> Page:
    """A page in its own context (its own storage: one person), axe-core injected."""
    context: BrowserContext = await browser.new_context(
        viewport=PHONE if phone else DESKTOP, locale=locale, accept_downloads=True
    )
    await context.add_init_script(path=str(AXE))
    page = await context.new_page()
    page.on("console", traffic.console)
    page.on("pageerror", lambda error: traffic.errors.append(f"page error: {error}"))
    page.on("websocket", traffic.websocket)
    page.on(
        "request",
        lambda request: traffic.requests.add((request.method, urlsplit(request.url).path)),
    )
    return page


async def log_in(page: Page, base_url: str, path: str, email: str, password: str) -> None:
    """Opens `path`; the client sends a stranger to the login, and back after it (in any
    language: the fields are found by their ids)."""
    await page.goto(base_url + path)
    form = page.locator("#login-form")
    await expect(form).to_be_visible()
    await form.locator("#email").fill(email)
    await form.locator("#password").fill(password)
    await form.locator("[type=submit]").click()


async def check_page(page: Page, name: str) -> None:
    """axe-core finds no serious or critical violation; the page fits 375 px; screenshots at
    1280 and 375 px go to the test artefacts."""
    violations = await page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => ({id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target)}));
        }"""
    )
    assert violations == [], f"{name}: {json.dumps(violations, indent=1)}"
    size = page.viewport_size or DESKTOP
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for viewport in (DESKTOP, PHONE):
        await page.set_viewport_size(viewport)
        await page.screenshot(path=str(folder / f"{name}-{viewport['width']}.png"), full_page=True)
        if viewport is PHONE:
            overflow = await page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{name}: {overflow}px wider than a 375 px screen"
    await page.set_viewport_size(size)


def _operation_pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$")


def undocumented_calls(
    traffic: Traffic, openapi: dict[str, Any], asyncapi: dict[str, Any]
) -> list[str]:
    """API calls and room commands the documents do not describe, and room frames received
    that they do not describe either."""
    operations = [
        (method.upper(), _operation_pattern(path))
        for path, item in openapi["paths"].items()
        for method in item
    ]
    wrong = [
        f"{method} {path}"
        for method, path in sorted(traffic.requests)
        if path.startswith("/api/")
        and not any(m == method and p.match(path) for m, p in operations)
    ]
    operations_by_name = asyncapi["operations"]

    def names(operation: str) -> set[str]:
        return {ref["$ref"].rsplit("/", 1)[1] for ref in operations_by_name[operation]["messages"]}

    commands = names("sendCommand")
    events = names("receiveRoomEvent") | names("receiveDirectEvent")
    wrong += [f"sent {f['type']}" for f in traffic.sent if f.get("type") not in commands]
    wrong += [f"received {f['type']}" for f in traffic.received if f.get("type") not in events]
    return wrong
