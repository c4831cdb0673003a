"""Contact hours of a learner, term reports of a class or an exchange, and the CSV exports of
those and of a session's attendance: asked with `Accept: text/csv` on the JSON path, or with
a `.csv` suffix on it. Columns and rules: docs/attendance.md."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

from app.attendance import hours
from app.attendance import reports as attendance_reports
from app.attendance import sheets as attendance
from app.attendance.hours import HoursView, as_hours
from app.attendance.reports import Report, rate
from app.attendance.schemas.reports import (
    AttendanceLearner,
    AttendanceReportPublic,
    LearnerHoursPublic,
    ReportLearnerPublic,
    ReportSessionPublic,
)
from app.core.errors import not_found
from app.core.rules.csv_export import (
    ATTENDANCE_COLUMNS,
    HOURS_COLUMNS,
    Cell,
    attachment,
    csv_chunks,
    prefers_csv,
)
from app.routers.attendance import timing
from app.routers.deps import ContextDep, CurrentUser, SessionDep
from app.routers.limits import spend_export
from app.routers.responses import csv_content, errors
from app.scheduling.tables import LiveSession

router = APIRouter(tags=["attendance"])

CSV_TYPE = "text/csv; charset=utf-8"
ERRORS = errors(401, 403, 404, 422)
# a CSV is an export: 429 past the account's export budget (app/routers/limits.py)
CSV_ERRORS = errors(401, 403, 404, 422, 429)


def json_or_csv(columns: Sequence[str]) -> dict[int | str, dict[str, Any]]:
    """A JSON operation that also answers CSV (`Accept: text/csv`), its columns the example."""
    return {200: csv_content(columns, "JSON; CSV with `Accept: text/csv`"), **CSV_ERRORS}


def csv_only(columns: Sequence[str]) -> dict[int | str, dict[str, Any]]:
    return {200: csv_content(columns, "CSV, UTF-8 with a BOM"), **CSV_ERRORS}


From = Annotated[date | None, Query(alias="from", description="First local date (YYYY-MM-DD)")]
To = Annotated[date | None, Query(description="Last local date, inclusive (YYYY-MM-DD)")]


def csv_response(
    stem: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> StreamingResponse:
    """Streamed CSV (UTF-8 with a BOM), downloaded as `stem`.csv."""
    chunks = (chunk.encode() for chunk in csv_chunks(header, rows))
    return StreamingResponse(
        chunks, media_type=CSV_TYPE, headers={"Content-Disposition": attachment(stem)}
    )


class CsvAcceptRoute(APIRoute):
    """Matches only a request that prefers CSV (`Accept: text/csv`): the JSON route of the
    same path, included after it, keeps every other request."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is Match.NONE:
            return match, child
        accept = b", ".join(v for k, v in scope.get("headers", []) if k == b"accept")
        if not prefers_csv(accept.decode("latin-1")):
            return Match.NONE, {}
        return match, child


def csv_routes(path: str, endpoint: Callable[..., Any], columns: Sequence[str]) -> None:
    """`endpoint` at `path`.csv (documented), and at `path` for `Accept: text/csv` (hidden:
    the JSON operation of `path` documents the CSV alternative). Registered here, before
    the JSON routes of the same paths (this router is included before the others)."""
    router.add_api_route(
        f"{path}.csv",
        endpoint,
        methods=["GET"],
        response_class=StreamingResponse,
        responses=csv_only(columns),
        dependencies=[Depends(spend_export)],
    )
    router.add_api_route(
        path,
        endpoint,
        methods=["GET"],
        response_class=StreamingResponse,
        route_class_override=CsvAcceptRoute,
        include_in_schema=False,
        dependencies=[Depends(spend_export)],
        name=f"{endpoint.__name__}_accept",
    )


# ---- a session's attendance (the JSON is app/routers/attendance.py) ------------------------


async def session_attendance_csv(
    session_id: uuid.UUID, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> StreamingResponse:
    """The session's attendance as CSV, one row per learner (the roster, then guests), with
    what the caller may see of it: a partner school's learners leave the hidden columns
    empty. Also `GET /sessions/{id}/attendance` with `Accept: text/csv`."""
    live = await db.get(LiveSession, session_id)
    if live is None:
        raise not_found("Session")
    found = await attendance.for_session(
        db,
        actor=user,
        live=live,
        **timing(ctx),
    )
    rows = await attendance_reports.session_rows(db, found)
    return csv_response(f"attendance-{live.id}", ATTENDANCE_COLUMNS, [r.cells() for r in rows])


csv_routes("/sessions/{session_id}/attendance", session_attendance_csv, ATTENDANCE_COLUMNS)


# ---- contact hours -----------------------------------------------------------------------


async def _hours(
    learner_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    first: From = None,
    to: To = None,
) -> HoursView:
    return await hours.hours_of(
        db,
        actor=user,
        learner_id=learner_id,
        first=first,
        last=to,
        now=ctx.clock(),
        stale_after=attendance.measure_from_settings(ctx.settings).stale_after,
    )


Hours = Annotated[HoursView, Depends(_hours)]


async def learner_hours_csv(view: Hours) -> StreamingResponse:
    """The learner's hours as CSV, one row per exchange."""
    rows = [row.cells() for row in hours.hours_rows(view)]
    return csv_response(f"hours-{view.learner.id}", HOURS_COLUMNS, rows)


csv_routes("/learners/{learner_id}/hours", learner_hours_csv, HOURS_COLUMNS)


@router.get(
    "/learners/{learner_id}/hours",
    response_model=LearnerHoursPublic,
    responses=json_or_csv(HOURS_COLUMNS),
)
async def learner_hours(view: Hours) -> LearnerHoursPublic:
    """Virtual-mobility contact hours: online time inside the scheduled time of the sessions
    starting on the dates `from`..`to` (in the learner's school's time zone), per exchange and
    in total, with the partner schools and countries met. The learner, their guardians, their
    school's teachers and coordinators, admins; 404 for anyone else; 422 when `from` is after
    `to`. CSV (one row per exchange) with `Accept: text/csv` or at `/hours.csv`."""
    return hours.hours_public(view)


# ---- term reports ------------------------------------------------------------------------


def report_public(report: Report) -> AttendanceReportPublic:
    sessions = [
        ReportSessionPublic(
            session_id=held.live.id,
            exchange_id=held.live.exchange_id,
            title=held.live.title,
            starts_at=held.live.starts_at,
            ends_at=held.live.held_until,
            date=held.day,
            state="final" if held.found.sheet.final else "live",
            roster=len(held.lines),
            counts=held.counts,
            attended=held.attended,
            rate=rate(held.attended, len(held.lines)),
        )
        for held in report.sessions
    ]
    learners = [
        ReportLearnerPublic(
            learner=AttendanceLearner(
                id=total.person.id,
                display_name=total.person.display_name,
                country=total.person.country,
                class_id=total.person.class_id if total.access == "full" else None,
            ),
            sessions_expected=total.expected,
            sessions_attended=total.attended,
            rate=rate(total.attended, total.expected),
            online_seconds=total.online_seconds,
            contact_hours=None if total.online_seconds is None else as_hours(total.online_seconds),
        )
        for total in report.learners
    ]
    expected = sum(s.roster for s in sessions)
    attended = sum(s.attended for s in sessions)
    return AttendanceReportPublic(
        kind=report.kind,
        class_id=report.subject_id if report.kind == "class" else None,
        exchange_id=report.subject_id if report.kind == "exchange" else None,
        timezone=report.timezone,
        from_date=report.first,
        to_date=report.last,
        as_of=report.as_of,
        sessions=sessions,
        learners=learners,
        expected=expected,
        attended=attended,
        rate=rate(attended, expected),
    )


def report_csv(report: Report) -> StreamingResponse:
    """One row per learner per session, in a file named after the subject and the range."""
    days = "-".join(d.isoformat() for d in (report.first, report.last) if d is not None)
    stem = f"attendance-{report.kind}-{report.subject_id}" + (f"-{days}" if days else "")
    return csv_response(stem, ATTENDANCE_COLUMNS, (row.cells() for row in report.rows()))


async def _class_report(
    class_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    first: From = None,
    to: To = None,
) -> Report:
    return await attendance_reports.class_report(
        db,
        actor=user,
        class_id=class_id,
        first=first,
        last=to,
        **timing(ctx),
    )


async def _exchange_report(
    exchange_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    first: From = None,
    to: To = None,
) -> Report:
    return await attendance_reports.exchange_report(
        db,
        actor=user,
        exchange_id=exchange_id,
        first=first,
        last=to,
        **timing(ctx),
    )


ClassReport = Annotated[Report, Depends(_class_report)]
ExchangeReport = Annotated[Report, Depends(_exchange_report)]


async def class_attendance_report_csv(report: ClassReport) -> StreamingResponse:
    """The class report as CSV, one row per learner per session."""
    return report_csv(report)


async def exchange_attendance_report_csv(report: ExchangeReport) -> StreamingResponse:
    """The exchange report as CSV, one row per learner per session."""
    return report_csv(report)


csv_routes("/classes/{class_id}/attendance-report", class_attendance_report_csv, ATTENDANCE_COLUMNS)
csv_routes(
    "/exchanges/{exchange_id}/attendance-report",
    exchange_attendance_report_csv,
    ATTENDANCE_COLUMNS,
)


@router.get(
    "/classes/{class_id}/attendance-report",
    response_model=AttendanceReportPublic,
    responses=json_or_csv(ATTENDANCE_COLUMNS),
)
async def class_attendance_report(report: ClassReport) -> AttendanceReportPublic:
    """The class's learners over the sessions held (started, not cancelled) on the dates
    `from`..`to` (the class's school's time zone) in every exchange the class is in: per
    session the roster, counts per status and rate; per learner the sessions expected and
    attended, rate and contact hours. The class's teachers, its school's coordinators,
    admins; 404 out of sight, 403 `not_class_staff` for its learners. CSV (one row per learner
    per session) with `Accept: text/csv` or at `/attendance-report.csv`."""
    return report_public(report)


@router.get(
    "/exchanges/{exchange_id}/attendance-report",
    response_model=AttendanceReportPublic,
    responses=json_or_csv(ATTENDANCE_COLUMNS),
)
async def exchange_attendance_report(report: ExchangeReport) -> AttendanceReportPublic:
    """Every learner of the exchange over its sessions held on the dates `from`..`to` (the
    caller's school's time zone; UTC for admins). Teachers of its classes, coordinators of its
    schools, admins; a partner school's learners show by name, country and status only (no
    class, no online time). 404 out of sight, 403 `not_exchange_staff` for others who see it.
    CSV with `Accept: text/csv` or at `/attendance-report.csv`."""
    return report_public(report)
