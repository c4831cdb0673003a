"""Teachers' overrides of attendance: who may set them, and the audit of each change."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.attendance.rules.sheet import AttendanceRules, Status
from app.attendance.sheets import SessionAttendance, for_session, teaches_in
from app.attendance.tables import AttendanceOverride
from app.classes.tables import ClassLearner, ClassTeacher
from app.core.audit import audit
from app.core.errors import Forbidden, not_found
from app.matching.tables import ExchangeClass
from app.scheduling.tables import LiveSession


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
    return learner.organisation_id == actor.organisation_id and await teaches_in(
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
    """Back to the computed status; audited. 404 when there is no override (and first, like
    any session's, when the caller does not see the session: an override's absence must not
    tell an outsider that the session exists)."""
    await for_session(db, actor=actor, live=live, now=now, rules=rules, stale_after=stale_after)
    learner = await db.get(User, learner_id)
    row = await db.get(AttendanceOverride, (live.id, learner_id))
    if row is None or learner is None:
        raise not_found("Override")
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
