"""Sessions of an exchange: scheduling one session or a series, rescheduling, cancelling and
listing. The time maths is the pure `app.scheduling.rules.slots`; what books each member class is
in `session_calendars`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.classes.tables import ClassTeacher
from app.core.errors import Conflict, Forbidden, InvalidInput, not_found
from app.core.paging import fetch_page
from app.core.rules.instants import utc_iso
from app.core.tables import utcnow
from app.matching import exchanges
from app.matching.tables import Exchange, ExchangeClass
from app.notifications import service as notifications
from app.scheduling import expansion
from app.scheduling.member_calendars import member_calendars, member_classes
from app.scheduling.rules.checks import find_conflicts, find_warnings
from app.scheduling.rules.slots import Conflict as ScheduleConflict
from app.scheduling.schemas import Notice, SessionCreate, SessionUpdate
from app.scheduling.tables import LiveSession, SessionSeries
from app.webhooks import events as webhook_events


async def _may_schedule(db: AsyncSession, actor: User, exchange: Exchange) -> bool:
    if actor.role == "admin":
        return True
    members = await member_classes(db, exchange.id)
    if actor.role == "coordinator":
        return any(c.organisation_id == actor.organisation_id for c, _ in members)
    if actor.role == "teacher":
        taught = await db.scalars(
            select(col(ClassTeacher.class_id)).where(
                col(ClassTeacher.teacher_id) == actor.id,
                col(ClassTeacher.class_id).in_([c.id for c, _ in members]),
            )
        )
        return taught.first() is not None
    return False


async def schedulable_exchange(
    db: AsyncSession, *, actor: User, exchange_id: uuid.UUID
) -> Exchange:
    exchange = await exchanges.get_visible(db, actor=actor, exchange_id=exchange_id)
    if not await _may_schedule(db, actor, exchange):
        raise Forbidden("Only teachers of member classes and their coordinators schedule.")
    if exchange.status != "active":
        raise Conflict(
            f"The exchange is {exchange.status}; sessions are scheduled once every class accepted.",
            code="exchange_not_active",
        )
    return exchange


async def _organiser_zone(db: AsyncSession, actor: User, exchange: Exchange) -> str:
    members = await member_classes(db, exchange.id)
    for _, org in members:
        if org.id == actor.organisation_id:
            return org.timezone
    return members[0][1].timezone


def _conflict_details(conflicts: list[ScheduleConflict]) -> list[dict[str, str]]:
    return [
        {
            "kind": c.reason,
            "class_id": c.class_id,
            "starts_at": utc_iso(c.starts_at),
            "ends_at": utc_iso(c.ends_at),
            "detail": c.detail,
        }
        for c in conflicts
    ]


async def _check(
    db: AsyncSession,
    exchange_id: uuid.UUID,
    intervals: list[tuple[datetime, datetime]],
    *,
    ignore: frozenset[uuid.UUID] = frozenset(),
) -> list[Notice]:
    """Refuse (409, listing every conflict) or return the warnings."""
    low = min(s for s, _ in intervals)
    high = max(e for _, e in intervals)
    calendars = await member_calendars(db, exchange_id, start=low, end=high, ignore=ignore)
    conflicts = find_conflicts(intervals, calendars)
    for i, (s, e) in enumerate(intervals):
        for j in range(i + 1, len(intervals)):
            s2, e2 = intervals[j]
            if s < e2 and s2 < e:
                raise InvalidInput("body.recurrence.rrule", "occurrences overlap each other")
    if conflicts:
        clashing = len({c.index for c in conflicts})
        raise Conflict(
            f"{clashing} occurrence conflicts with bookings or terms."
            if clashing == 1
            else f"{clashing} occurrences conflict with bookings or terms.",
            code="schedule_conflict",
            details=_conflict_details(conflicts),
        )
    return [
        Notice(
            kind=w.kind,
            class_id=uuid.UUID(w.class_id),
            starts_at=w.starts_at,
            ends_at=w.ends_at,
            detail=w.detail,
        )
        for w in find_warnings(intervals, calendars)
    ]


async def create(
    db: AsyncSession,
    *,
    actor: User,
    exchange_id: uuid.UUID,
    data: SessionCreate,
    now: datetime,
) -> tuple[list[LiveSession], list[Notice]]:
    exchange = await schedulable_exchange(db, actor=actor, exchange_id=exchange_id)
    zone_name = data.timezone or await _organiser_zone(db, actor, exchange)
    first_local = data.starts_at.astimezone(ZoneInfo(zone_name))
    if data.recurrence is not None:
        starts = await expansion.expand(data.recurrence.rrule, first_local)
    else:
        starts = [first_local]
    if not starts:
        raise InvalidInput("body.recurrence.rrule", "the rule yields no occurrence")
    if min(starts) < now:
        raise InvalidInput("body.starts_at", "a session cannot start in the past")
    duration = timedelta(minutes=data.duration_minutes)
    intervals = [(s.astimezone(UTC), s.astimezone(UTC) + duration) for s in starts]
    warnings = await _check(db, exchange.id, intervals)
    series_id = None
    if data.recurrence is not None:
        series = SessionSeries(
            exchange_id=exchange.id, rrule=data.recurrence.rrule, timezone=zone_name
        )
        db.add(series)
        await db.flush()
        series_id = series.id
    created = [
        LiveSession(
            exchange_id=exchange.id,
            series_id=series_id,
            title=data.title,
            starts_at=s,
            ends_at=e,
            timezone=zone_name,
            created_by=actor.id,
        )
        for s, e in intervals
    ]
    db.add_all(created)
    await db.flush()
    await notifications.session_event(db, event="session.scheduled", rows=created, actor=actor)
    await webhook_events.sessions(db, event_type="session.scheduled", rows=created, now=now)
    return created, warnings


def visible_to(actor: User) -> ColumnElement[bool]:
    visible = select(col(Exchange.id)).where(exchanges.visible_to(actor))
    return col(LiveSession.exchange_id).in_(visible)


async def get_visible(db: AsyncSession, *, actor: User, session_id: uuid.UUID) -> LiveSession:
    found = (
        await db.scalars(
            select(LiveSession).where(col(LiveSession.id) == session_id, visible_to(actor))
        )
    ).first()
    if found is None:
        raise not_found("Session")
    return found


async def list_visible(
    db: AsyncSession,
    *,
    actor: User,
    limit: int,
    offset: int,
    exchange_id: uuid.UUID | None = None,
    class_id: uuid.UUID | None = None,
    teacher_id: uuid.UUID | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    status: str | None = None,
) -> tuple[list[LiveSession], int]:
    stmt = select(LiveSession).where(visible_to(actor))
    if exchange_id:
        stmt = stmt.where(col(LiveSession.exchange_id) == exchange_id)
    if class_id or teacher_id:
        classes = [class_id] if class_id else []
        if teacher_id:
            taught = select(col(ClassTeacher.class_id)).where(
                col(ClassTeacher.teacher_id) == teacher_id
            )
            class_filter = or_(
                col(ExchangeClass.class_id).in_(taught), col(ExchangeClass.class_id).in_(classes)
            )
        else:
            class_filter = col(ExchangeClass.class_id).in_(classes)
        touching = select(col(ExchangeClass.exchange_id)).where(class_filter)
        stmt = stmt.where(col(LiveSession.exchange_id).in_(touching))
    if start:
        stmt = stmt.where(col(LiveSession.ends_at) > start)
    if end:
        stmt = stmt.where(col(LiveSession.starts_at) < end)
    if status:
        stmt = stmt.where(col(LiveSession.status) == status)
    stmt = stmt.order_by(col(LiveSession.starts_at), col(LiveSession.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def _editable(db: AsyncSession, actor: User, session_id: uuid.UUID) -> LiveSession:
    found = await get_visible(db, actor=actor, session_id=session_id)
    await schedulable_exchange(db, actor=actor, exchange_id=found.exchange_id)
    if found.status != "scheduled":
        raise Conflict(
            f"The session is {found.status}; only scheduled sessions change.",
            code="session_not_scheduled",
        )
    return found


async def reschedule(
    db: AsyncSession, *, actor: User, session_id: uuid.UUID, data: SessionUpdate, now: datetime
) -> tuple[list[LiveSession], list[Notice]]:
    this = await _editable(db, actor, session_id)
    targets = [this]
    if data.apply_to == "this_and_following" and this.series_id is not None:
        targets = list(
            (
                await db.scalars(
                    select(LiveSession)
                    .where(
                        col(LiveSession.series_id) == this.series_id,
                        col(LiveSession.starts_at) >= this.starts_at,
                        col(LiveSession.status) == "scheduled",
                    )
                    .order_by(col(LiveSession.starts_at))
                )
            ).all()
        )
    zone = ZoneInfo(this.timezone)
    old_local = this.starts_at.astimezone(zone).replace(tzinfo=None)
    new_local = (data.starts_at or this.starts_at).astimezone(zone).replace(tzinfo=None)
    shift = new_local - old_local  # applied in local wall-clock time: 10:00 stays 10:00
    planned: list[tuple[LiveSession, datetime, datetime]] = []
    for target in targets:
        local = target.starts_at.astimezone(zone).replace(tzinfo=None) + shift
        start = local.replace(tzinfo=zone).astimezone(UTC)
        length = (
            timedelta(minutes=data.duration_minutes)
            if data.duration_minutes is not None
            else target.ends_at - target.starts_at
        )
        planned.append((target, start, start + length))
    if min(s for _, s, _ in planned) < now:
        raise InvalidInput("body.starts_at", "a session cannot start in the past")
    warnings = await _check(
        db,
        this.exchange_id,
        [(s, e) for _, s, e in planned],
        ignore=frozenset(t.id for t in targets),
    )
    stamp = utcnow()
    for target, s, e in planned:
        target.starts_at, target.ends_at = s, e
        if data.title is not None:
            target.title = data.title
        target.sequence += 1
        target.updated_at = stamp
    await db.flush()
    await notifications.session_event(db, event="session.rescheduled", rows=targets, actor=actor)
    await webhook_events.sessions(db, event_type="session.changed", rows=targets, now=stamp)
    return targets, warnings


async def cancel(
    db: AsyncSession, *, actor: User, session_id: uuid.UUID, reason: str
) -> LiveSession:
    target = await _editable(db, actor, session_id)
    target.status = "cancelled"
    target.cancel_reason = reason
    target.sequence += 1
    target.updated_at = utcnow()
    await db.flush()
    await notifications.session_event(
        db, event="session.cancelled", rows=[target], actor=actor, reason=reason
    )
    await webhook_events.sessions(
        db, event_type="session.cancelled", rows=[target], now=target.updated_at, reason=reason
    )
    return target
