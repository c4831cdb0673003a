"""The matching runner: what a matching run reads (`_instance`) and how its outcome is
stored (proposed exchanges, in one transaction). Running it in a worker process, the heartbeat
and failing abandoned runs are `app.core.worker_runs`."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.classes.rules import parse_hhmm
from app.classes.tables import SchoolClass
from app.core.tables import utcnow
from app.core.worker_runs import WorkerRuns
from app.matching import exchanges
from app.matching.rules.types import ClassProfile, Language, MatchingOptions, Window
from app.matching.run_data import MatchingInstance, MatchingOutcome
from app.matching.tables import Exchange, ExchangeClass, MatchingRun
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


class MatchingRunner(WorkerRuns[MatchingRun, MatchingInstance, MatchingOutcome]):
    """Runs queued matching runs off the event loop, in a worker process."""

    table = MatchingRun
    kind = "matching"

    async def prepare(
        self, db: AsyncSession, run: MatchingRun, budget_s: float
    ) -> MatchingInstance:
        return await _instance(db, run, budget_s)

    def solver(self) -> Callable[[MatchingInstance], MatchingOutcome]:
        # Imported here: the solvers (OR-Tools, SciPy) load in the worker process only.
        from app.matching.worker import run_matching

        return run_matching

    async def store(self, db: AsyncSession, run_id: uuid.UUID, outcome: MatchingOutcome) -> None:
        await _store(db, run_id, outcome)


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
