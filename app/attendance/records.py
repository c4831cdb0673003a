"""Sealed attendance: once a session has ended, its computed lines are written to
`attendance_record` and read from there on. The presence details may then be purged after the
retention period (`app/services/retention.py`) while attendance, reports, hours and
certificates stay exactly as they were; the roster of a sealed session is the one it had.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.attendance.rules.sheet import AttendanceSheet, LearnerAttendance, Override, Status
from app.attendance.tables import AttendanceRecord
from app.scheduling.tables import LiveSession


def records_from(
    live: LiveSession,
    sheet: AttendanceSheet,
    places: dict[uuid.UUID, tuple[uuid.UUID | None, str | None]],
) -> list[AttendanceRecord]:
    """One record per line of a final sheet; `places` gives each learner's (class, country)."""
    rows = []
    for on_roster, lines in ((True, sheet.learners), (False, sheet.guests)):
        for line in lines:
            class_id, country = places.get(line.user_id, (None, None))
            rows.append(
                AttendanceRecord(
                    session_id=live.id,
                    learner_id=line.user_id,
                    on_roster=on_roster,
                    status=line.computed_status,
                    online_seconds=line.online_seconds,
                    first_join=line.first_join,
                    last_leave=line.last_leave,
                    connections=line.connections,
                    class_id=class_id,
                    country=country,
                )
            )
    return rows


async def sealed_lines(db: AsyncSession, live: LiveSession) -> list[tuple[AttendanceRecord, User]]:
    rows = await db.execute(
        select(AttendanceRecord, User)
        .join(User, col(User.id) == col(AttendanceRecord.learner_id))
        .where(col(AttendanceRecord.session_id) == live.id)
        .order_by(col(AttendanceRecord.class_id), col(User.display_name), col(User.id))
    )
    return [(record, user) for record, user in rows]


def _line(record: AttendanceRecord, override: Override | None) -> LearnerAttendance:
    computed: Status = record.status  # type: ignore[assignment]
    return LearnerAttendance(
        user_id=record.learner_id,
        status=override.status if override else computed,
        computed_status=computed,
        online_seconds=record.online_seconds,
        first_join=record.first_join,
        last_leave=record.last_leave,
        connections=record.connections,
        override=override,
    )


def sheet_from(
    live: LiveSession,
    records: Iterable[AttendanceRecord],
    overrides: dict[uuid.UUID, Override],
) -> AttendanceSheet:
    learners: list[LearnerAttendance] = []
    guests: list[LearnerAttendance] = []
    for record in records:
        line = _line(record, overrides.get(record.learner_id))
        (learners if record.on_roster else guests).append(line)
    return AttendanceSheet(
        starts_at=live.starts_at,
        ends_at=live.held_until,
        as_of=live.held_until,
        final=True,
        learners=learners,
        guests=guests,
    )
