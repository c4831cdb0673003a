"""Matching runs: validate, queue, solve in a worker process, store proposals as exchanges.

A run is written `queued` in the request's unit of work; after the response the runner marks
it `running`, hands plain data to a worker process, and stores every proposal as a `proposed`
exchange in one transaction with the run's result (`done`). A failure marks the run `failed`
with its reason and leaves no exchange behind.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.classes.tables import SchoolClass
from app.core.errors import Forbidden, InvalidInput, NotFound, not_found
from app.core.paging import fetch_page
from app.matching.rules.types import SCORE_SCALE
from app.matching.schemas import MatchingRunCreate, MatchingRunPublic, Proposal, Unmatched
from app.matching.tables import Exchange, ExchangeClass, MatchingRun, classes_in_open_exchanges
from app.organisations import networks
from app.organisations.tables import Network, NetworkMember, Organisation

log = logging.getLogger(__name__)


def _may_run(actor: User, coordinating_org: uuid.UUID) -> bool:
    return actor.role == "admin" or (
        actor.role == "coordinator" and actor.organisation_id == coordinating_org
    )


async def create_run(db: AsyncSession, *, actor: User, data: MatchingRunCreate) -> MatchingRun:
    network = await networks.get_visible(db, actor=actor, network_id=data.network_id)
    if not _may_run(actor, network.coordinating_organisation_id):
        raise Forbidden("Only the network's coordinators start matching runs.")
    member_orgs = select(col(NetworkMember.organisation_id)).where(
        col(NetworkMember.network_id) == network.id
    )
    # columns, not objects: a 3,000-class network loads without holding up the event loop
    stmt = select(
        col(SchoolClass.id),
        col(Organisation.country),
        col(SchoolClass.availability),
        col(SchoolClass.languages),
    ).join(Organisation, col(Organisation.id) == col(SchoolClass.organisation_id))
    if data.class_ids is not None:
        wanted = list(dict.fromkeys(data.class_ids))
        rows = (
            await db.execute(
                stmt.where(
                    col(SchoolClass.id).in_(wanted),
                    col(SchoolClass.organisation_id).in_(member_orgs),
                )
            )
        ).all()
        found = {r[0] for r in rows}
        missing = [str(i) for i in wanted if i not in found]
        if missing:
            raise InvalidInput(
                "body.class_ids", f"not classes of this network: {', '.join(missing)}"
            )
        busy = await classes_in_open_exchanges(db, wanted)
        if busy:
            raise InvalidInput(
                "body.class_ids",
                "already in a proposed or active exchange: " + ", ".join(sorted(map(str, busy))),
            )
        empty = [str(r[0]) for r in rows if not r[2] or not r[3]]
        if empty:
            raise InvalidInput(
                "body.class_ids", f"classes without availability or language: {', '.join(empty)}"
            )
    else:
        rows = (
            await db.execute(
                stmt.where(
                    col(SchoolClass.organisation_id).in_(member_orgs),
                    col(SchoolClass.open_for_matching),
                )
            )
        ).all()
        busy = await classes_in_open_exchanges(db, [r[0] for r in rows])
        rows = [r for r in rows if r[0] not in busy and r[2]]
    countries = {r[1] for r in rows}
    if len(countries) < 2:
        raise InvalidInput(
            "body.class_ids" if data.class_ids is not None else "body.network_id",
            f"matching needs classes from at least two countries; found {len(countries)}",
            kind="not_enough_countries",
        )
    run = MatchingRun(
        network_id=network.id,
        requested_by=actor.id,
        status="queued",
        group_size=data.group_size,
        requested_class_ids=sorted(str(r[0]) for r in rows),
        options={
            "allow_repeats": data.allow_repeats,
            "prefer_new_countries": data.prefer_new_countries,
        },
    )
    db.add(run)
    await db.flush()
    return run


async def get_run(db: AsyncSession, *, actor: User, run_id: uuid.UUID) -> MatchingRun:
    run = await db.get(MatchingRun, run_id)
    if run is None:
        raise not_found("Matching run")
    try:  # a run of a network the caller cannot see is as unknown as a made-up id
        network = await networks.get_visible(db, actor=actor, network_id=run.network_id)
    except NotFound:
        raise not_found("Matching run") from None
    if not _may_run(actor, network.coordinating_organisation_id):
        raise not_found("Matching run")
    return run


async def list_runs(
    db: AsyncSession,
    *,
    actor: User,
    network_id: uuid.UUID | None,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[list[MatchingRun], int]:
    """The runs the caller may read, newest first: every run for an admin, the runs of the
    networks their school coordinates for a coordinator, none for anyone else."""
    stmt = select(MatchingRun)
    if actor.role != "admin":
        if actor.role != "coordinator" or actor.organisation_id is None:
            return [], 0
        coordinated = select(col(Network.id)).where(
            col(Network.coordinating_organisation_id) == actor.organisation_id
        )
        stmt = stmt.where(col(MatchingRun.network_id).in_(coordinated))
    if network_id is not None:
        stmt = stmt.where(col(MatchingRun.network_id) == network_id)
    if status is not None:
        stmt = stmt.where(col(MatchingRun.status) == status)
    stmt = stmt.order_by(col(MatchingRun.created_at).desc(), col(MatchingRun.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def to_public(db: AsyncSession, run: MatchingRun) -> MatchingRunPublic:
    # columns, not objects: a large run has thousands of proposals
    rows = await db.execute(
        select(
            col(Exchange.id),
            col(Exchange.score),
            col(Exchange.score_breakdown),
            col(ExchangeClass.class_id),
        )
        .join(ExchangeClass, col(ExchangeClass.exchange_id) == col(Exchange.id))
        .where(col(Exchange.run_id) == run.id)
    )
    members: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    scores: dict[uuid.UUID, tuple[int, dict[str, int]]] = {}
    for exchange_id, score, breakdown, class_id in rows:
        scores[exchange_id] = (score, breakdown)
        members[exchange_id].append(class_id)
    proposals = [
        Proposal(
            exchange_id=exchange_id,
            class_ids=sorted(members[exchange_id], key=str),
            score=score / SCORE_SCALE,
            score_breakdown={k: v / SCORE_SCALE for k, v in breakdown.items()},
        )
        for exchange_id, (score, breakdown) in sorted(
            scores.items(), key=lambda item: (-item[1][0], str(item[0]))
        )
    ]
    return MatchingRunPublic(
        id=run.id,
        network_id=run.network_id,
        status=run.status,
        group_size=run.group_size,
        proposals=proposals,
        unmatched=[Unmatched.model_validate(u) for u in run.unmatched or []],
        objective=None if run.objective is None else run.objective / SCORE_SCALE,
        upper_bound=None if run.upper_bound is None else run.upper_bound / SCORE_SCALE,
        gap=run.gap,
        exact=run.exact,
        shares=run.shares,
        options=run.options,
        error=run.error,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
    )
