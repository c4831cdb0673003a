"""Attendance of a session, computed afresh from its presence intervals on every read (from
its sealed records once it has ended and been sealed), with teachers' overrides on top, and who
sees which lines. Overrides themselves: `app/services/attendance_overrides.py`.

Nothing here stores a computed status: presence is the record, the rules are pure
(`app/domain/attendance.py`), so a change of rules or a late reaped interval shows at once and
an override survives any recomputation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.access import linked_learner_ids
from app.accounts.tables import User
from app.attendance import records
from app.attendance.rules.sheet import (
    AttendanceRules,
    AttendanceSheet,
    LearnerAttendance,
    Override,
    Span,
    Status,
    compute_attendance,
)
from app.attendance.tables import AttendanceOverride
from app.classes.tables import ClassLearner, ClassTeacher, SchoolClass
from app.core.errors import not_found
from app.core.settings import Settings
from app.live.tables import PresenceInterval
from app.matching.tables import ExchangeClass
from app.organisations.tables import Organisation
from app.scheduling.tables import LiveSession
from app.webhooks import events as webhook_events

Access = Literal["full", "partner", "hidden"]


@dataclass(frozen=True)
class Person:
    """What attendance shows about a learner beside the numbers."""

    id: uuid.UUID
    display_name: str
    country: str | None
    class_id: uuid.UUID | None
    organisation_id: uuid.UUID | None


@dataclass(frozen=True)
class OverrideInfo:
    status: Status
    reason: str
    set_by: uuid.UUID | None
    set_at: datetime


@dataclass(frozen=True)
class Line:
    person: Person
    numbers: LearnerAttendance
    online_now: bool
    override: OverrideInfo | None
    access: Access


@dataclass(frozen=True)
class SessionAttendance:
    live: LiveSession
    sheet: AttendanceSheet
    rules: AttendanceRules
    learners: list[Line]
    guests: list[Line]


async def roster(db: AsyncSession, exchange_id: uuid.UUID) -> list[Person]:
    """The learners of the exchange's classes, by class then name (a learner in two of its
    classes counts once, in the first)."""
    rows = await db.execute(
        select(User, SchoolClass.id, Organisation.country)  # type: ignore[call-overload]
        .join(ClassLearner, col(ClassLearner.learner_id) == col(User.id))
        .join(SchoolClass, col(SchoolClass.id) == col(ClassLearner.class_id))
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(SchoolClass.id))
        .join(Organisation, col(Organisation.id) == col(SchoolClass.organisation_id))
        .where(col(ExchangeClass.exchange_id) == exchange_id)
        .order_by(col(SchoolClass.name), col(User.display_name), col(User.id))
    )
    people: dict[uuid.UUID, Person] = {}
    for user, class_id, country in rows:
        if user.id not in people:
            people[user.id] = Person(
                user.id, user.display_name, country, class_id, user.organisation_id
            )
    return list(people.values())


def span_of(interval: PresenceInterval, *, now: datetime, stale_after: timedelta) -> Span:
    """A presence interval as the rules read it: one still open whose process stopped
    heartbeating ends at its last heartbeat, as the sweeper will close it, so a crashed
    process never inflates anyone's time."""
    left = interval.left_at
    if left is None and interval.last_heartbeat < now - stale_after:
        left = interval.last_heartbeat
    return Span(interval.user_id, interval.joined_at, left)


async def presence_of(
    db: AsyncSession, session_id: uuid.UUID, *, now: datetime, stale_after: timedelta
) -> tuple[list[Span], set[uuid.UUID], dict[uuid.UUID, PresenceInterval]]:
    """The learners' spans of a session (`span_of`), the learners online now, and one interval
    per learner (for a guest's name and country as the room saw them)."""
    intervals = await db.scalars(
        select(PresenceInterval).where(
            col(PresenceInterval.session_id) == session_id,
            col(PresenceInterval.role) == "learner",
        )
    )
    spans: list[Span] = []
    online: set[uuid.UUID] = set()
    seen: dict[uuid.UUID, PresenceInterval] = {}
    for interval in intervals:
        span = span_of(interval, now=now, stale_after=stale_after)
        if span.left_at is None:
            online.add(interval.user_id)
        spans.append(span)
        seen.setdefault(interval.user_id, interval)
    return spans, online, seen


async def _overrides(db: AsyncSession, session_id: uuid.UUID) -> dict[uuid.UUID, OverrideInfo]:
    rows = await db.scalars(
        select(AttendanceOverride).where(col(AttendanceOverride.session_id) == session_id)
    )
    return {
        r.learner_id: OverrideInfo(r.status, r.reason, r.set_by, r.set_at)  # type: ignore[arg-type]
        for r in rows
    }


async def _exchange_orgs(db: AsyncSession, exchange_id: uuid.UUID) -> set[uuid.UUID]:
    found = await db.scalars(
        select(col(SchoolClass.organisation_id))
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(SchoolClass.id))
        .where(col(ExchangeClass.exchange_id) == exchange_id)
    )
    return set(found)


async def teaches_in(db: AsyncSession, teacher_id: uuid.UUID, exchange_id: uuid.UUID) -> bool:
    found = await db.scalar(
        select(col(ClassTeacher.class_id))
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(ClassTeacher.class_id))
        .where(
            col(ClassTeacher.teacher_id) == teacher_id,
            col(ExchangeClass.exchange_id) == exchange_id,
        )
        .limit(1)
    )
    return found is not None


async def access_rule(
    db: AsyncSession, actor: User, live: LiveSession
) -> tuple[bool, set[uuid.UUID] | None]:
    """`(staff, only)`: staff of the session see every line (their own school's in full,
    a partner school's reduced); others see only the lines of the learners in `only`."""
    if actor.role == "admin":
        return True, None
    if actor.role == "teacher" and await teaches_in(db, actor.id, live.exchange_id):
        return True, None
    if actor.role == "coordinator" and actor.organisation_id in await _exchange_orgs(
        db, live.exchange_id
    ):
        return True, None
    if actor.role == "learner":
        return False, {actor.id}
    if actor.role == "guardian":
        return False, set(await db.scalars(linked_learner_ids(actor.id)))
    return False, set()


def _access(actor: User, staff: bool, only: set[uuid.UUID] | None, person: Person) -> Access:
    if staff:
        if actor.role == "admin" or person.organisation_id == actor.organisation_id:
            return "full"
        return "partner"
    return "full" if only is not None and person.id in only else "hidden"


@dataclass(frozen=True)
class Measure:
    """How attendance is judged (the rules) and read (when open presence counts as gone)."""

    rules: AttendanceRules
    stale_after: timedelta


def measure_from_settings(settings: Settings) -> Measure:
    return Measure(
        rules=AttendanceRules(
            present_share=settings.attendance_present_share,
            late_after=timedelta(minutes=settings.attendance_late_after_minutes),
        ),
        stale_after=timedelta(seconds=settings.ws_presence_stale_s),
    )


@dataclass(frozen=True)
class Computed:
    """A session's sheet and what it was computed from."""

    sheet: AttendanceSheet
    roster: list[Person]
    guests: dict[uuid.UUID, Person]
    online: set[uuid.UUID]
    overrides: dict[uuid.UUID, OverrideInfo]


async def compute(
    db: AsyncSession,
    *,
    live: LiveSession,
    now: datetime,
    rules: AttendanceRules,
    stale_after: timedelta,
) -> Computed:
    """The sheet and what it was computed from (no access rules: for reports and hours):
    from the sealed records once the session is sealed, else from its presence."""
    overrides = await _overrides(db, live.id)
    if live.attendance_sealed_at is not None:
        lines = await records.sealed_lines(db, live)
        sheet = records.sheet_from(
            live,
            (r for r, _ in lines),
            {k: Override(v.status, v.reason) for k, v in overrides.items()},
        )
        people = {
            r.learner_id: Person(u.id, u.display_name, r.country, r.class_id, u.organisation_id)
            for r, u in lines
        }
        roster_people = [people[r.learner_id] for r, _ in lines if r.on_roster]
        guests = {r.learner_id: people[r.learner_id] for r, _ in lines if not r.on_roster}
        return Computed(sheet, roster_people, guests, set(), overrides)
    people_list = await roster(db, live.exchange_id)
    spans, online, seen = await presence_of(db, live.id, now=now, stale_after=stale_after)
    sheet = compute_attendance(
        roster=[p.id for p in people_list],
        spans=spans,
        starts_at=live.starts_at,
        ends_at=live.held_until,
        now=now,
        rules=rules,
        overrides={k: Override(v.status, v.reason) for k, v in overrides.items()},
    )
    guest_people: dict[uuid.UUID, Person] = {}
    for line in sheet.guests:
        interval = seen[line.user_id]
        user = await db.get(User, line.user_id)
        guest_people[line.user_id] = Person(
            line.user_id,
            interval.display_name,
            interval.country,
            interval.class_id,
            user.organisation_id if user else None,
        )
    return Computed(sheet, people_list, guest_people, online, overrides)


async def seal(
    db: AsyncSession,
    *,
    live: LiveSession,
    now: datetime,
    rules: AttendanceRules,
    stale_after: timedelta,
) -> AttendanceSheet | None:
    """Write an ended session's attendance to `attendance_record`, once: the conditional
    update of `attendance_sealed_at` is the claim, so of two processes only one seals. None
    when the session has not ended or was sealed already."""
    if live.attendance_sealed_at is not None or now < live.held_until:
        return None
    computed = await compute(db, live=live, now=now, rules=rules, stale_after=stale_after)
    sheet = computed.sheet
    claimed = await db.execute(
        update(LiveSession)
        .where(col(LiveSession.id) == live.id, col(LiveSession.attendance_sealed_at).is_(None))
        .values(attendance_sealed_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    places = {p.id: (p.class_id, p.country) for p in computed.roster}
    places |= {g.id: (g.class_id, g.country) for g in computed.guests.values()}
    db.add_all(records.records_from(live, sheet, places))
    await db.flush()
    await db.refresh(live)
    await webhook_events.attendance_sealed(db, live=live, now=now)
    return sheet


async def for_session(
    db: AsyncSession,
    *,
    actor: User,
    live: LiveSession,
    now: datetime,
    rules: AttendanceRules,
    stale_after: timedelta,
) -> SessionAttendance:
    """The attendance `actor` may see; 404 when they may see none of it."""
    staff, only = await access_rule(db, actor, live)
    computed = await compute(db, live=live, now=now, rules=rules, stale_after=stale_after)
    sheet, guests, online, overrides = (
        computed.sheet,
        computed.guests,
        computed.online,
        computed.overrides,
    )
    by_id = {p.id: p for p in computed.roster}
    if not staff and not (only and (only & (set(by_id) | set(guests)))):
        raise not_found("Session")

    def lines(numbers: list[LearnerAttendance], known: dict[uuid.UUID, Person]) -> list[Line]:
        out = []
        for n in numbers:
            person = known[n.user_id]
            access = _access(actor, staff, only, person)
            if access != "hidden":
                out.append(Line(person, n, n.user_id in online, overrides.get(n.user_id), access))
        return out

    return SessionAttendance(
        live=live,
        sheet=sheet,
        rules=rules,
        learners=lines(sheet.learners, by_id),
        guests=lines(sheet.guests, guests),
    )
