"""Virtual-mobility contact hours of a learner: online time inside the scheduled time of the
sessions they joined, per exchange and in total, with the partner countries met.

Hours are measured presence only: an override changes a status, never the time (a teacher's
"present" for a learner whose connection was not recorded adds no hours).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.domain.attendance import Span, contact_seconds
from app.models import (
    ExchangeClass,
    LiveSession,
    Organisation,
    PresenceInterval,
    SchoolClass,
)


@dataclass(frozen=True)
class ExchangeHours:
    exchange_id: uuid.UUID
    seconds: int
    sessions: int  # sessions with online time inside their scheduled time
    first_session: datetime | None
    last_session: datetime | None
    countries: list[str]  # partner countries of the exchange (not the learner's own)
    schools: list[tuple[uuid.UUID, str, str]]  # (organisation id, name, country), all of them


@dataclass(frozen=True)
class LearnerHours:
    learner_id: uuid.UUID
    start: datetime | None
    end: datetime | None
    seconds: int
    exchanges: list[ExchangeHours]
    countries: list[str]  # partner countries met, over all exchanges with time


def as_hours(seconds: int) -> float:
    return round(seconds / 3600, 2)


async def exchange_schools(
    db: AsyncSession, exchange_id: uuid.UUID
) -> list[tuple[uuid.UUID, str, str]]:
    rows = await db.execute(
        select(col(Organisation.id), col(Organisation.name), col(Organisation.country))
        .join(SchoolClass, col(SchoolClass.organisation_id) == col(Organisation.id))
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(SchoolClass.id))
        .where(col(ExchangeClass.exchange_id) == exchange_id)
        .distinct()
        .order_by(col(Organisation.country), col(Organisation.name))
    )
    return [(i, n, c) for i, n, c in rows]


async def learner_hours(
    db: AsyncSession,
    *,
    learner_id: uuid.UUID,
    own_country: str | None,
    start: datetime | None,
    end: datetime | None,
    now: datetime,
    stale_after: timedelta,
    exchange_id: uuid.UUID | None = None,
) -> LearnerHours:
    """Hours over the sessions starting in [start, end) (either bound may be open) that are
    not cancelled, optionally of one exchange."""
    stmt = (
        select(PresenceInterval, LiveSession)
        .join(LiveSession, col(LiveSession.id) == col(PresenceInterval.session_id))
        .where(
            col(PresenceInterval.user_id) == learner_id,
            col(LiveSession.status) != "cancelled",
        )
    )
    if start is not None:
        stmt = stmt.where(col(LiveSession.starts_at) >= start)
    if end is not None:
        stmt = stmt.where(col(LiveSession.starts_at) < end)
    if exchange_id is not None:
        stmt = stmt.where(col(LiveSession.exchange_id) == exchange_id)
    spans: dict[uuid.UUID, list[Span]] = defaultdict(list)
    sessions: dict[uuid.UUID, LiveSession] = {}
    for interval, live in await db.execute(stmt):
        left = interval.left_at
        if left is None and interval.last_heartbeat < now - stale_after:
            left = interval.last_heartbeat  # its process died: as the sweeper will close it
        spans[live.id].append(Span(interval.user_id, interval.joined_at, left))
        sessions[live.id] = live
    seconds: dict[uuid.UUID, int] = defaultdict(int)
    held: dict[uuid.UUID, list[datetime]] = defaultdict(list)
    for session_id, live in sessions.items():
        online = contact_seconds(spans[session_id], [(live.starts_at, live.ends_at)], now)
        if online > 0:
            seconds[live.exchange_id] += online
            held[live.exchange_id].append(live.starts_at)
    exchanges: list[ExchangeHours] = []
    met: set[str] = set()
    for ex_id in sorted(seconds, key=lambda e: min(held[e])):
        schools = await exchange_schools(db, ex_id)
        countries = sorted({c for _, _, c in schools if c != own_country})
        met.update(countries)
        exchanges.append(
            ExchangeHours(
                exchange_id=ex_id,
                seconds=seconds[ex_id],
                sessions=len(held[ex_id]),
                first_session=min(held[ex_id]),
                last_session=max(held[ex_id]),
                countries=countries,
                schools=schools,
            )
        )
    return LearnerHours(
        learner_id=learner_id,
        start=start,
        end=end,
        seconds=sum(seconds.values()),
        exchanges=exchanges,
        countries=sorted(met),
    )
