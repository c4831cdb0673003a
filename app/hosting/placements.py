"""Placements: a run's proposal becomes a placement the family and the sending tutor both
accept (then `accepted`); either one declining makes it `declined`, and that pair is never
proposed again. What each reader sees of a placement depends on who they are: the schools and
guardians see the family's summary; the family sees the learner, only once accepted, and only
what hosting needs (display name, diet and allergies, the receiving tutor's contact, and the
contact of a guardian who chose to share it): never a birth date or anyone else."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.audit import audit
from app.core.errors import Conflict, Forbidden
from app.core.paging import fetch_page
from app.hosting import notify
from app.hosting.access import placements_visible_to, visible_placement
from app.hosting.rules.texts import HostingFacts
from app.hosting.schemas import (
    FamilySummary,
    HouseholdPublic,
    LearnerForHost,
    PlacementPublic,
)
from app.hosting.tables import HostFamily, Placement
from app.mobility import notify as mobility_people
from app.mobility.tables import Mobility


async def list_visible(
    db: AsyncSession,
    *,
    actor: User,
    limit: int,
    offset: int,
    mobility_id: uuid.UUID | None,
    host_family_id: uuid.UUID | None,
) -> tuple[list[Placement], int]:
    stmt = (
        select(Placement)
        .join(Mobility, col(Mobility.id) == col(Placement.mobility_id))
        .where(placements_visible_to(actor))
    )
    if mobility_id is not None:
        stmt = stmt.where(col(Placement.mobility_id) == mobility_id)
    if host_family_id is not None:
        stmt = stmt.where(col(Placement.host_family_id) == host_family_id)
    stmt = stmt.order_by(col(Placement.starts_on), col(Placement.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def get(db: AsyncSession, *, actor: User, placement_id: uuid.UUID) -> Placement:
    placement, _, _ = await visible_placement(db, actor=actor, placement_id=placement_id)
    return placement


async def decide(
    db: AsyncSession, *, actor: User, placement_id: uuid.UUID, accept: bool, now: datetime
) -> Placement:
    placement, mobility, roles = await visible_placement(db, actor=actor, placement_id=placement_id)
    if not (roles.host or roles.sending_tutor):
        raise Forbidden("Only the host family and the sending tutor decide on a placement.")
    if placement.status != "proposed":
        raise Conflict(f"This placement is already {placement.status}.", code="placement_closed")
    decision = "accepted" if accept else "declined"
    if roles.host:
        placement.family_decision = decision
    if roles.sending_tutor:
        placement.tutor_decision = decision
    if not accept:
        placement.status = "declined"
    elif placement.family_decision == placement.tutor_decision == "accepted":
        placement.status = "accepted"
    placement.updated_at = now
    await db.flush()
    side = "family" if roles.host else "sending_tutor"
    await audit(
        db,
        actor,
        "placement.decided",
        "mobility",
        mobility.id,
        {"placement_id": str(placement.id), "side": side, "decision": decision},
    )
    if placement.status == "accepted":
        family = await db.get(HostFamily, placement.host_family_id)
        assert family is not None
        await notify.tell(
            db,
            event="hosting.placement_accepted",
            key=str(placement.id),
            placement=placement,
            recipients=await notify.thread_people(db, mobility, family),
            facts=HostingFacts(
                learner=await mobility_people.learner_name(db, mobility),
                family=family.display_name,
                city=family.city,
            ),
        )
    return placement


async def share_contact(
    db: AsyncSession, *, actor: User, placement_id: uuid.UUID, share: bool, now: datetime
) -> Placement:
    """A guardian shows (or stops showing) the family their name and e-mail."""
    placement, _, roles = await visible_placement(db, actor=actor, placement_id=placement_id)
    if not roles.guardian:
        raise Forbidden("Only the learner's guardians share their own contact.")
    others = [g for g in placement.shared_contacts if g != str(actor.id)]
    placement.shared_contacts = [*others, str(actor.id)] if share else others
    placement.updated_at = now
    await db.flush()
    return placement


async def _learner_for_host(
    db: AsyncSession, placement: Placement, mobility: Mobility
) -> LearnerForHost:
    learner = await db.get(User, mobility.learner_id)
    tutor = await db.get(User, mobility.receiving_tutor_id) if mobility.receiving_tutor_id else None
    guardians = []
    for guardian_id in placement.shared_contacts:
        guardian = await db.get(User, uuid.UUID(guardian_id))
        if guardian is not None and guardian.is_active:
            guardians.append({"display_name": guardian.display_name, "email": guardian.email})
    needs = mobility.hosting or {}
    return LearnerForHost(
        display_name=learner.display_name if learner else "",
        diet=list(needs.get("diet") or []),
        allergies=list(needs.get("allergies") or []),
        receiving_tutor=(
            {"display_name": tutor.display_name, "email": tutor.email} if tutor else None
        ),
        guardians=guardians,
    )


async def public(db: AsyncSession, placement: Placement, *, actor: User) -> PlacementPublic:
    shown = PlacementPublic(
        id=placement.id,
        mobility_id=placement.mobility_id,
        host_family_id=placement.host_family_id,
        status=placement.status,
        family_decision=placement.family_decision,
        tutor_decision=placement.tutor_decision,
        starts_on=placement.starts_on,
        ends_on=placement.ends_on,
        score=placement.score / 1000,
        score_breakdown=placement.score_breakdown,
    )
    if actor.role == "host":
        if placement.status == "accepted":
            mobility = await db.get(Mobility, placement.mobility_id)
            assert mobility is not None
            shown.learner = await _learner_for_host(db, placement, mobility)
        return shown
    family = await db.get(HostFamily, placement.host_family_id)
    if family is not None:
        shown.family = FamilySummary(
            display_name=family.display_name,
            city=family.city,
            area=family.area,
            household=HouseholdPublic(adults=family.adults, children=family.children),
            pets=family.pets,
            smoking=family.smoking,
            languages=family.languages,
        )
    return shown
