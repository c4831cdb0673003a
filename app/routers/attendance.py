"""Attendance of a session: read (live while it runs, final after), and teachers' overrides."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TypedDict

from fastapi import APIRouter

from app.attendance import overrides as attendance_overrides
from app.attendance import sheets as attendance
from app.attendance.rules.sheet import AttendanceRules
from app.attendance.schemas.sheet import (
    AttendanceLine,
    AttendanceOverrideIn,
    AttendanceOverridePublic,
    AttendanceRulesPublic,
    SessionAttendancePublic,
)
from app.attendance.sheets import Line, SessionAttendance
from app.context import AppContext
from app.core.errors import not_found
from app.routers.deps import ContextDep, CurrentUser, SessionDep
from app.routers.responses import errors
from app.scheduling.tables import LiveSession

router = APIRouter(tags=["attendance"])


class Timing(TypedDict):
    """What every attendance computation takes from the app: its clock and settings."""

    now: datetime
    rules: AttendanceRules
    stale_after: timedelta


def timing(ctx: AppContext) -> Timing:
    measure = attendance.measure_from_settings(ctx.settings)
    return Timing(now=ctx.clock(), rules=measure.rules, stale_after=measure.stale_after)


def line_public(line: Line) -> AttendanceLine:
    person, n = line.person, line.numbers
    if line.access != "full":
        return AttendanceLine(
            learner_id=person.id,
            display_name=person.display_name,
            country=person.country,
            class_id=None,
            status=n.status,
            online_minutes=None,
            first_join=None,
            last_leave=None,
            overridden=None,
            computed_status=None,
            online_seconds=None,
            connections=None,
            online_now=None,
            override=None,
        )
    override = line.override
    return AttendanceLine(
        learner_id=person.id,
        display_name=person.display_name,
        country=person.country,
        class_id=person.class_id,
        status=n.status,
        online_minutes=round(n.online_seconds / 60, 1),
        first_join=n.first_join,
        last_leave=n.last_leave,
        overridden=override is not None,
        computed_status=n.computed_status,
        online_seconds=n.online_seconds,
        connections=n.connections,
        online_now=line.online_now,
        override=None
        if override is None
        else AttendanceOverridePublic(
            status=override.status,
            reason=override.reason,
            set_by=override.set_by,
            set_at=override.set_at,
        ),
    )


def sheet_public(found: SessionAttendance) -> SessionAttendancePublic:
    sheet, live = found.sheet, found.live
    state = "final" if sheet.final else ("live" if sheet.as_of > live.starts_at else "not_started")
    counts: dict[str, int] = {}
    for line in found.learners:
        counts[line.numbers.status] = counts.get(line.numbers.status, 0) + 1
    return SessionAttendancePublic(
        session_id=live.id,
        title=live.title,
        starts_at=live.starts_at,
        ends_at=live.held_until,
        state=state,
        as_of=max(sheet.as_of, live.starts_at),
        rules=AttendanceRulesPublic(
            present_share=found.rules.present_share,
            late_after_minutes=int(found.rules.late_after.total_seconds() // 60),
        ),
        items=[line_public(x) for x in found.learners],
        guests=[line_public(x) for x in found.guests],
        counts=counts,
    )


async def _session(db: SessionDep, session_id: uuid.UUID) -> LiveSession:
    live = await db.get(LiveSession, session_id)
    if live is None:
        raise not_found("Session")
    return live


@router.get(
    "/sessions/{session_id}/attendance",
    response_model=SessionAttendancePublic,
    responses=errors(401, 403, 404, 422, 429),  # 429: its CSV (`Accept: text/csv`) is an export
)
async def session_attendance(
    session_id: uuid.UUID, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> SessionAttendancePublic:
    """Who attended, computed from the room's presence: live while the session runs (judged
    on the time so far), final after its scheduled end. The session's teachers and school
    coordinators see every learner, a partner school's learners by name and status only; a
    learner sees their own line, a guardian their linked learners'. Anyone else: 404."""
    live = await _session(db, session_id)
    found = await attendance.for_session(
        db,
        actor=user,
        live=live,
        **timing(ctx),
    )
    return sheet_public(found)


@router.put(
    "/sessions/{session_id}/attendance/{learner_id}",
    response_model=SessionAttendancePublic,
    responses=errors(401, 403, 404, 422),
)
async def override_attendance(
    session_id: uuid.UUID,
    learner_id: uuid.UUID,
    body: AttendanceOverrideIn,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> SessionAttendancePublic:
    """Set a learner's status by hand (`excused` only comes this way), with a reason. The
    learner's own teachers in the exchange, their school's coordinators, admins; 403
    `not_your_learner` for a partner school's teacher. Audited (old, new, reason); it survives
    every recomputation until removed."""
    live = await _session(db, session_id)
    found = await attendance_overrides.set_override(
        db,
        actor=user,
        live=live,
        learner_id=learner_id,
        status=body.status,
        reason=body.reason,
        **timing(ctx),
    )
    return sheet_public(found)


@router.delete(
    "/sessions/{session_id}/attendance/{learner_id}",
    response_model=SessionAttendancePublic,
    responses=errors(401, 403, 404),
)
async def clear_attendance_override(
    session_id: uuid.UUID,
    learner_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> SessionAttendancePublic:
    """Remove an override: the computed status counts again. Audited."""
    live = await _session(db, session_id)
    found = await attendance_overrides.clear_override(
        db,
        actor=user,
        live=live,
        learner_id=learner_id,
        **timing(ctx),
    )
    return sheet_public(found)
