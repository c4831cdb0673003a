"""Mobility tests run the app on a clock they move (`clock`), with e-mail on (an SMTP URL
nobody listens to and a sender that never polls: the outbox rows are what is checked) and a
background sweep that never comes round: the tests call `sweep` themselves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from app.core.clock import ManualClock
from app.core.settings import Settings
from app.factory import create_app
from tests.conftest import _empty_tables


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.now(UTC).replace(second=0, microsecond=0))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "smtp_url": "smtp://127.0.0.1:9?from=mobility@passerelle.example",
            "outbox_poll_seconds": 3600.0,
            "mobility_sweep_seconds": 3600.0,
        }
    )


@pytest.fixture
async def application(settings: Settings, clock: ManualClock) -> AsyncIterator[FastAPI]:
    await _empty_tables(settings.database_url)
    application = create_app(settings, clock=clock)
    async with LifespanManager(application):
        yield application
