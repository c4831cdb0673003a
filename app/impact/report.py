"""What an organisation's exchanges reached over a period, per class and in total: learners
reached, contact hours, partner countries, exchanges, sessions held, activities run,
reflections and badges. Built on each class's attendance report (the held sessions and every
learner's measured online time), so the figures agree with the attendance reports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.activities.tables import ActivityRun, Reflection
from app.attendance import reports as attendance_reports
from app.attendance.hours import day_bounds
from app.attendance.rules.sheet import AttendanceRules
from app.badges.tables import Badge
from app.classes.tables import ClassLearner, SchoolClass
from app.core.errors import Forbidden, not_found
from app.matching.tables import ExchangeClass
from app.organisations.tables import Organisation


@dataclass
class Figures:
    learners: set[uuid.UUID] = field(default_factory=set)
    seconds: int = 0
    countries: set[str] = field(default_factory=set)
    exchanges: set[uuid.UUID] = field(default_factory=set)
    sessions: set[uuid.UUID] = field(default_factory=set)
    activities: int = 0
    reflections: int = 0
    badges: int = 0

    def add(self, other: Figures) -> None:
        self.learners |= other.learners
        self.seconds += other.seconds
        self.countries |= other.countries
        self.exchanges |= other.exchanges
        self.sessions |= other.sessions
        self.activities += other.activities
        self.reflections += other.reflections
        self.badges += other.badges


@dataclass(frozen=True)
class ClassImpact:
    class_id: uuid.UUID
    name: str
    figures: Figures


@dataclass(frozen=True)
class Impact:
    organisation: Organisation
    first: date | None
    last: date | None
    classes: list[ClassImpact]
    total: Figures


async def _coordinator_of(
    db: AsyncSession, actor: User, organisation_id: uuid.UUID
) -> Organisation:
    """Admins and the organisation's coordinators; 403 for its other staff, 404 for others."""
    org = await db.get(Organisation, organisation_id)
    if org is None or (actor.role != "admin" and actor.organisation_id != organisation_id):
        raise not_found("Organisation")
    if actor.role not in ("admin", "coordinator"):
        raise Forbidden("Only the organisation's coordinators read its impact.")
    return org


async def _partner_countries(
    db: AsyncSession, exchanges: set[uuid.UUID], own: uuid.UUID
) -> set[str]:
    if not exchanges:
        return set()
    rows = await db.scalars(
        select(col(Organisation.country))
        .join(SchoolClass, col(SchoolClass.organisation_id) == col(Organisation.id))
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(SchoolClass.id))
        .where(col(ExchangeClass.exchange_id).in_(exchanges), col(Organisation.id) != own)
    )
    return set(rows)


async def _count(db: AsyncSession, stmt: object) -> int:
    return int(await db.scalar(stmt) or 0)  # type: ignore[call-overload]


async def _class_figures(
    db: AsyncSession, report: attendance_reports.Report, roster: set[uuid.UUID], own: uuid.UUID
) -> Figures:
    figures = Figures()
    for total in report.learners:
        if total.online_seconds:
            figures.learners.add(total.person.id)
            figures.seconds += total.online_seconds
    figures.sessions = {held.live.id for held in report.sessions}
    figures.exchanges = {held.live.exchange_id for held in report.sessions}
    figures.countries = await _partner_countries(db, figures.exchanges, own)
    if figures.sessions:
        figures.activities = await _count(
            db,
            select(func.count())
            .select_from(ActivityRun)
            .where(col(ActivityRun.session_id).in_(figures.sessions)),
        )
        figures.reflections = await _count(
            db,
            select(func.count())
            .select_from(Reflection)
            .where(
                col(Reflection.session_id).in_(figures.sessions),
                col(Reflection.learner_id).in_(roster),
            ),
        )
    return figures


async def _badges(
    db: AsyncSession,
    exchanges: set[uuid.UUID],
    roster: set[uuid.UUID],
    bounds: tuple[datetime | None, datetime | None],
) -> int:
    """Badges of the class's learners for these exchanges, issued inside the period."""
    if not exchanges or not roster:
        return 0
    stmt = (
        select(func.count())
        .select_from(Badge)
        .where(col(Badge.exchange_id).in_(exchanges), col(Badge.learner_id).in_(roster))
    )
    start, end = bounds
    if start is not None:
        stmt = stmt.where(col(Badge.issued_at) >= start)
    if end is not None:
        stmt = stmt.where(col(Badge.issued_at) < end)
    return await _count(db, stmt)


async def organisation_impact(
    db: AsyncSession,
    *,
    actor: User,
    organisation_id: uuid.UUID,
    first: date | None,
    last: date | None,
    now: datetime,
    rules: AttendanceRules,
    stale_after: timedelta,
) -> Impact:
    org = await _coordinator_of(db, actor, organisation_id)
    bounds = day_bounds(first, last, org.timezone)
    own_classes = list(
        await db.scalars(
            select(SchoolClass)
            .where(col(SchoolClass.organisation_id) == org.id)
            .order_by(col(SchoolClass.name), col(SchoolClass.id))
        )
    )
    total = Figures()
    per_class: list[ClassImpact] = []
    for school_class in own_classes:
        report = await attendance_reports.class_report(
            db,
            actor=actor,
            class_id=school_class.id,
            first=first,
            last=last,
            now=now,
            rules=rules,
            stale_after=stale_after,
        )
        roster = set(
            await db.scalars(
                select(col(ClassLearner.learner_id)).where(
                    col(ClassLearner.class_id) == school_class.id
                )
            )
        )
        figures = await _class_figures(db, report, roster, org.id)
        figures.badges = await _badges(db, figures.exchanges, roster, bounds)
        per_class.append(ClassImpact(school_class.id, school_class.name, figures))
        total.add(figures)
    return Impact(org, first, last, per_class, total)
