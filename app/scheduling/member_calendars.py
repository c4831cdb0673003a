"""What books each member class of an exchange, and the common slots that are left."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.classes.rules import WeeklyWindow, parse_hhmm
from app.classes.tables import ClassTeacher, SchoolClass
from app.core.errors import InvalidInput
from app.matching import exchanges
from app.matching.tables import ExchangeClass
from app.organisations.tables import Organisation
from app.scheduling.rules.slots import MemberCalendar, SlotSearch, find_slots
from app.scheduling.tables import LiveSession

ACTIVE_STATUSES = ("scheduled", "live")
MAX_RANGE = timedelta(days=366)


async def member_classes(
    db: AsyncSession, exchange_id: uuid.UUID
) -> list[tuple[SchoolClass, Organisation]]:
    rows = await db.execute(
        select(SchoolClass, Organisation)
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(SchoolClass.id))
        .join(Organisation, col(Organisation.id) == col(SchoolClass.organisation_id))
        .where(col(ExchangeClass.exchange_id) == exchange_id)
        .order_by(col(Organisation.country), col(SchoolClass.id))
    )
    return list(rows.all())


def _windows(school_class: SchoolClass) -> tuple[WeeklyWindow, ...]:
    return tuple(
        WeeklyWindow(w["weekday"], parse_hhmm(w["start"]), parse_hhmm(w["end"]))
        for w in school_class.availability
    )


async def member_calendars(
    db: AsyncSession,
    exchange_id: uuid.UUID,
    *,
    start: datetime,
    end: datetime,
    ignore: frozenset[uuid.UUID] = frozenset(),
) -> list[MemberCalendar]:
    """Each member class with what already books it or any of its teachers in [start, end)."""
    members = await member_classes(db, exchange_id)
    class_ids = [c.id for c, _ in members]
    teachers: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for class_id, teacher_id in await db.execute(
        select(col(ClassTeacher.class_id), col(ClassTeacher.teacher_id)).where(
            col(ClassTeacher.class_id).in_(class_ids)
        )
    ):
        teachers[class_id].add(teacher_id)
    all_teachers = set().union(*teachers.values()) if teachers else set()
    # Classes whose sessions book someone here: the members and every class their teachers teach.
    related: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)  # class -> member classes it books
    for cid in class_ids:
        related[cid].add(cid)
    for class_id, teacher_id in await db.execute(
        select(col(ClassTeacher.class_id), col(ClassTeacher.teacher_id)).where(
            col(ClassTeacher.teacher_id).in_(all_teachers)
        )
    ):
        for member in class_ids:
            if teacher_id in teachers[member]:
                related[class_id].add(member)
    busy: dict[uuid.UUID, set[tuple[datetime, datetime]]] = defaultdict(set)
    rows = await db.execute(
        select(
            col(LiveSession.id),
            col(LiveSession.starts_at),
            col(LiveSession.ends_at),
            col(ExchangeClass.class_id),
        )
        .join(ExchangeClass, col(ExchangeClass.exchange_id) == col(LiveSession.exchange_id))
        .where(
            col(ExchangeClass.class_id).in_(list(related)),
            col(LiveSession.status).in_(ACTIVE_STATUSES),
            col(LiveSession.starts_at) < end,
            col(LiveSession.ends_at) > start,
        )
    )
    for session_id, s, e, class_id in rows:
        if session_id in ignore:
            continue
        for member in related[class_id]:
            busy[member].add((s, e))
    return [
        MemberCalendar(
            class_id=str(c.id),
            country=o.country,
            region=o.region,
            timezone=o.timezone,
            availability=_windows(c),
            term_start=c.term_start,
            term_end=c.term_end,
            busy=tuple(sorted(busy[c.id])),
        )
        for c, o in members
    ]


async def slots(
    db: AsyncSession,
    *,
    actor: User,
    exchange_id: uuid.UUID,
    duration_minutes: int,
    start: datetime,
    end: datetime,
    now: datetime,
    limit: int,
) -> SlotSearch:
    exchange = await exchanges.get_visible(db, actor=actor, exchange_id=exchange_id)
    if end <= start:
        raise InvalidInput("query.end", "must be after start")
    if end - start > MAX_RANGE:
        raise InvalidInput("query.end", "the range may span at most one year")
    calendars = await member_calendars(db, exchange.id, start=start, end=end)
    return find_slots(
        calendars,
        start=start,
        end=end,
        duration=timedelta(minutes=duration_minutes),
        now=now,
        limit=limit,
    )
