"""Host-matching runs: validate and queue (the receiving school's coordinator), read back
with their proposals (each a `proposed` placement) and the mobilities left unmatched.

A run takes the receiving organisation's incoming mobilities that need hosting, are not
closed or abroad yet, and have no open placement (proposed or accepted); `mobility_ids`
narrows them (each must be one of those, else 422). One run per school at a time (409
`run_in_progress`), so no room is proposed twice. The runner (`runner.py`) solves it off the
event loop.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.access import organisations_visible_to
from app.accounts.tables import User
from app.core.errors import Conflict, Forbidden, InvalidInput, not_found
from app.hosting.schemas import (
    HostMatchingRunCreate,
    HostMatchingRunPublic,
    HostProposal,
    HostUnmatched,
)
from app.hosting.tables import HostMatchingRun, Placement
from app.mobility.tables import Mobility
from app.organisations.tables import Organisation

OPEN = ("proposed", "accepted")
MATCHABLE = ("planned", "preparing")


def _may_run(actor: User, organisation_id: uuid.UUID) -> bool:
    return actor.role == "admin" or (
        actor.role == "coordinator" and actor.organisation_id == organisation_id
    )


async def _organisation(db: AsyncSession, actor: User, organisation_id: uuid.UUID) -> None:
    seen = (
        await db.scalars(
            select(col(Organisation.id)).where(
                col(Organisation.id) == organisation_id, organisations_visible_to(actor)
            )
        )
    ).first()
    if seen is None:
        raise not_found("Organisation")
    if not _may_run(actor, organisation_id):
        raise Forbidden("Only the receiving school's coordinators run host matching.")


async def open_placement_mobilities(db: AsyncSession, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    rows = await db.scalars(
        select(col(Placement.mobility_id)).where(
            col(Placement.mobility_id).in_(ids), col(Placement.status).in_(OPEN)
        )
    )
    return set(rows.all())


async def create_run(
    db: AsyncSession, *, actor: User, data: HostMatchingRunCreate
) -> HostMatchingRun:
    await _organisation(db, actor, data.receiving_organisation_id)
    busy_run = await db.scalar(
        select(col(HostMatchingRun.id)).where(
            col(HostMatchingRun.receiving_organisation_id) == data.receiving_organisation_id,
            col(HostMatchingRun.status).in_(("queued", "running")),
        )
    )
    if busy_run is not None:  # two runs at once could give one room twice
        raise Conflict(
            "A host matching run of this school is still going; wait for it.",
            code="run_in_progress",
            details={"run_id": str(busy_run)},
        )
    incoming = (
        await db.scalars(
            select(Mobility).where(
                col(Mobility.receiving_organisation_id) == data.receiving_organisation_id,
                col(Mobility.status).in_(MATCHABLE),
            )
        )
    ).all()
    needing = {m.id for m in incoming if (m.hosting or {}).get("needed")}
    busy = await open_placement_mobilities(db, list(needing))
    eligible = needing - busy
    if data.mobility_ids is not None:
        wanted = list(dict.fromkeys(data.mobility_ids))
        refused = [str(i) for i in wanted if i not in eligible]
        if refused:
            raise InvalidInput(
                "body.mobility_ids",
                "not incoming mobilities needing a host family without an open placement: "
                + ", ".join(refused),
            )
        eligible = set(wanted)
    run = HostMatchingRun(
        receiving_organisation_id=data.receiving_organisation_id,
        requested_by=actor.id,
        status="queued",
        mobility_ids=sorted(str(i) for i in eligible),
    )
    db.add(run)
    await db.flush()
    return run


async def get_run(db: AsyncSession, *, actor: User, run_id: uuid.UUID) -> HostMatchingRun:
    run = await db.get(HostMatchingRun, run_id)
    if run is None or not _may_run(actor, run.receiving_organisation_id):
        raise not_found("Host matching run")
    return run


async def to_public(db: AsyncSession, run: HostMatchingRun) -> HostMatchingRunPublic:
    rows = await db.scalars(
        select(Placement)
        .where(col(Placement.run_id) == run.id)
        .order_by(col(Placement.score).desc(), col(Placement.id))
    )
    return HostMatchingRunPublic(
        id=run.id,
        receiving_organisation_id=run.receiving_organisation_id,
        status=run.status,
        proposals=[
            HostProposal(
                placement_id=p.id,
                mobility_id=p.mobility_id,
                host_family_id=p.host_family_id,
                score=p.score / 1000,
                score_breakdown=p.score_breakdown,
            )
            for p in rows.all()
        ],
        unmatched=[HostUnmatched.model_validate(u) for u in run.unmatched or []],
        objective=run.objective,
        optimal=run.optimal,
        error=run.error,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
    )
