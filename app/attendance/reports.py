"""Term reports of attendance, for a class or an exchange, and the rows of the CSV exports.

A report covers the sessions *held* in a range of local dates: not cancelled, and started
before `now` (a session still running counts, judged on its time so far, as its own sheet
is). Each is computed with `attendance.for_session` for the caller, so a report shows exactly
what the session's attendance shows them: the same rules, overrides and visibility (a partner
school's learners by name, country and status only). Rosters are the current ones, as on the
session sheets; guests (online but no longer on the roster) are not in reports.

Rate: attended / expected, attended meaning status `present`, `late` or `excused`, expected
meaning on the roster; rounded to 4 decimals, null when nothing was expected.

Cost: one query for the sessions and one for class names, then `for_session`'s handful per
session, none per learner; at most `MAX_SESSIONS` sessions per report.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.access import teaches
from app.accounts.tables import User
from app.attendance import sheets as attendance
from app.attendance.hours import day_bounds
from app.attendance.rules.sheet import STATUSES, AttendanceRules, Status
from app.attendance.sheets import Access, Line, Person, SessionAttendance
from app.classes import service as classes
from app.classes.tables import ClassLearner, ClassTeacher, SchoolClass
from app.core.errors import Forbidden, InvalidInput
from app.core.rules.csv_export import AttendanceRow
from app.matching import exchanges
from app.matching.tables import ExchangeClass
from app.organisations.tables import Organisation
from app.scheduling.tables import LiveSession

ATTENDED: frozenset[Status] = frozenset({"present", "late", "excused"})
MAX_SESSIONS = 400


def rate(attended: int, expected: int) -> float | None:
    """attended / expected, 4 decimals; None when nothing was expected."""
    return round(attended / expected, 4) if expected else None


@dataclass(frozen=True)
class ReportSession:
    found: SessionAttendance
    lines: list[Line]  # the roster lines in the report's scope, roster order
    day: date  # the local date of the start, in the report's time zone
    counts: dict[Status, int]  # every status, zeros included
    attended: int

    @property
    def live(self) -> LiveSession:
        return self.found.live


@dataclass
class LearnerTotal:
    person: Person
    access: Access
    expected: int = 0
    attended: int = 0
    online_seconds: int | None = 0  # None when hidden from the caller (a partner's learner)


@dataclass(frozen=True)
class Report:
    kind: Literal["class", "exchange"]
    subject_id: uuid.UUID
    timezone: str
    first: date | None
    last: date | None
    as_of: datetime
    sessions: list[ReportSession]
    learners: list[LearnerTotal]
    class_names: dict[uuid.UUID, str]

    def rows(self) -> Iterator[AttendanceRow]:
        """One CSV row per learner per session."""
        for held in self.sessions:
            for line in held.lines:
                yield attendance_row(held.live, line, self.class_names)


def attendance_row(
    live: LiveSession, line: Line, class_names: dict[uuid.UUID, str]
) -> AttendanceRow:
    """A line as a CSV row; a reduced line (partner school) leaves the hidden cells empty."""
    person, numbers = line.person, line.numbers
    full = line.access == "full"
    return AttendanceRow(
        session_id=live.id,
        session_start=live.starts_at,
        session_title=live.title,
        learner_id=person.id,
        display_name=person.display_name,
        country=person.country,
        class_id=person.class_id if full else None,
        class_name=class_names.get(person.class_id) if full and person.class_id else None,
        status=numbers.status,
        overridden=(numbers.override is not None) if full else None,
        computed_status=numbers.computed_status if full else None,
        online_minutes=round(numbers.online_seconds / 60, 1) if full else None,
        first_join=numbers.first_join if full else None,
        last_leave=numbers.last_leave if full else None,
    )


async def class_names(db: AsyncSession, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await db.execute(
        select(col(SchoolClass.id), col(SchoolClass.name)).where(col(SchoolClass.id).in_(wanted))
    )
    return {class_id: name for class_id, name in rows}  # noqa: C416 (Row, not a pair)


async def session_rows(db: AsyncSession, found: SessionAttendance) -> list[AttendanceRow]:
    """The session's attendance as CSV rows: the roster, then the guests."""
    lines = found.learners + found.guests
    names = await class_names(db, (x.person.class_id for x in lines if x.access == "full"))
    return [attendance_row(found.live, x, names) for x in lines]


async def _held(
    db: AsyncSession,
    exchange_ids: Any,
    start: datetime | None,
    end: datetime | None,
    now: datetime,
) -> list[LiveSession]:
    stmt = select(LiveSession).where(
        col(LiveSession.exchange_id).in_(exchange_ids),
        col(LiveSession.status) != "cancelled",
        col(LiveSession.starts_at) < now,
    )
    if start is not None:
        stmt = stmt.where(col(LiveSession.starts_at) >= start)
    if end is not None:
        stmt = stmt.where(col(LiveSession.starts_at) < end)
    found = list(
        await db.scalars(
            stmt.order_by(col(LiveSession.starts_at), col(LiveSession.id)).limit(MAX_SESSIONS + 1)
        )
    )
    if len(found) > MAX_SESSIONS:
        raise InvalidInput(
            "query.from",
            f"more than {MAX_SESSIONS} sessions in the range: narrow it",
            kind="range_too_large",
        )
    return found


async def _build(
    db: AsyncSession,
    *,
    actor: User,
    kind: Literal["class", "exchange"],
    subject_id: uuid.UUID,
    zone: str,
    first: date | None,
    last: date | None,
    sessions: list[LiveSession],
    scope: set[uuid.UUID] | None,
    now: datetime,
    rules: AttendanceRules,
    stale_after: timedelta,
) -> Report:
    tz = ZoneInfo(zone)
    held: list[ReportSession] = []
    totals: dict[uuid.UUID, LearnerTotal] = {}
    for live in sessions:
        found = await attendance.for_session(
            db, actor=actor, live=live, now=now, rules=rules, stale_after=stale_after
        )
        lines = [x for x in found.learners if scope is None or x.person.id in scope]
        counts: dict[Status, int] = dict.fromkeys(STATUSES, 0)
        for line in lines:
            status = line.numbers.status
            counts[status] += 1
            total = totals.setdefault(line.person.id, LearnerTotal(line.person, line.access))
            total.expected += 1
            if status in ATTENDED:
                total.attended += 1
            if line.access != "full" or total.online_seconds is None:
                total.online_seconds = None
            else:
                total.online_seconds += line.numbers.online_seconds
        attended = sum(counts[s] for s in ATTENDED)
        day = live.starts_at.astimezone(tz).date()
        held.append(ReportSession(found, lines, day, counts, attended))
    names = await class_names(
        db, (x.person.class_id for s in held for x in s.lines if x.access == "full")
    )
    return Report(kind, subject_id, zone, first, last, now, held, list(totals.values()), names)


async def _class_staff(db: AsyncSession, actor: User, school_class: SchoolClass) -> bool:
    if actor.role == "admin":
        return True
    if actor.role == "coordinator":
        return actor.organisation_id == school_class.organisation_id
    return actor.role == "teacher" and await teaches(db, actor.id, school_class.id)


async def class_report(
    db: AsyncSession,
    *,
    actor: User,
    class_id: uuid.UUID,
    first: date | None,
    last: date | None,
    now: datetime,
    rules: AttendanceRules,
    stale_after: timedelta,
) -> Report:
    """The class's learners over the held sessions of every exchange the class is in, the
    dates in the class's school's time zone. The class's teachers, its school's coordinators,
    admins; 404 when the class is out of sight, 403 `not_class_staff` for others who see it
    (its learners)."""
    school_class = await classes.get_visible(db, actor=actor, class_id=class_id)
    if not await _class_staff(db, actor, school_class):
        raise Forbidden(
            "Only the class's teachers and its school's coordinators read its report.",
            code="not_class_staff",
        )
    org = await db.get(Organisation, school_class.organisation_id)
    zone = org.timezone if org is not None else "UTC"
    start, end = day_bounds(first, last, zone)
    in_class = select(col(ExchangeClass.exchange_id)).where(col(ExchangeClass.class_id) == class_id)
    sessions = await _held(db, in_class, start, end, now)
    roster = set(
        await db.scalars(
            select(col(ClassLearner.learner_id)).where(col(ClassLearner.class_id) == class_id)
        )
    )
    return await _build(
        db,
        actor=actor,
        kind="class",
        subject_id=class_id,
        zone=zone,
        first=first,
        last=last,
        sessions=sessions,
        scope=roster,
        now=now,
        rules=rules,
        stale_after=stale_after,
    )


async def _exchange_staff(db: AsyncSession, actor: User, exchange_id: uuid.UUID) -> bool:
    if actor.role == "admin":
        return True
    member = select(col(ExchangeClass.class_id)).where(
        col(ExchangeClass.exchange_id) == exchange_id
    )
    if actor.role == "teacher":
        stmt = select(col(ClassTeacher.class_id)).where(
            col(ClassTeacher.teacher_id) == actor.id, col(ClassTeacher.class_id).in_(member)
        )
    elif actor.role == "coordinator" and actor.organisation_id is not None:
        stmt = select(col(SchoolClass.id)).where(
            col(SchoolClass.organisation_id) == actor.organisation_id,
            col(SchoolClass.id).in_(member),
        )
    else:
        return False
    return await db.scalar(stmt.limit(1)) is not None


async def exchange_report(
    db: AsyncSession,
    *,
    actor: User,
    exchange_id: uuid.UUID,
    first: date | None,
    last: date | None,
    now: datetime,
    rules: AttendanceRules,
    stale_after: timedelta,
) -> Report:
    """Every learner of the exchange over its held sessions, the dates in the caller's
    school's time zone (UTC for admins). Teachers of its classes, coordinators of its schools,
    admins; 404 when the exchange is out of sight, 403 `not_exchange_staff` for others who
    see it (its learners, a network's coordinating school)."""
    exchange = await exchanges.get_visible(db, actor=actor, exchange_id=exchange_id)
    if not await _exchange_staff(db, actor, exchange.id):
        raise Forbidden(
            "Only the exchange's teachers and its schools' coordinators read its report.",
            code="not_exchange_staff",
        )
    org = await db.get(Organisation, actor.organisation_id) if actor.organisation_id else None
    zone = org.timezone if org is not None else "UTC"
    start, end = day_bounds(first, last, zone)
    sessions = await _held(db, [exchange.id], start, end, now)
    return await _build(
        db,
        actor=actor,
        kind="exchange",
        subject_id=exchange.id,
        zone=zone,
        first=first,
        last=last,
        sessions=sessions,
        scope=None,
        now=now,
        rules=rules,
        stale_after=stale_after,
    )
