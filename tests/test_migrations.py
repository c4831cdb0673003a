"""The migrations are the only way tables come to exist, and they match the models exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from asgi_lifespan import LifespanManager
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

import app.all_tables
from app.core.db import create_engine
from app.core.settings import Settings
from app.factory import create_app


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, app.all_tables.metadata))


async def test_upgrade_head_yields_exactly_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    async with engine.connect() as conn:
        diff = await conn.run_sync(_differences)
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    await engine.dispose()
    assert diff == []
    assert set(app.all_tables.metadata.tables) <= tables
    assert "alembic_version" in tables


async def test_the_app_creates_no_tables(settings: Settings, tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    application = create_app(settings.model_copy(update={"database_url": url, "admin_email": None}))
    async with LifespanManager(application):
        pass
    engine = create_engine(url)
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    await engine.dispose()
    assert tables == []
