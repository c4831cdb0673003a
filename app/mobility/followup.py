"""Follow-up: the receiving tutor's learning outcomes, the learner's final reflection, and
the summary in the shape of the Europass Mobility document."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.tables import User
from app.attendance.hours import learner_hours
from app.core.audit import audit
from app.core.errors import Conflict, Forbidden
from app.mobility.access import visible_with_roles
from app.mobility.rules import europass
from app.mobility.rules.status import has_started
from app.mobility.schemas import OutcomeUnit, ReflectionIn
from app.mobility.tables import Mobility
from app.organisations.tables import Organisation


def _started(mobility: Mobility) -> None:
    if not has_started(mobility.status):
        raise Conflict("The mobility has not started.", code="not_started")


async def record_outcomes(
    db: AsyncSession,
    *,
    actor: User,
    mobility_id: uuid.UUID,
    units: list[OutcomeUnit],
    now: datetime,
) -> Mobility:
    """The receiving tutor records (or replaces) the units achieved or not. Audited."""
    mobility, roles = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    if not (roles.receiving_tutor or roles.admin):
        raise Forbidden("Only the receiving tutor records the learning outcomes.")
    _started(mobility)
    mobility.outcomes = [u.model_dump() for u in units]
    mobility.outcomes_at = now
    mobility.updated_at = now
    await db.flush()
    await audit(
        db,
        actor,
        "mobility.outcomes_recorded",
        "mobility",
        mobility.id,
        {"units": len(units), "achieved": sum(1 for u in units if u.achieved)},
    )
    return mobility


async def reflect(
    db: AsyncSession, *, actor: User, mobility_id: uuid.UUID, data: ReflectionIn, now: datetime
) -> Mobility:
    """The learner's final reflection (replaced when answered again)."""
    mobility, roles = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    if not roles.learner:
        raise Forbidden("Only the learner writes their reflection.")
    _started(mobility)
    mobility.reflection = data.text
    mobility.reflection_skills = list(data.skills)
    mobility.reflection_at = now
    await db.flush()
    return mobility


async def _party(db: AsyncSession, org_id: uuid.UUID) -> europass.Party:
    org = await db.get(Organisation, org_id)
    assert org is not None
    return europass.Party(org.id, org.name, org.country, org.city)


async def _name(db: AsyncSession, user_id: uuid.UUID | None) -> str | None:
    person = await db.get(User, user_id) if user_id else None
    return person.display_name if person else None


async def virtual_component(
    db: AsyncSession, mobility: Mobility, *, now: datetime, stale_after: timedelta
) -> tuple[int, int, datetime | None, datetime | None]:
    """(contact seconds, sessions, first and last session) of the learner in the linked
    exchange, from its attendance; zeros for a physical mobility."""
    if mobility.exchange_id is None:
        return 0, 0, None, None
    found = await learner_hours(
        db,
        learner_id=mobility.learner_id,
        own_country=None,
        start=None,
        end=None,
        now=now,
        stale_after=stale_after,
        exchange_id=mobility.exchange_id,
    )
    if not found.exchanges:
        return 0, 0, None, None
    ex = found.exchanges[0]
    return ex.seconds, ex.sessions, ex.first_session, ex.last_session


async def summary(
    db: AsyncSession,
    *,
    actor: User,
    mobility_id: uuid.UUID,
    now: datetime,
    stale_after: timedelta,
) -> dict[str, Any]:
    """Everyone who sees the mobility reads its summary."""
    mobility, _ = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    seconds, sessions, _, _ = await virtual_component(
        db, mobility, now=now, stale_after=stale_after
    )
    facts = europass.SummaryFacts(
        mobility_id=mobility.id,
        status=mobility.status,
        kind=mobility.kind,
        holder_id=mobility.learner_id,
        holder_name=await _name(db, mobility.learner_id) or "",
        sending=await _party(db, mobility.sending_organisation_id),
        host=await _party(db, mobility.receiving_organisation_id),
        starts_on=mobility.starts_on,
        ends_on=mobility.ends_on,
        city=mobility.city,
        country=mobility.country,
        company=mobility.placement_company,
        sector=mobility.placement_sector,
        sending_mentor=await _name(db, mobility.sending_tutor_id),
        host_mentor=await _name(db, mobility.receiving_tutor_id),
        units=[
            europass.Unit(u["title"], bool(u["achieved"]), u.get("comment"))
            for u in mobility.outcomes or []
        ],
        self_assessed=list(mobility.reflection_skills or []),
        reflection=mobility.reflection,
        exchange_id=mobility.exchange_id,
        contact_seconds=seconds,
        sessions=sessions,
    )
    return europass.summary(facts)
