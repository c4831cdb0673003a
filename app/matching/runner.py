"""The matching runner: takes a queued run, solves it in a worker process off the event loop,
writes a heartbeat while it works, and stores the proposals as exchanges in one transaction
(or fails the run with its reason). At start-up it fails the runs a gone process left behind.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import uuid
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app.classes.rules import parse_hhmm
from app.classes.tables import SchoolClass
from app.core.db import unit_of_work
from app.core.tables import utcnow
from app.matching import exchanges
from app.matching.rules.types import ClassProfile, Language, MatchingOptions, Window
from app.matching.tables import Exchange, ExchangeClass, MatchingRun
from app.matching.worker import MatchingInstance, MatchingOutcome, run_matching
from app.notifications import service as notifications
from app.organisations.tables import Organisation

log = logging.getLogger(__name__)


_PROFILE_COLUMNS: tuple[Any, ...] = (
    col(SchoolClass.id),
    col(Organisation.id).label("organisation_id"),
    col(Organisation.country),
    col(Organisation.timezone),
    col(SchoolClass.field),
    col(SchoolClass.eqf_level),
    col(SchoolClass.learner_count),
    col(SchoolClass.age_min),
    col(SchoolClass.age_max),
    col(SchoolClass.languages),
    col(SchoolClass.availability),
    col(SchoolClass.term_start),
    col(SchoolClass.term_end),
)


def _profile(row: Any) -> ClassProfile:
    return ClassProfile(
        id=str(row.id),
        organisation_id=str(row.organisation_id),
        country=row.country,
        timezone=row.timezone,
        field=row.field,
        eqf_level=row.eqf_level,
        learner_count=row.learner_count,
        age_min=row.age_min,
        age_max=row.age_max,
        languages=tuple(Language(lang["code"], lang["level"]) for lang in row.languages),
        availability=tuple(
            Window(w["weekday"], parse_hhmm(w["start"]), parse_hhmm(w["end"]))
            for w in row.availability
        ),
        term_start=row.term_start,
        term_end=row.term_end,
    )


async def _instance(db: AsyncSession, run: MatchingRun, budget_s: float) -> MatchingInstance:
    ids = [uuid.UUID(i) for i in run.requested_class_ids or []]
    # columns, not objects: cheaper on the event loop for thousands of classes
    rows = (
        await db.execute(
            select(*_PROFILE_COLUMNS)
            .join(Organisation, col(Organisation.id) == col(SchoolClass.organisation_id))
            .where(col(SchoolClass.id).in_(ids))
            .order_by(col(SchoolClass.id))
        )
    ).all()
    profiles = tuple(_profile(row) for row in rows)
    country = {p.id: p.country for p in profiles}
    excluded: set[frozenset[str]] = set()
    met: dict[str, set[str]] = defaultdict(set)
    for status, members in await exchanges.history(db, ids):
        names = sorted(str(m) for m in members)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                if not run.options.get("allow_repeats"):
                    excluded.add(frozenset((a, b)))
        if status == "active":
            for a in names:
                met[a] |= {country[b] for b in names if b != a and b in country}
    return MatchingInstance(
        profiles=profiles,
        group_size=run.group_size,
        options=MatchingOptions(),
        excluded_pairs=frozenset(excluded),
        met_countries={k: frozenset(v) for k, v in met.items()},
        prefer_new_countries=bool(run.options.get("prefer_new_countries")),
        time_budget_s=budget_s,
        seed=run.id.int % (2**31),
    )


STORE_SLICE = 100


class MatchingRunner:
    """Runs queued matching runs off the event loop, in a worker process."""

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
        """Start the run in the background (async: so it is called on the event loop)."""
        task = asyncio.create_task(self._execute(run_id), name=f"matching-run-{run_id}")
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
                run = await db.get(MatchingRun, run_id)
                if run is None or run.status != "queued":
                    return
                run.status = "running"
                run.started_at = run.heartbeat_at = utcnow()
                instance = await _instance(db, run, self._budget_s)
            loop = asyncio.get_running_loop()
            beating = asyncio.create_task(self._beat(run_id), name=f"matching-beat-{run_id}")
            try:
                outcome = await loop.run_in_executor(self._executor(), run_matching, instance)
            finally:
                beating.cancel()
            async with unit_of_work(self._db_factory) as db:
                await _store(db, run_id, outcome)
        except asyncio.CancelledError:
            await self._fail(run_id, "interrupted: the server stopped during the run")
            raise
        except Exception as exc:
            log.exception("matching run failed", extra={"run_id": str(run_id)})
            await self._fail(run_id, f"{type(exc).__name__}: {exc}"[:2000])

    async def _beat(self, run_id: uuid.UUID) -> None:
        """Tell other processes this run has a live process behind it, until cancelled."""
        while True:
            await asyncio.sleep(self._heartbeat_s)
            try:
                async with unit_of_work(self._db_factory) as db:
                    await db.execute(
                        update(MatchingRun)
                        .where(col(MatchingRun.id) == run_id)
                        .values(heartbeat_at=utcnow())
                    )
            except Exception:
                log.exception("matching heartbeat failed", extra={"run_id": str(run_id)})

    async def fail_abandoned(self, *, stale_after: timedelta) -> int:
        """Fail the runs left queued or running by a process that is gone: no heartbeat (or,
        never started, no creation) within `stale_after`. How many were failed."""
        now = utcnow()
        cutoff = now - stale_after
        last_sign = func.coalesce(col(MatchingRun.heartbeat_at), col(MatchingRun.created_at))
        try:
            async with unit_of_work(self._db_factory) as db:
                result = await db.execute(
                    update(MatchingRun)
                    .where(col(MatchingRun.status).in_(("queued", "running")), last_sign < cutoff)
                    .values(
                        status="failed",
                        error="interrupted: the process running it stopped",
                        finished_at=now,
                    )
                )
        except SQLAlchemyError:  # e.g. not migrated yet: start anyway, readiness tells
            log.exception("could not look for abandoned matching runs")
            return 0
        failed = int(getattr(result, "rowcount", 0) or 0)
        if failed:
            log.warning("failed abandoned matching runs", extra={"count": failed})
        return failed

    async def _fail(self, run_id: uuid.UUID, reason: str) -> None:
        async with unit_of_work(self._db_factory) as db:
            run = await db.get(MatchingRun, run_id)
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


async def _store(db: AsyncSession, run_id: uuid.UUID, outcome: MatchingOutcome) -> None:
    run = await db.get(MatchingRun, run_id)
    if run is None:
        return
    now = utcnow()
    made: list[tuple[uuid.UUID, list[uuid.UUID]]] = []
    exchanges: list[Exchange] = []
    members: list[ExchangeClass] = []
    for proposal in outcome.proposals:
        exchange = Exchange(
            id=uuid.uuid4(),
            network_id=run.network_id,
            run_id=run.id,
            status="proposed",
            score=proposal.score,
            score_breakdown=proposal.breakdown,
            shared_languages=list(proposal.shared_languages),
            common_windows=[
                {
                    "weekday": w.weekday,
                    "start_utc": w.start_utc.strftime("%H:%M"),
                    "end_utc": w.end_utc.strftime("%H:%M"),
                    "valid_from": w.valid_from.isoformat(),
                    "valid_to": w.valid_to.isoformat(),
                }
                for w in proposal.common_windows
            ],
            created_at=now,
            updated_at=now,
        )
        classes = [uuid.UUID(c) for c in proposal.class_ids]
        exchanges.append(exchange)
        members.extend(ExchangeClass(exchange_id=exchange.id, class_id=c) for c in classes)
        made.append((exchange.id, classes))
    # Bulk inserts in slices of one transaction (all or nothing), yielding to the event loop
    # between slices so live rooms and health checks keep their pace while a large run stores.
    for start in range(0, len(exchanges), STORE_SLICE):
        chunk = exchanges[start : start + STORE_SLICE]
        ids = {e.id for e in chunk}
        await db.execute(insert(Exchange), [e.model_dump() for e in chunk])
        await db.execute(
            insert(ExchangeClass), [m.model_dump() for m in members if m.exchange_id in ids]
        )
        await notifications.exchanges_proposed(db, made[start : start + STORE_SLICE])
        await asyncio.sleep(0)
    run.status = "done"
    run.finished_at = now
    run.objective = outcome.objective
    run.upper_bound = outcome.upper_bound if outcome.upper_bound == outcome.upper_bound else None
    run.gap = outcome.gap
    run.exact = outcome.exact
    run.shares = outcome.shares
    run.unmatched = [{"class_id": c, "reason": r} for c, r in outcome.unmatched]
    await db.flush()
