"""Engine and unit of work.

One request, one unit of work: `unit_of_work` yields an `AsyncSession`, commits once when the
request handler returns, and rolls back when it raises (unless the `AppError` asks to keep
what it flushed). Services only `flush()`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

from app.core.errors import AppError

SQLITE_BUSY_TIMEOUT_MS = 5000


def create_engine(url: str, *, connect_timeout_s: float = 2.0) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs: dict[str, Any] = {}
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # A server that does not answer costs a request at most `connect_timeout_s` (then 503
    # `database_unavailable`), not the driver's 60 s; pre-ping drops the connections a
    # restarted server killed, so the pool recovers without a process restart.
    return create_async_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        pool_timeout=connect_timeout_s * 5,
        connect_args={"timeout": connect_timeout_s},
    )


def is_database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) says the database cannot be reached or dropped the
    connection, as opposed to refusing a statement: the request may be retried later."""
    seen: BaseException | None = exc
    for _ in range(8):  # the cause chain, bounded
        if seen is None:
            return False
        if isinstance(seen, DBAPIError) and seen.connection_invalidated:
            return True
        if isinstance(seen, (OperationalError, InterfaceError)):
            return True
        if type(seen).__name__ in _DRIVER_UNAVAILABLE:
            return True
        # refused, reset, unreachable, timed out: only when the driver or the pool raised it
        if isinstance(seen, OSError) and _raised_in_database_code(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _raised_in_database_code(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if module.startswith(("asyncpg", "sqlalchemy", "aiosqlite")):
            return True
        tb = tb.tb_next
    return False


# asyncpg's own names for "the server went away" (matched by name: the core needs no driver)
_DRIVER_UNAVAILABLE = frozenset(
    {
        "CannotConnectNowError",
        "ConnectionDoesNotExistError",
        "ConnectionFailureError",
        "TooManyConnectionsError",
        "AdminShutdownError",
        "CrashShutdownError",
    }
)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def unit_of_work(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with factory() as db:
        try:
            yield db
        except AppError as exc:
            if exc.keep_changes:
                await db.commit()
            else:
                await db.rollback()
            raise
        except BaseException:
            await db.rollback()
            raise
        else:
            await db.commit()


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
