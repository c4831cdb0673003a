"""The incident log: tutors and coordinators of both schools write and read it (403 for the
learner and guardians who see the mobility). A high-severity incident tells a minor's
guardians that the school will call them, and nothing more."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.audit import audit
from app.families.consents import learner_today
from app.families.rules import age_on
from app.mobility import notify
from app.mobility.access import require, visible_with_roles
from app.mobility.rules.texts import MobilityFacts
from app.mobility.schemas import IncidentCreate
from app.mobility.tables import Incident, Mobility

ADULT_AGE = 18


async def is_minor(db: AsyncSession, learner: User, now: datetime) -> bool:
    """Under 18 on the learner's local date (an unknown birth date counts as a minor)."""
    if learner.birth_date is None:
        return True
    return age_on(learner.birth_date, await learner_today(db, learner, now)) < ADULT_AGE


async def _staff_mobility(db: AsyncSession, actor: User, mobility_id: uuid.UUID) -> Mobility:
    mobility, roles = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    require(roles.staff, "The incident log is for tutors and coordinators.")
    return mobility


async def log(
    db: AsyncSession, *, actor: User, mobility_id: uuid.UUID, data: IncidentCreate, now: datetime
) -> Incident:
    mobility = await _staff_mobility(db, actor, mobility_id)
    incident = Incident(
        mobility_id=mobility.id,
        severity=data.severity,
        description=data.description,
        reported_by=actor.id,
        created_at=now,
    )
    db.add(incident)
    await db.flush()
    await audit(
        db,
        actor,
        "mobility.incident_logged",
        "mobility",
        mobility.id,
        {"incident_id": str(incident.id), "severity": data.severity},
    )
    learner = await db.get(User, mobility.learner_id)
    if data.severity == "high" and learner is not None and await is_minor(db, learner, now):
        await notify.tell(
            db,
            event="mobility.incident_call",
            key=str(incident.id),
            mobility=mobility,
            recipients=await notify.guardians(db, mobility),
            facts=MobilityFacts(learner=learner.display_name, city=mobility.city),
        )
    return incident


async def listing(db: AsyncSession, *, actor: User, mobility_id: uuid.UUID) -> list[Incident]:
    mobility = await _staff_mobility(db, actor, mobility_id)
    rows = await db.scalars(
        select(Incident)
        .where(col(Incident.mobility_id) == mobility.id)
        .order_by(col(Incident.created_at), col(Incident.id))
    )
    return list(rows.all())
