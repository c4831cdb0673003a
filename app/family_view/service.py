"""The guardian's family view: per linked learner, what is coming up and what is consented.

Partner schools appear by name and country only; nothing about other families or learners.
Local times are in the zone the caller asks for (a phone knows its own), else in the
learner's school's zone: accounts carry no time zone of their own.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import GuardianLink, User
from app.attendance import hours
from app.attendance import sheets as attendance
from app.attendance.hours import LearnerHours
from app.attendance.rules.sheet import Status
from app.attendance.sheets import Measure
from app.classes.tables import ClassLearner, SchoolClass
from app.core.errors import Forbidden, not_found
from app.families import consents
from app.families.consents import ConsentState, LearnerFacts
from app.matching.tables import Exchange, ExchangeClass
from app.mobility.family import FamilyMobility, for_family
from app.organisations.tables import Organisation
from app.scheduling.tables import LiveSession

UPCOMING_LIMIT = 20
RECENT_LIMIT = 10


@dataclass(frozen=True)
class Attended:
    live: LiveSession
    status: Status
    online_seconds: int


@dataclass(frozen=True)
class FamilyEntry:
    learner: User
    school: Organisation | None
    zone: str
    facts: LearnerFacts
    consents: list[ConsentState]
    partners: list[Organisation]
    sessions: list[tuple[LiveSession, list[Organisation]]]
    recent: list[Attended]  # the latest sessions held, newest first
    hours: LearnerHours
    absence_alerts: bool
    mobilities: list[FamilyMobility]


async def _partners_by_exchange(
    db: AsyncSession, exchange_ids: list[uuid.UUID], own_org: uuid.UUID | None
) -> dict[uuid.UUID, list[Organisation]]:
    rows = await db.execute(
        select(col(ExchangeClass.exchange_id), Organisation)
        .join(SchoolClass, col(SchoolClass.id) == col(ExchangeClass.class_id))
        .join(Organisation, col(Organisation.id) == col(SchoolClass.organisation_id))
        .where(col(ExchangeClass.exchange_id).in_(exchange_ids))
        .order_by(col(Organisation.country), col(Organisation.name))
    )
    found: dict[uuid.UUID, list[Organisation]] = defaultdict(list)
    for exchange_id, org in rows.all():
        if org.id != own_org and org not in found[exchange_id]:
            found[exchange_id].append(org)
    return found


async def _recent(
    db: AsyncSession,
    learner: User,
    exchange_ids: list[uuid.UUID],
    now: datetime,
    measure: Measure,
) -> list[Attended]:
    held = (
        await db.scalars(
            select(LiveSession)
            .where(
                col(LiveSession.exchange_id).in_(exchange_ids),
                col(LiveSession.status) != "cancelled",
                col(LiveSession.starts_at) <= now,
            )
            .order_by(col(LiveSession.starts_at).desc(), col(LiveSession.id))
            .limit(RECENT_LIMIT)
        )
    ).all()
    found = []
    for live in held:
        sheet = (
            await attendance.compute(
                db, live=live, now=now, rules=measure.rules, stale_after=measure.stale_after
            )
        ).sheet
        line = next((x for x in sheet.learners + sheet.guests if x.user_id == learner.id), None)
        if line is not None:
            found.append(Attended(live, line.status, line.online_seconds))
    return found


async def _entry(
    db: AsyncSession,
    actor: User,
    learner: User,
    zone: str | None,
    now: datetime,
    measure: Measure,
) -> FamilyEntry:
    facts, states = await consents.overview_of(db, actor=actor, learner=learner, now=now)
    link = await db.get(GuardianLink, (actor.id, learner.id))
    school = (
        await db.get(Organisation, learner.organisation_id) if learner.organisation_id else None
    )
    classes = select(col(ClassLearner.class_id)).where(col(ClassLearner.learner_id) == learner.id)
    exchange_ids = list(
        (
            await db.scalars(
                select(col(Exchange.id))
                .join(ExchangeClass, col(ExchangeClass.exchange_id) == col(Exchange.id))
                .where(col(ExchangeClass.class_id).in_(classes), col(Exchange.status) == "active")
                .distinct()
            )
        ).all()
    )
    partners = await _partners_by_exchange(db, exchange_ids, learner.organisation_id)
    upcoming = (
        await db.scalars(
            select(LiveSession)
            .where(
                col(LiveSession.exchange_id).in_(exchange_ids),
                col(LiveSession.status).in_(("scheduled", "live")),
                col(LiveSession.ends_at) > now,
            )
            .order_by(col(LiveSession.starts_at), col(LiveSession.id))
            .limit(UPCOMING_LIMIT)
        )
    ).all()
    every_partner: dict[uuid.UUID, Organisation] = {}
    for orgs in partners.values():
        for org in orgs:
            every_partner.setdefault(org.id, org)
    return FamilyEntry(
        learner=learner,
        school=school,
        zone=zone or facts.timezone,
        facts=facts,
        consents=states,
        partners=sorted(every_partner.values(), key=lambda o: (o.country, o.name)),
        sessions=[(s, partners.get(s.exchange_id, [])) for s in upcoming],
        recent=await _recent(db, learner, exchange_ids, now, measure),
        hours=await hours.learner_hours(
            db,
            learner_id=learner.id,
            own_country=school.country if school else None,
            start=None,
            end=None,
            now=now,
            stale_after=measure.stale_after,
        ),
        absence_alerts=bool(link and link.absence_alerts),
        mobilities=await for_family(db, learner_id=learner.id),
    )


async def view(
    db: AsyncSession, *, actor: User, timezone: str | None, now: datetime, measure: Measure
) -> list[FamilyEntry]:
    if actor.role != "guardian":
        raise Forbidden("The family view is for guardians.")
    learners = (
        await db.scalars(
            select(User)
            .join(GuardianLink, col(GuardianLink.learner_id) == col(User.id))
            .where(col(GuardianLink.guardian_id) == actor.id, col(User.is_active))
            .order_by(col(User.display_name), col(User.id))
        )
    ).all()
    return [await _entry(db, actor, learner, timezone, now, measure) for learner in learners]


async def set_absence_alerts(
    db: AsyncSession, *, actor: User, learner_id: uuid.UUID, absence: bool
) -> bool:
    """A guardian asks (or stops asking) to hear when this learner misses a session."""
    link = await db.get(GuardianLink, (actor.id, learner_id))
    if actor.role != "guardian" or link is None:
        raise not_found("Learner")
    link.absence_alerts = absence
    await db.flush()
    return link.absence_alerts
