"""Browser tests: Playwright driving the system's Chromium (never a downloaded browser) against
the app on a real uvicorn server. Chromium is `PASSERELLE_CHROMIUM` (default /usr/bin/chromium,
Debian's package). Without it the tests are skipped, except in CI (`CI` set), where a missing
browser fails them."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright
from redis.asyncio import Redis

from app.core.settings import Settings
from tests.browser.server import WebServer, web_server
from tests.conftest import _empty_tables

CHROMIUM = os.environ.get("PASSERELLE_CHROMIUM", "/usr/bin/chromium")


def chromium_path() -> str:
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"Chromium not found at {CHROMIUM} (set PASSERELLE_CHROMIUM); CI needs it")
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[WebServer]:
    await _empty_tables(settings.database_url)
    prefix = f"passerelle-web-{secrets.token_hex(6)}:"
    live = settings.model_copy(
        update={
            "ws_room_opens_minutes_before": 600,
            "broker_key_prefix": prefix,
            # the tests move the clock by a minute: no presence may look abandoned meanwhile
            "ws_presence_stale_s": 3600.0,
        }
    )
    async with web_server(live) as running:
        yield running
    if settings.broker_url.startswith("redis"):
        redis: Redis = Redis.from_url(settings.broker_url)
        keys = [k async for k in redis.scan_iter(match=f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    path = chromium_path()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=path, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        try:
            yield launched
        finally:
            await launched.close()
