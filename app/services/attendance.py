"""Attendance of a session, computed afresh from its presence intervals on every read, with
teachers' overrides on top; who sees which lines, and overrides (audited).

Nothing here stores a computed status: presence is the record, the rules are pure
(`app/domain/attendance.py`), so a change of rules or a late reaped interval shows at once and
an override survives any recomputation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.domain.attendance import (
    AttendanceRules,
    AttendanceSheet,
    LearnerAttendance,
    Override,
    Span,
    Status,
    compute_attendance,
)
from app.errors import Forbidden, not_found
from app.models import (
    AttendanceOverride,
    ClassLearner,
    ClassTeacher,
    ExchangeClass,
    GuardianLink,
    LiveSession,
    Organisation,
    PresenceInterval,
    SchoolClass,
    User,
)
from app.services.audit import audit

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


async def presence_of(
    db: AsyncSession, session_id: uuid.UUID, *, now: datetime, stale_after: timedelta
) -> tuple[list[Span], set[uuid.UUID], dict[uuid.UUID, PresenceInterval]]:
    """The learners' spans of a session, the learners online now, and one interval per learner
    (for a guest's name and country as the room saw them). An interval still open whose
    process stopped heartbeating counts until its last heartbeat, as the sweeper will close
    it: a crashed process never inflates anyone's time."""
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
        left = interval.left_at
        if left is None:
            if interval.last_heartbeat < now - stale_after:
                left = interval.last_heartbeat
            else:
                online.add(interval.user_id)
        spans.append(Span(interval.user_id, interval.joined_at, left))
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


async def _teaches_in(db: AsyncSession, teacher_id: uuid.UUID, exchange_id: uuid.UUID) -> bool:
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


async def _linked(db: AsyncSession, guardian_id: uuid.UUID) -> set[uuid.UUID]:
    found = await db.scalars(
        select(col(GuardianLink.learner_id)).where(col(GuardianLink.guardian_id) == guardian_id)
    )
    return set(found)


async def access_rule(
    db: AsyncSession, actor: User, live: LiveSession
) -> tuple[bool, set[uuid.UUID] | None]:
    """`(staff, only)`: staff of the session see every line (their own school's in full,
    a partner school's reduced); others see only the lines of the learners in `only`."""
    if actor.role == "admin":
        return True, None
    if actor.role == "teacher" and await _teaches_in(db, actor.id, live.exchange_id):
        return True, None
    if actor.role == "coordinator" and actor.organisation_id in await _exchange_orgs(
        db, live.exchange_id
    ):
        return True, None
    if actor.role == "learner":
        return False, {actor.id}
    if actor.role == "guardian":
        return False, await _linked(db, actor.id)
    return False, set()


def _access(actor: User, staff: bool, only: set[uuid.UUID] | None, person: Person) -> Access:
    if staff:
        if actor.role == "admin" or person.organisation_id == actor.organisation_id:
            return "full"
        return "partner"
    return "full" if only is not None and person.id in only else "hidden"


def rules_from(present_share: float, late_after_minutes: int) -> AttendanceRules:
    return AttendanceRules(
        present_share=present_share, late_after=timedelta(minutes=late_after_minutes)
    )


async def compute(
    db: AsyncSession,
    *,
    live: LiveSession,
    now: datetime,
    rules: AttendanceRules,
    stale_after: timedelta,
) -> tuple[
    AttendanceSheet,
    list[Person],
    dict[uuid.UUID, Person],
    set[uuid.UUID],
    dict[uuid.UUID, OverrideInfo],
]:
    """The sheet and what it was computed from (no access rules: for reports and hours)."""
    people = await roster(db, live.exchange_id)
    spans, online, seen = await presence_of(db, live.id, now=now, stale_after=stale_after)
    overrides = await _overrides(db, live.id)
    sheet = compute_attendance(
        roster=[p.id for p in people],
        spans=spans,
        starts_at=live.starts_at,
        ends_at=live.ends_at,
        now=now,
        rules=rules,
        overrides={k: Override(v.status, v.reason) for k, v in overrides.items()},
    )
    guests: dict[uuid.UUID, Person] = {}
    for line in sheet.guests:
        interval = seen[line.user_id]
        guests[line.user_id] = Person(
            line.user_id, interval.display_name, interval.country, interval.class_id, None
        )
    return sheet, people, guests, online, overrides


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
    sheet, people, guests, online, overrides = await compute(
        db, live=live, now=now, rules=rules, stale_after=stale_after
    )
    by_id = {p.id: p for p in people}
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


async def _may_override(db: AsyncSession, actor: User, learner: User, live: LiveSession) -> bool:
    if actor.role == "admin":
        return True
    if actor.role == "coordinator":
        return (
            actor.organisation_id is not None and actor.organisation_id == learner.organisation_id
        )
    if actor.role != "teacher":
        return False
    found = await db.scalar(
        select(col(ClassTeacher.class_id))
        .join(ClassLearner, col(ClassLearner.class_id) == col(ClassTeacher.class_id))
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(ClassTeacher.class_id))
        .where(
            col(ClassTeacher.teacher_id) == actor.id,
            col(ClassLearner.learner_id) == learner.id,
            col(ExchangeClass.exchange_id) == live.exchange_id,
        )
        .limit(1)
    )
    if found is not None:
        return True
    # a guest (left the roster): a teacher of the session from the learner's own school
    return learner.organisation_id == actor.organisation_id and await _teaches_in(
        db, actor.id, live.exchange_id
    )


async def set_override(
    db: AsyncSession,
    *,
    actor: User,
    live: LiveSession,
    learner_id: uuid.UUID,
    status: Status,
    reason: str,
    now: datetime,
    rules: AttendanceRules,
    stale_after: timedelta,
) -> SessionAttendance:
    """A teacher's status for one learner (on the roster or a guest), with a reason; audited
    with the old and new status. 404 when the learner is not in the session's attendance,
    403 when the caller may see but not change that learner's line."""
    before = await for_session(
        db, actor=actor, live=live, now=now, rules=rules, stale_after=stale_after
    )
    line = next((x for x in before.learners + before.guests if x.person.id == learner_id), None)
    learner = await db.get(User, learner_id)
    if line is None or learner is None:
        raise not_found("Learner")
    if not await _may_override(db, actor, learner, live):
        raise Forbidden(
            "Only the learner's own teachers and school coordinators change their attendance.",
            code="not_your_learner",
        )
    row = await db.get(AttendanceOverride, (live.id, learner_id))
    if row is None:
        row = AttendanceOverride(
            session_id=live.id, learner_id=learner_id, status=status, reason=reason
        )
        db.add(row)
    row.status, row.reason, row.set_by, row.set_at = status, reason, actor.id, now
    await db.flush()
    await audit(
        db,
        actor,
        "attendance.overridden",
        "user",
        learner_id,
        {"session_id": str(live.id), "old": line.numbers.status, "new": status, "reason": reason},
    )
    return await for_session(
        db, actor=actor, live=live, now=now, rules=rules, stale_after=stale_after
    )


async def clear_override(
    db: AsyncSession,
    *,
    actor: User,
    live: LiveSession,
    learner_id: uuid.UUID,
    now: datetime,
    rules: AttendanceRules,
    stale_after: timedelta,
) -> SessionAttendance:
    """Back to the computed status; audited. 404 when there is no override."""
    learner = await db.get(User, learner_id)
    row = await db.get(AttendanceOverride, (live.id, learner_id))
    if row is None or learner is None:
        raise not_found("Override")
    await for_session(db, actor=actor, live=live, now=now, rules=rules, stale_after=stale_after)
    if not await _may_override(db, actor, learner, live):
        raise Forbidden(
            "Only the learner's own teachers and school coordinators change their attendance.",
            code="not_your_learner",
        )
    old = row.status
    await db.delete(row)
    await db.flush()
    after = await for_session(
        db, actor=actor, live=live, now=now, rules=rules, stale_after=stale_after
    )
    line = next(x for x in after.learners + after.guests if x.person.id == learner_id)
    await audit(
        db,
        actor,
        "attendance.override_removed",
        "user",
        learner_id,
        {"session_id": str(live.id), "old": old, "new": line.numbers.status},
    )
    return after
