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
from app.routers.responses import AUTHED, errors
from app.scheduling import calendar_feeds as calendar
from app.scheduling import member_calendars as session_calendars
from app.scheduling import sessions
from app.scheduling.member_calendars import member_classes
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
    return SlotList(
        items=[
            SlotPublic(
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                score=s.score,
                local=[
                    LocalSlotTime(
                        class_id=uuid.UUID(t.class_id), starts_at=t.starts_at, ends_at=t.ends_at
                    )
                    for t in s.local
                ],
            )
            for s in found.items
        ],
        empty_reason=found.empty_reason,
        removed={k: v for k, v in found.counts.items() if v},
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
    return SessionCreated(
        **_public(rows[0]).model_dump(),
        occurrences=[_public(r) for r in rows],
        warnings=warnings,
    )


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
    rows, warnings = await sessions.reschedule(
        db, actor=user, session_id=session_id, data=body, now=utcnow()
    )
    this = next(r for r in rows if r.id == session_id)
    return SessionChanged(
        **_public(this).model_dump(), changed=[_public(r) for r in rows], warnings=warnings
    )


@router.post(
    "/sessions/{session_id}/cancel",
    response_model=SessionPublic,
    responses=errors(401, 403, 404, 409, 422),
)
async def cancel(
    session_id: uuid.UUID, body: SessionCancel, db: SessionDep, user: CurrentUser
) -> SessionPublic:
    return _public(await sessions.cancel(db, actor=user, session_id=session_id, reason=body.reason))


@router.get(
    "/sessions/{session_id}/invite.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, **AUTHED},
)
async def invite(session_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> Response:
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
    await calendar.revoke_feed(db, actor=user, feed_id=feed_id)
    return Response(status_code=204)


@feeds.get(
    "/calendar/{token}.ics",
    name="calendar_feed",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, 404: {"description": "Unknown or revoked"}},
)
async def calendar_feed(token: str, db: SessionDep) -> Response:
    body = await calendar.feed(db, token=token, now=utcnow())
    return Response(body, media_type=ICS, headers={"Cache-Control": "private, max-age=300"})
