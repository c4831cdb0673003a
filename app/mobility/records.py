"""Mobility records: create (the sending school's coordinator), read (by relationship),
change (tutors and the sending coordinator) and move through the statuses."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.access import partner_organisation_ids
from app.accounts.tables import User
from app.classes.tables import ClassLearner
from app.core.audit import audit
from app.core.errors import Conflict, FieldNotAllowed, Forbidden, InvalidInput
from app.core.paging import fetch_page
from app.matching.tables import Exchange, ExchangeClass
from app.mobility import checklists, notify
from app.mobility.access import mobilities_visible_to, require, visible_with_roles
from app.mobility.rules import status as rules
from app.mobility.rules.checkins import first_due
from app.mobility.rules.texts import MobilityFacts
from app.mobility.schemas import (
    MobilityCreate,
    MobilityPublic,
    MobilityUpdate,
    PlacementPublic,
    Progress,
)
from app.mobility.tables import Mobility
from app.organisations.tables import Organisation
from app.webhooks import events as webhook_events


async def _member(
    db: AsyncSession,
    user_id: uuid.UUID | None,
    org_id: uuid.UUID,
    roles: tuple[str, ...],
    field: str,
) -> None:
    if user_id is None:
        return
    person = await db.get(User, user_id)
    if person is None or person.organisation_id != org_id or person.role not in roles:
        raise InvalidInput(field, f"must be a {' or '.join(roles)} of that organisation")


async def _check_exchange(db: AsyncSession, data: MobilityCreate) -> None:
    if data.kind == "physical":
        if data.exchange_id is not None:
            raise InvalidInput("body.exchange_id", "only a blended mobility links an exchange")
        return
    if data.exchange_id is None:
        raise InvalidInput("body.exchange_id", "a blended mobility links its exchange")
    exchange = await db.get(Exchange, data.exchange_id)
    in_it = await db.scalar(
        select(func.count())
        .select_from(ExchangeClass)
        .join(ClassLearner, col(ClassLearner.class_id) == col(ExchangeClass.class_id))
        .where(
            col(ExchangeClass.exchange_id) == data.exchange_id,
            col(ClassLearner.learner_id) == data.learner_id,
        )
    )
    if exchange is None or not in_it:
        raise InvalidInput("body.exchange_id", "must be an exchange of the learner's class")


async def create(db: AsyncSession, *, actor: User, data: MobilityCreate, now: datetime) -> Mobility:
    """The sending school's coordinator (or an admin) records a learner's mobility; its
    checklist comes from the sending school's template."""
    if actor.role not in ("admin", "coordinator"):
        raise Forbidden("Only the sending school's coordinator records a mobility.")
    sending = data.sending_organisation_id
    if actor.role == "coordinator" and actor.organisation_id != sending:
        raise FieldNotAllowed("body.sending_organisation_id")
    if data.receiving_organisation_id == sending:
        raise InvalidInput("body.receiving_organisation_id", "must differ from the sending one")
    partner = await db.scalar(
        select(func.count())
        .select_from(Organisation)
        .where(
            col(Organisation.id) == data.receiving_organisation_id,
            col(Organisation.id).in_(partner_organisation_ids(sending)),
        )
    )
    if not partner:
        raise InvalidInput(
            "body.receiving_organisation_id", "must be a partner (a network) of the sending one"
        )
    await _member(db, data.learner_id, sending, ("learner",), "body.learner_id")
    await _member(
        db, data.sending_tutor_id, sending, ("teacher", "coordinator"), "body.sending_tutor_id"
    )
    await _member(
        db,
        data.receiving_tutor_id,
        data.receiving_organisation_id,
        ("teacher", "coordinator"),
        "body.receiving_tutor_id",
    )
    await _check_exchange(db, data)
    mobility = Mobility(
        learner_id=data.learner_id,
        sending_organisation_id=sending,
        receiving_organisation_id=data.receiving_organisation_id,
        kind=data.kind,
        exchange_id=data.exchange_id,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        city=data.city,
        country=data.country,
        placement_company=data.placement.company,
        placement_sector=data.placement.sector,
        sending_tutor_id=data.sending_tutor_id,
        receiving_tutor_id=data.receiving_tutor_id,
        checkin_every_days=data.checkin_every_days,
        hosting=data.hosting.model_dump() if data.hosting else None,
        emergency_phone=data.emergency_phone,
        status="planned",
        created_by=actor.id,
        created_at=now,
        updated_at=now,
    )
    db.add(mobility)
    await db.flush()
    await checklists.create_from_template(db, mobility=mobility)
    await audit(db, actor, "mobility.created", "mobility", mobility.id, {"kind": data.kind})
    return mobility


async def get(db: AsyncSession, *, actor: User, mobility_id: uuid.UUID) -> Mobility:
    mobility, _ = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    return mobility


async def list_visible(
    db: AsyncSession,
    *,
    actor: User,
    limit: int,
    offset: int,
    learner_id: uuid.UUID | None,
    status: str | None,
    organisation_id: uuid.UUID | None,
) -> tuple[list[Mobility], int]:
    stmt = select(Mobility).where(mobilities_visible_to(actor))
    if learner_id is not None:
        stmt = stmt.where(col(Mobility.learner_id) == learner_id)
    if status is not None:
        stmt = stmt.where(col(Mobility.status) == status)
    if organisation_id is not None:
        stmt = stmt.where(
            (col(Mobility.sending_organisation_id) == organisation_id)
            | (col(Mobility.receiving_organisation_id) == organisation_id)
        )
    stmt = stmt.order_by(col(Mobility.starts_on), col(Mobility.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def update(
    db: AsyncSession, *, actor: User, mobility_id: uuid.UUID, data: MobilityUpdate, now: datetime
) -> Mobility:
    mobility, roles = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    require(roles.manager, "Only the tutors and the sending coordinator change a mobility.")
    if mobility.status in rules.CLOSED:
        raise Conflict("This mobility is closed.", code="mobility_closed")
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    placement = changes.pop("placement", None)
    if placement is not None:
        mobility.placement_company = placement["company"]
        mobility.placement_sector = placement.get("sector")
    if "receiving_tutor_id" in changes:
        await _member(
            db,
            changes["receiving_tutor_id"],
            mobility.receiving_organisation_id,
            ("teacher", "coordinator"),
            "body.receiving_tutor_id",
        )
    for name, value in changes.items():
        setattr(mobility, name, value)
    if mobility.ends_on < mobility.starts_on:
        raise InvalidInput("body.ends_on", "must not be before starts_on")
    mobility.updated_at = now
    await db.flush()
    return mobility


async def set_status(
    db: AsyncSession,
    *,
    actor: User,
    mobility_id: uuid.UUID,
    status: str,
    reason: str | None,
    now: datetime,
) -> Mobility:
    """Move along `planned -> preparing -> abroad -> completed`, or cancel an open one;
    anything else is 409 `invalid_transition`. Audited; the learner and guardians are told."""
    mobility, roles = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    require(roles.manager, "Only the tutors and the sending coordinator change the status.")
    old = mobility.status
    if not rules.can_move(old, status):
        raise Conflict(
            f"A mobility cannot go from {old} to {status}.",
            code="invalid_transition",
            details={"from": old, "to": status, "allowed": rules.allowed_from(old)},
        )
    mobility.status = status
    mobility.status_reason = reason
    mobility.updated_at = now
    mobility.next_checkin_at = (
        first_due(now, mobility.checkin_every_days) if status == "abroad" else None
    )
    await db.flush()
    await audit(
        db,
        actor,
        "mobility.status_changed",
        "mobility",
        mobility.id,
        {"from": old, "to": status, "learner_id": str(mobility.learner_id)},
    )
    await webhook_events.mobility_status_changed(db, mobility=mobility, previous=old, now=now)
    people = await notify.learner(db, mobility) + await notify.guardians(db, mobility)
    await notify.tell(
        db,
        event="mobility.status_changed",
        key=f"{mobility.id}:{status}",
        mobility=mobility,
        recipients=[p for p in people if p.user.id != actor.id],
        facts=MobilityFacts(
            learner=await notify.learner_name(db, mobility), city=mobility.city, status=status
        ),
        data={"status": status},
    )
    return mobility


async def public(db: AsyncSession, mobility: Mobility) -> MobilityPublic:
    done, total = await checklists.progress_of(db, mobility.id)
    learner = await db.get(User, mobility.learner_id)
    return MobilityPublic(
        id=mobility.id,
        learner_id=mobility.learner_id,
        learner_name=learner.display_name if learner else "",
        sending_organisation_id=mobility.sending_organisation_id,
        receiving_organisation_id=mobility.receiving_organisation_id,
        kind=mobility.kind,
        exchange_id=mobility.exchange_id,
        starts_on=mobility.starts_on,
        ends_on=mobility.ends_on,
        city=mobility.city,
        country=mobility.country,
        placement=PlacementPublic(
            company=mobility.placement_company, sector=mobility.placement_sector
        ),
        sending_tutor_id=mobility.sending_tutor_id,
        receiving_tutor_id=mobility.receiving_tutor_id,
        checkin_every_days=mobility.checkin_every_days,
        hosting=mobility.hosting,
        emergency_phone=mobility.emergency_phone,
        status=mobility.status,
        status_reason=mobility.status_reason,
        next_checkin_at=mobility.next_checkin_at,
        checklist=Progress(done=done, total=total),
        created_at=mobility.created_at,
        updated_at=mobility.updated_at,
    )
