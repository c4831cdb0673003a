from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.classes.tables import SchoolClass
from app.core.schemas import Instant, Page
from app.core.tables import utcnow
from app.organisations.tables import Organisation
from app.routers.deps import CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, calendar_content, errors
from app.scheduling import calendar_feeds as calendar
from app.scheduling import member_calendars as session_calendars
from app.scheduling import sessions
from app.scheduling.member_calendars import member_classes
from app.scheduling.rules.slots import LocalTime
from app.scheduling.schemas import (
    FeedPublic,
    LocalSlotTime,
    SessionCancel,
    SessionChanged,
    SessionClass,
    SessionCreate,
    SessionCreated,
    SessionPublic,
    SessionStatus,
    SessionUpdate,
    SlotList,
    SlotPublic,
)
from app.scheduling.tables import LiveSession

router = APIRouter(tags=["sessions"])
feeds = APIRouter(tags=["calendar"])
ICS = "text/calendar; charset=utf-8"
DEFAULT_SLOT_RANGE = timedelta(weeks=4)


def _public(row: LiveSession) -> SessionPublic:
    return SessionPublic.model_validate(row)


async def _named(db: AsyncSession, rows: Sequence[LiveSession]) -> list[SessionPublic]:
    """Sessions with their member classes and schools named, in each class's local time."""
    members: dict[uuid.UUID, list[tuple[SchoolClass, Organisation]]] = {}
    answers = []
    for row in rows:
        if row.exchange_id not in members:
            members[row.exchange_id] = await member_classes(db, row.exchange_id)
        public = _public(row)
        public.classes = [
            SessionClass(
                class_id=c.id,
                name=c.name,
                organisation_id=o.id,
                organisation_name=o.name,
                country=o.country,
                timezone=o.timezone,
                local_starts_at=row.starts_at.astimezone(ZoneInfo(o.timezone)),
                local_ends_at=row.ends_at.astimezone(ZoneInfo(o.timezone)),
            )
            for c, o in members[row.exchange_id]
        ]
        answers.append(public)
    return answers


@router.get("/exchanges/{exchange_id}/slots", response_model=SlotList, responses=AUTHED)
async def common_slots(
    exchange_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    duration_minutes: Annotated[int, Query(gt=0, le=480)],
    start: Annotated[Instant | None, Query(description="Default: now")] = None,
    end: Annotated[Instant | None, Query(description="Default: start + 4 weeks")] = None,
    limit: Limit = 50,
) -> SlotList:
    """Ranked common slots of every member class, DST, holidays, terms and bookings applied."""
    now = utcnow()
    start = start or now
    found = await session_calendars.slots(
        db,
        actor=user,
        exchange_id=exchange_id,
        duration_minutes=duration_minutes,
        start=start,
        end=end or start + DEFAULT_SLOT_RANGE,
        now=now,
        limit=limit,
    )
    members = {c.id: (c, o) for c, o in await member_classes(db, exchange_id)}
    return SlotList(
        items=[
            SlotPublic(
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                score=s.score,
                local=[_local_slot(members[uuid.UUID(t.class_id)], t) for t in s.local],
            )
            for s in found.items
        ],
        empty_reason=found.empty_reason,
        removed={k: v for k, v in found.counts.items() if v},
    )


def _local_slot(member: tuple[SchoolClass, Organisation], local: LocalTime) -> LocalSlotTime:
    school_class, school = member
    return LocalSlotTime(
        class_id=school_class.id,
        name=school_class.name,
        organisation_name=school.name,
        country=school.country,
        timezone=school.timezone,
        starts_at=local.starts_at,
        ends_at=local.ends_at,
    )


@router.post(
    "/exchanges/{exchange_id}/sessions",
    status_code=201,
    response_model=SessionCreated,
    responses=errors(401, 403, 404, 409, 422),
)
async def create_sessions(
    exchange_id: uuid.UUID, body: SessionCreate, db: SessionDep, user: CurrentUser
) -> SessionCreated:
    """One session, or a series from `recurrence.rrule`; created whole or not at all."""
    rows, warnings = await sessions.create(
        db, actor=user, exchange_id=exchange_id, data=body, now=utcnow()
    )
    named = await _named(db, rows)
    return SessionCreated(**named[0].model_dump(), occurrences=named, warnings=warnings)


@router.get(
    "/exchanges/{exchange_id}/sessions", response_model=Page[SessionPublic], responses=AUTHED
)
async def exchange_sessions(
    exchange_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[SessionPublic]:
    """An exchange's sessions, paged, each with its member classes' local times."""
    rows, total = await sessions.list_visible(
        db, actor=user, limit=limit, offset=offset, exchange_id=exchange_id
    )
    return Page(items=await _named(db, rows), total=total)


@router.get("/sessions", response_model=Page[SessionPublic], responses=errors(401, 422))
async def list_sessions(
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    exchange_id: Annotated[uuid.UUID | None, Query()] = None,
    class_id: Annotated[uuid.UUID | None, Query()] = None,
    teacher_id: Annotated[uuid.UUID | None, Query()] = None,
    start: Annotated[Instant | None, Query()] = None,
    end: Annotated[Instant | None, Query()] = None,
    status: Annotated[SessionStatus | None, Query()] = None,
) -> Page[SessionPublic]:
    """The sessions the caller can see, paged; filter by exchange, class, teacher, time range
    and status.
    """
    rows, total = await sessions.list_visible(
        db,
        actor=user,
        limit=limit,
        offset=offset,
        exchange_id=exchange_id,
        class_id=class_id,
        teacher_id=teacher_id,
        start=start,
        end=end,
        status=status,
    )
    return Page(items=await _named(db, rows), total=total)


@router.get("/sessions/{session_id}", response_model=SessionPublic, responses=AUTHED)
async def get_session(session_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> SessionPublic:
    """One session, with each member class's local start and end."""
    (named,) = await _named(db, [await sessions.get_visible(db, actor=user, session_id=session_id)])
    return named


@router.patch(
    "/sessions/{session_id}",
    response_model=SessionChanged,
    responses=errors(401, 403, 404, 409, 422),
)
async def reschedule(
    session_id: uuid.UUID, body: SessionUpdate, db: SessionDep, user: CurrentUser
) -> SessionChanged:
    """Reschedule a session: a new `starts_at` and/or `duration_minutes`.

    Answers the session and every session that changed with it (`changed`), plus warnings;
    a clash with another of the classes' sessions is a 409 `schedule_conflict`.
    """
    rows, warnings = await sessions.reschedule(
        db, actor=user, session_id=session_id, data=body, now=utcnow()
    )
    named = await _named(db, rows)
    this = next(r for r in named if r.id == session_id)
    return SessionChanged(**this.model_dump(), changed=named, warnings=warnings)


@router.post(
    "/sessions/{session_id}/cancel",
    response_model=SessionPublic,
    responses=errors(401, 403, 404, 409, 422),
)
async def cancel(
    session_id: uuid.UUID, body: SessionCancel, db: SessionDep, user: CurrentUser
) -> SessionPublic:
    """Cancel a session with a `reason`; the member classes' people are notified."""
    cancelled = await sessions.cancel(db, actor=user, session_id=session_id, reason=body.reason)
    (named,) = await _named(db, [cancelled])
    return named


@router.get(
    "/sessions/{session_id}/invite.ics",
    response_class=Response,
    responses={200: calendar_content("An iCalendar invitation"), **AUTHED},
)
async def invite(session_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> Response:
    """The session as an iCalendar invitation (`text/calendar`), to add to a calendar."""
    body = await calendar.invite(db, actor=user, session_id=session_id)
    return Response(body, media_type=ICS)


@router.post("/calendar/feeds", status_code=201, response_model=FeedPublic, responses=errors(401))
async def create_feed(request: Request, db: SessionDep, user: CurrentUser) -> FeedPublic:
    """A secret feed URL of your sessions for any calendar app; keep it private, revoke it
    with `DELETE /api/v1/calendar/feeds/{id}`."""
    found, token = await calendar.create_feed(db, actor=user)
    return FeedPublic(id=found.id, url=str(request.url_for("calendar_feed", token=token)))


@router.delete("/calendar/feeds/{feed_id}", status_code=204, responses=errors(401, 404))
async def revoke_feed(feed_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> Response:
    """Revoke one of the caller's calendar feeds: its URL stops working."""
    await calendar.revoke_feed(db, actor=user, feed_id=feed_id)
    return Response(status_code=204)


@feeds.get(
    "/calendar/{token}.ics",
    name="calendar_feed",
    response_class=Response,
    responses={200: calendar_content("An iCalendar feed"), **errors(404)},
)
async def calendar_feed(token: str, db: SessionDep) -> Response:
    """An iCalendar feed of the feed owner's sessions (`text/calendar`), read by calendar apps.

    No login: the unguessable token in the URL is the credential; a revoked or unknown token
    is a 404.
    """
    body = await calendar.feed(db, token=token, now=utcnow())
    return Response(body, media_type=ICS, headers={"Cache-Control": "private, max-age=300"})
