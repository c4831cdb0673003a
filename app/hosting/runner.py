"""The host-matching runner, in the shape of the matching runner (app/matching/runner.py):
takes a queued run, solves it in a worker process off the event loop (`rules.assign.solve`
takes and returns plain data), writes a heartbeat while it works, and stores the proposals
as `proposed` placements with the run's result in one transaction, or fails the run with its
reason. At start-up, and then periodically, it fails the runs a gone process left behind."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app.core.db import unit_of_work
from app.core.rules.codes import cefr_rank
from app.core.tables import utcnow
from app.hosting import notify
from app.hosting.rules.assign import solve
from app.hosting.rules.types import (
    Booking,
    Family,
    Instance,
    Language,
    Need,
    Outcome,
    Point,
    Window,
)
from app.hosting.runs import OPEN
from app.hosting.tables import HostFamily, HostMatchingRun, Placement
from app.mobility.tables import Mobility

log = logging.getLogger(__name__)
STORE_SLICE = 200
NEED_COLUMNS = ("id", "city", "starts_on", "ends_on", "hosting")
FAMILY_COLUMNS = (
    "id", "city", "rooms", "available", "vetting_status", "vetting_valid_until", "languages",
    "pets", "smoking", "diets", "children", "lat", "lon", "max_drive_km",
)  # fmt: skip


def _family(row: Any) -> Family:
    return Family(
        id=str(row.id),
        city=row.city,
        rooms=row.rooms,
        available=tuple(
            Window(date.fromisoformat(w["from"]), date.fromisoformat(w["to"]))
            for w in row.available
        ),
        approved=row.vetting_status == "approved",
        valid_until=row.vetting_valid_until,
        languages=tuple(Language(lang["code"], cefr_rank(lang["level"])) for lang in row.languages),
        pets=frozenset(row.pets),
        smoking=row.smoking,
        diets=frozenset(row.diets),
        children=row.children,
        location=Point(row.lat, row.lon) if row.lat is not None and row.lon is not None else None,
        max_drive_km=row.max_drive_km,
    )


def _need(row: Any) -> Need:
    needs = row.hosting or {}
    where = needs.get("location")
    return Need(
        id=str(row.id),
        city=row.city,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        diet=frozenset(d.strip().lower() for d in needs.get("diet") or []),
        allergies=frozenset(needs.get("allergies") or []),
        non_smoking=bool(needs.get("non_smoking")),
        languages=tuple(
            Language(lang["code"], cefr_rank(lang["level"]))
            for lang in needs.get("languages") or []
        ),
        preferences=frozenset(needs.get("preferences") or []),
        placement=Point(where["lat"], where["lon"]) if where else None,
    )


async def instance_of(db: AsyncSession, run: HostMatchingRun, budget_s: float) -> Instance:
    ids = [uuid.UUID(i) for i in run.mobility_ids]
    # columns, not objects: cheaper on the event loop for thousands of rows
    mobilities = (
        await db.execute(
            select(*(col(getattr(Mobility, name)) for name in NEED_COLUMNS))
            .where(col(Mobility.id).in_(ids))
            .order_by(col(Mobility.id))
        )
    ).all()
    families = (
        await db.execute(
            select(*(col(getattr(HostFamily, name)) for name in FAMILY_COLUMNS))
            .where(col(HostFamily.organisation_id) == run.receiving_organisation_id)
            .order_by(col(HostFamily.id))
        )
    ).all()
    family_ids = [f.id for f in families]
    taken = (
        await db.scalars(
            select(Placement).where(
                col(Placement.host_family_id).in_(family_ids), col(Placement.status).in_(OPEN)
            )
        )
    ).all()
    declined = (
        await db.scalars(
            select(Placement).where(
                col(Placement.mobility_id).in_(ids), col(Placement.status) == "declined"
            )
        )
    ).all()
    return Instance(
        needs=tuple(_need(m) for m in mobilities),
        families=tuple(_family(f) for f in families),
        bookings=tuple(Booking(str(p.host_family_id), p.starts_on, p.ends_on) for p in taken),
        declined=frozenset((str(p.mobility_id), str(p.host_family_id)) for p in declined),
        time_limit_s=budget_s,
    )


async def store(db: AsyncSession, run_id: uuid.UUID, outcome: Outcome) -> None:
    run = await db.get(HostMatchingRun, run_id)
    if run is None:
        return
    now = utcnow()
    ids = [uuid.UUID(p.mobility_id) for p in outcome.proposals]
    dates = {
        m.id: (m.starts_on, m.ends_on)
        for m in (await db.scalars(select(Mobility).where(col(Mobility.id).in_(ids)))).all()
    }
    rows = []
    for proposal in outcome.proposals:
        mobility_id = uuid.UUID(proposal.mobility_id)
        starts_on, ends_on = dates[mobility_id]
        rows.append(
            Placement(
                run_id=run.id,
                mobility_id=mobility_id,
                host_family_id=uuid.UUID(proposal.family_id),
                status="proposed",
                score=proposal.score,
                score_breakdown=proposal.breakdown,
                starts_on=starts_on,
                ends_on=ends_on,
                created_at=now,
                updated_at=now,
            ).model_dump()
        )
    # Bulk inserts in slices of one transaction, yielding to the event loop between slices.
    for start in range(0, len(rows), STORE_SLICE):
        await db.execute(insert(Placement), rows[start : start + STORE_SLICE])
        await asyncio.sleep(0)
    await notify.proposals_made(
        db,
        run_id=run.id,
        family_ids={r["host_family_id"] for r in rows},
        mobility_ids={r["mobility_id"] for r in rows},
    )
    run.status = "done"
    run.finished_at = now
    run.objective = outcome.objective
    run.optimal = outcome.optimal
    run.unmatched = [{"mobility_id": m, "reason": r} for m, r in outcome.unmatched]
    await db.flush()


class HostMatchingRunner:
    """Runs queued host-matching runs off the event loop, in a worker process."""

    def __init__(
        self,
        db_factory: async_sessionmaker[AsyncSession],
        *,
        budget_s: float,
        heartbeat_s: float = 10.0,
    ) -> None:
        self._db_factory = db_factory
        self._budget_s = budget_s
        self._heartbeat_s = heartbeat_s
        self._pool: ProcessPoolExecutor | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, run_id: uuid.UUID) -> None:
        task = asyncio.create_task(self._execute(run_id), name=f"host-matching-run-{run_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    async def _execute(self, run_id: uuid.UUID) -> None:
        try:
            async with unit_of_work(self._db_factory) as db:
                run = await db.get(HostMatchingRun, run_id)
                if run is None or run.status != "queued":
                    return
                run.status = "running"
                run.started_at = run.heartbeat_at = utcnow()
                instance = await instance_of(db, run, self._budget_s)
            loop = asyncio.get_running_loop()
            beating = asyncio.create_task(self._beat(run_id), name=f"host-matching-beat-{run_id}")
            try:
                outcome = await loop.run_in_executor(self._executor(), solve, instance)
            finally:
                beating.cancel()
            async with unit_of_work(self._db_factory) as db:
                await store(db, run_id, outcome)
        except asyncio.CancelledError:
            await self._fail(run_id, "interrupted: the server stopped during the run")
            raise
        except Exception as exc:
            log.exception("host matching run failed", extra={"run_id": str(run_id)})
            await self._fail(run_id, f"{type(exc).__name__}: {exc}"[:2000])

    async def _beat(self, run_id: uuid.UUID) -> None:
        while True:
            await asyncio.sleep(self._heartbeat_s)
            try:
                async with unit_of_work(self._db_factory) as db:
                    await db.execute(
                        update(HostMatchingRun)
                        .where(col(HostMatchingRun.id) == run_id)
                        .values(heartbeat_at=utcnow())
                    )
            except Exception:
                log.exception("host matching heartbeat failed", extra={"run_id": str(run_id)})

    async def fail_abandoned(self, *, stale_after: timedelta) -> int:
        """Fail the runs left queued or running by a process that is gone (no heartbeat, or
        never started, no creation, within `stale_after`). How many were failed."""
        now = utcnow()
        last_sign = func.coalesce(
            col(HostMatchingRun.heartbeat_at), col(HostMatchingRun.created_at)
        )
        try:
            async with unit_of_work(self._db_factory) as db:
                result = await db.execute(
                    update(HostMatchingRun)
                    .where(
                        col(HostMatchingRun.status).in_(("queued", "running")),
                        last_sign < now - stale_after,
                    )
                    .values(
                        status="failed",
                        error="interrupted: the process running it stopped",
                        finished_at=now,
                    )
                )
        except SQLAlchemyError:
            log.exception("could not look for abandoned host matching runs")
            return 0
        return int(getattr(result, "rowcount", 0) or 0)

    async def _fail(self, run_id: uuid.UUID, reason: str) -> None:
        async with unit_of_work(self._db_factory) as db:
            run = await db.get(HostMatchingRun, run_id)
            if run is not None and run.status in ("queued", "running"):
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
