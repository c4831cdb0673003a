"""Test harness: one migrated database per run, emptied before each test.

The backend comes from `PASSERELLE_TEST_DATABASE_URL` (default: a SQLite file in a temporary
folder); `make test` runs the suite once on SQLite and, when configured, once on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

import app.all_tables
from app.core.db import create_engine
from app.core.settings import Settings
from app.factory import create_app
from tests.answered_errors import pytest_configure, pytest_sessionfinish
from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD, Api
from tests.limits_reset import forget_limits

__all__ = ["pytest_configure", "pytest_sessionfinish"]  # the answered-errors plugin's hooks

ROOT = Path(__file__).resolve().parent.parent
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
RUN_KEY_PREFIX = f"passerelle-test-{os.getpid()}-{uuid.uuid4().hex[:6]}:"


def alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url)
    cfg.attributes["configure_logger"] = False
    return cfg


async def _create_database(url: str) -> str:
    """A fresh PostgreSQL database for this run, so concurrent runs never meet."""
    name = f"passerelle_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def _drop_database(admin_url: str, url: str) -> None:
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        name = make_url(url).database
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("PASSERELLE_TEST_DATABASE_URL") or (
        f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    )
    given = Settings(database_url=given).database_url
    postgres = is_postgres(given)
    url = asyncio.run(_create_database(given)) if postgres else given
    try:
        command.upgrade(alembic_config(url), "head")
        yield url
    finally:
        if postgres:
            asyncio.run(_drop_database(given, url))


async def _empty_tables(url: str) -> None:
    engine = create_engine(url)
    tables = [t.name for t in reversed(app.all_tables.metadata.sorted_tables)]
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        else:
            for name in tables:
                await conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 (table names from metadata)
    await engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        broker_url=os.environ.get("PASSERELLE_TEST_BROKER_URL", "memory://"),
        # this run's own keys in a shared Redis (abuse limits count per address: 127.0.0.1)
        broker_key_prefix=RUN_KEY_PREFIX,
        secret_key=TEST_SECRET,
        admin_email=ADMIN_EMAIL,
        admin_password=ADMIN_PASSWORD,
        log_json=False,
        # Real Argon2id at a test-sized cost; production keeps the default.
        password_hash_time_cost=1,
        password_hash_memory_kib=1024,
    )


# Building the routes costs about half a second an app; tests on the same settings share one
# app object, and each test still runs its own lifespan (engine, broker, background loops and
# the bootstrap admin are made anew in `app.state`), so nothing but the routes carries over.
_APPS: dict[str, FastAPI] = {}


def shared_app(settings: Settings) -> FastAPI:
    key = settings.model_dump_json()
    if key not in _APPS:
        _APPS[key] = create_app(settings)
    return _APPS[key]


@pytest.fixture
async def application(settings: Settings) -> AsyncIterator[FastAPI]:
    await _empty_tables(settings.database_url)
    await forget_limits(settings)
    application = shared_app(settings)
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def client(application: FastAPI) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=application)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
async def api(client: AsyncClient) -> Api:
    return await Api.start(client)


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"
