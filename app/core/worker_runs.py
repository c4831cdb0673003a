"""Runs solved in a worker process: the shape shared by exchange matching and host matching.

A run is a row (`status` queued | running | done | failed, `started_at`, `heartbeat_at`,
`finished_at`, `error`). `start` takes a queued run, marks it running, lets the subclass read
what the solver needs (`prepare`), solves it in one spawned worker process off the event loop
(`solve` takes and returns plain, picklable data) while a heartbeat tells other processes it is
alive, and lets the subclass store the outcome in one transaction (`store`), or fails the run
with its reason. `fail_abandoned` fails the runs a gone process left behind: never one this
process is running, however late its heartbeat on a loaded machine. A run failed meanwhile by
another process keeps its failure: its late outcome is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from sqlalchemy import func, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app.core.db import unit_of_work
from app.core.metrics import Metrics
from app.core.tables import utcnow

log = logging.getLogger(__name__)
OPEN_STATUSES = ("queued", "running")


class RunRow(Protocol):
    status: str
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None


Row = TypeVar("Row", bound=RunRow)
Instance = TypeVar("Instance")
Outcome = TypeVar("Outcome")


class WorkerRuns(Generic[Row, Instance, Outcome]):
    """Subclasses name their `table` and `kind` (for logs and task names) and give `prepare`,
    `solve` and `store`."""

    table: ClassVar[type[Any]]
    kind: ClassVar[str]

    def __init__(
        self,
        db_factory: async_sessionmaker[AsyncSession],
        *,
        budget_s: float,
        heartbeat_s: float = 10.0,
        metrics: Metrics | None = None,
    ) -> None:
        self._db_factory = db_factory
        self._metrics = metrics or Metrics()
        self._budget_s = budget_s
        self._heartbeat_s = heartbeat_s
        self._pool: ProcessPoolExecutor | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._running: set[uuid.UUID] = set()  # this process's runs: never abandoned

    # What a kind of run provides.
    async def prepare(self, db: AsyncSession, run: Row, budget_s: float) -> Instance:
        raise NotImplementedError

    def solver(self) -> Callable[[Instance], Outcome]:
        """A module-level function: it is pickled into the worker process."""
        raise NotImplementedError

    async def store(self, db: AsyncSession, run_id: uuid.UUID, outcome: Outcome) -> None:
        raise NotImplementedError

    # The shared machinery.
    async def start(self, run_id: uuid.UUID) -> None:
        """Start the run in the background (async: so it is called on the event loop)."""
        task = asyncio.create_task(self._execute(run_id), name=f"{self.kind}-run-{run_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    async def _execute(self, run_id: uuid.UUID) -> None:
        self._running.add(run_id)
        try:
            await self._solve_and_store(run_id)
        finally:
            self._running.discard(run_id)

    async def _solve_and_store(self, run_id: uuid.UUID) -> None:
        try:
            async with unit_of_work(self._db_factory) as db:
                run: Row | None = await db.get(self.table, run_id)
                if run is None or run.status != "queued":
                    return
                run.status = "running"
                run.started_at = run.heartbeat_at = utcnow()
                instance = await self.prepare(db, run, self._budget_s)
            loop = asyncio.get_running_loop()
            beating = asyncio.create_task(self._beat(run_id), name=f"{self.kind}-beat-{run_id}")
            started = loop.time()
            try:
                outcome = await loop.run_in_executor(self._executor(), self.solver(), instance)
            finally:
                beating.cancel()
            self._metrics.run_seconds.labels(self.kind).observe(loop.time() - started)
            async with unit_of_work(self._db_factory) as db:
                stored = await self._still_running(db, run_id)
                if stored:
                    await self.store(db, run_id, outcome)
            if stored:
                self._metrics.runs_finished.labels(self.kind, "done").inc()
        except asyncio.CancelledError:
            await self._fail(run_id, "interrupted: the server stopped during the run")
            raise
        except Exception as exc:
            log.exception("%s run failed", self.kind, extra={"run_id": str(run_id)})
            await self._fail(run_id, f"{type(exc).__name__}: {exc}"[:2000])

    async def _still_running(self, db: AsyncSession, run_id: uuid.UUID) -> bool:
        """Another process may have failed the run meanwhile (it saw no heartbeat): its
        outcome is then dropped, so a failed run never turns `done` with its error kept."""
        run: Row | None = await db.get(self.table, run_id, with_for_update=True)
        if run is not None and run.status == "running":
            return True
        log.warning(
            "%s run no longer running: outcome dropped", self.kind, extra={"run_id": str(run_id)}
        )
        return False

    async def _beat(self, run_id: uuid.UUID) -> None:
        """Tell other processes this run has a live process behind it, until cancelled."""
        while True:
            await asyncio.sleep(self._heartbeat_s)
            try:
                async with unit_of_work(self._db_factory) as db:
                    await db.execute(
                        update(self.table)
                        .where(col(self.table.id) == run_id)
                        .values(heartbeat_at=utcnow())
                    )
            except Exception:
                log.exception("%s heartbeat failed", self.kind, extra={"run_id": str(run_id)})

    async def fail_abandoned(self, *, stale_after: timedelta) -> int:
        """Fail the runs left queued or running by a process that is gone: no heartbeat (or,
        never started, no creation) within `stale_after`. How many were failed."""
        now = utcnow()
        last_sign = func.coalesce(col(self.table.heartbeat_at), col(self.table.created_at))
        try:
            async with unit_of_work(self._db_factory) as db:
                result = await db.execute(
                    update(self.table)
                    .where(
                        col(self.table.status).in_(OPEN_STATUSES),
                        last_sign < now - stale_after,
                        col(self.table.id).not_in(self._running),
                    )
                    .values(
                        status="failed",
                        error="interrupted: the process running it stopped",
                        finished_at=now,
                    )
                )
        except SQLAlchemyError:  # e.g. not migrated yet: start anyway, readiness tells
            log.exception("could not look for abandoned %s runs", self.kind)
            return 0
        failed = int(getattr(result, "rowcount", 0) or 0)
        if failed:
            log.warning("failed abandoned %s runs", self.kind, extra={"count": failed})
        return failed

    async def _fail(self, run_id: uuid.UUID, reason: str) -> None:
        self._metrics.runs_finished.labels(self.kind, "failed").inc()
        async with unit_of_work(self._db_factory) as db:
            run: Row | None = await db.get(self.table, run_id)
            if run is not None and run.status in OPEN_STATUSES:
                run.status = "failed"
                run.error = reason
                run.finished_at = utcnow()

    async def wait_idle(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await self.wait_idle()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
