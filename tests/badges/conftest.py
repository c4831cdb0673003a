"""Badge tests run the app on a clock they move, with a signing key of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from app.badges.keys import generate_jwk
from app.core.clock import ManualClock
from app.core.settings import Settings
from app.factory import create_app
from tests.conftest import _empty_tables


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.now(UTC).replace(second=0, microsecond=0))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"badge_signing_key": generate_jwk()})


@pytest.fixture
async def application(settings: Settings, clock: ManualClock) -> AsyncIterator[FastAPI]:
    await _empty_tables(settings.database_url)
    application = create_app(settings, clock=clock)
    async with LifespanManager(application):
        yield application
