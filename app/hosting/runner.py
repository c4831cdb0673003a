"""The host-matching runner: what a host-matching run reads (`instance_of`) and how its
outcome is stored (`proposed` placements with the run's result, in one transaction). Running
it in a worker process, the heartbeat and failing abandoned runs are `app.core.worker_runs`."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core.rules.codes import cefr_rank
from app.core.tables import utcnow
from app.core.worker_runs import WorkerRuns
from app.hosting import notify
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


class HostMatchingRunner(WorkerRuns[HostMatchingRun, Instance, Outcome]):
    """Runs queued host-matching runs off the event loop, in a worker process."""

    table = HostMatchingRun
    kind = "host-matching"

    async def prepare(self, db: AsyncSession, run: HostMatchingRun, budget_s: float) -> Instance:
        return await instance_of(db, run, budget_s)

    def solver(self) -> Callable[[Instance], Outcome]:
        # Imported here: the solver (SciPy's HiGHS) loads in the worker process only.
        from app.hosting.rules.assign import solve

        return solve

    async def store(self, db: AsyncSession, run_id: uuid.UUID, outcome: Outcome) -> None:
        await store(db, run_id, outcome)
