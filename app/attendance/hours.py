"""Virtual-mobility contact hours of a learner: online time inside the scheduled time of the
sessions they joined, per exchange and in total, with the partner countries met.

Hours are measured presence only: an override changes a status, never the time (a teacher's
"present" for a learner whose connection was not recorded adds no hours).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.attendance.rules.sheet import Span, contact_seconds
from app.attendance.schemas.reports import ExchangeHoursPublic, LearnerHoursPublic, SchoolPublic
from app.attendance.sheets import span_of
from app.attendance.tables import AttendanceRecord
from app.classes.tables import SchoolClass
from app.core.audit import record_cross_school_read
from app.core.errors import InvalidInput
from app.core.rules.csv_export import HoursRow
from app.families.consents import visible_learner
from app.live.tables import PresenceInterval
from app.matching.tables import ExchangeClass
from app.organisations.tables import Organisation
from app.scheduling.tables import LiveSession


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
    not cancelled, optionally of one exchange: from the sealed records of ended sessions,
    from presence for the others."""
    in_range = [col(LiveSession.status) != "cancelled"]
    if start is not None:
        in_range.append(col(LiveSession.starts_at) >= start)
    if end is not None:
        in_range.append(col(LiveSession.starts_at) < end)
    if exchange_id is not None:
        in_range.append(col(LiveSession.exchange_id) == exchange_id)
    seconds: dict[uuid.UUID, int] = defaultdict(int)
    held: dict[uuid.UUID, list[datetime]] = defaultdict(list)
    sealed = await db.execute(
        select(col(AttendanceRecord.online_seconds), LiveSession)
        .join(LiveSession, col(LiveSession.id) == col(AttendanceRecord.session_id))
        .where(
            col(AttendanceRecord.learner_id) == learner_id,
            col(AttendanceRecord.online_seconds) > 0,
            col(LiveSession.attendance_sealed_at).is_not(None),
            *in_range,
        )
    )
    for online, live in sealed:
        seconds[live.exchange_id] += online
        held[live.exchange_id].append(live.starts_at)
    stmt = (
        select(PresenceInterval, LiveSession)
        .join(LiveSession, col(LiveSession.id) == col(PresenceInterval.session_id))
        .where(
            col(PresenceInterval.user_id) == learner_id,
            col(LiveSession.attendance_sealed_at).is_(None),
            *in_range,
        )
    )
    spans: dict[uuid.UUID, list[Span]] = defaultdict(list)
    sessions: dict[uuid.UUID, LiveSession] = {}
    for interval, live in await db.execute(stmt):
        spans[live.id].append(span_of(interval, now=now, stale_after=stale_after))
        sessions[live.id] = live
    for session_id, live in sessions.items():
        online = contact_seconds(spans[session_id], [(live.starts_at, live.held_until)], now)
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


def day_bounds(
    first: date | None, last: date | None, zone: str
) -> tuple[datetime | None, datetime | None]:
    """The instants [local midnight starting `first`, local midnight after `last`) in the
    time zone `zone` (so `last` is inclusive), either open when not given. 422 on the
    `from` query field when `first` is after `last`, on either when out of range."""
    if first is not None and last is not None and first > last:
        raise InvalidInput("query.from", "must not be after `to`", kind="range_reversed")
    tz = ZoneInfo(zone)

    def midnight(day: date | None, field: str, days: int) -> datetime | None:
        if day is None:
            return None
        try:
            return datetime.combine(day + timedelta(days=days), time(0), tzinfo=tz).astimezone(UTC)
        except OverflowError as exc:  # around year 1 or 9999
            raise InvalidInput(field, "out of range", kind="date_out_of_range") from exc

    return midnight(first, "query.from", 0), midnight(last, "query.to", 1)


@dataclass(frozen=True)
class HoursView:
    learner: User
    timezone: str  # the learner's school's, in which `first` and `last` are dates
    first: date | None
    last: date | None
    hours: LearnerHours


async def hours_of(
    db: AsyncSession,
    *,
    actor: User,
    learner_id: uuid.UUID,
    first: date | None,
    last: date | None,
    now: datetime,
    stale_after: timedelta,
) -> HoursView:
    """A learner's hours over the sessions starting on the local dates `first`..`last`
    (inclusive, in the learner's school's time zone), for the learner, their guardians, their
    school's staff and admins (404 for anyone else). An admin's read is audited as a
    cross-school read."""
    learner = await visible_learner(db, actor=actor, learner_id=learner_id)
    org = await db.get(Organisation, learner.organisation_id) if learner.organisation_id else None
    zone = org.timezone if org is not None else "UTC"
    start, end = day_bounds(first, last, zone)
    await record_cross_school_read(db, actor=actor, learner=learner, what="hours")
    found = await learner_hours(
        db,
        learner_id=learner.id,
        own_country=org.country if org is not None else None,
        start=start,
        end=end,
        now=now,
        stale_after=stale_after,
    )
    return HoursView(learner, zone, first, last, found)


def hours_public(view: HoursView) -> LearnerHoursPublic:
    """The API's shape: partner schools are the exchange's others than the learner's own."""
    own, found = view.learner.organisation_id, view.hours
    return LearnerHoursPublic(
        learner_id=view.learner.id,
        display_name=view.learner.display_name,
        timezone=view.timezone,
        from_date=view.first,
        to_date=view.last,
        seconds=found.seconds,
        hours=as_hours(found.seconds),
        exchanges=[
            ExchangeHoursPublic(
                exchange_id=ex.exchange_id,
                seconds=ex.seconds,
                hours=as_hours(ex.seconds),
                sessions=ex.sessions,
                first_session=ex.first_session,
                last_session=ex.last_session,
                partner_schools=[
                    SchoolPublic(id=i, name=n, country=c) for i, n, c in ex.schools if i != own
                ],
                countries=ex.countries,
            )
            for ex in found.exchanges
        ],
        countries=found.countries,
    )


def hours_rows(view: HoursView) -> list[HoursRow]:
    """One CSV row per exchange."""
    own = view.learner.organisation_id
    return [
        HoursRow(
            learner_id=view.learner.id,
            exchange_id=ex.exchange_id,
            first_session=ex.first_session,
            last_session=ex.last_session,
            sessions=ex.sessions,
            seconds=ex.seconds,
            hours=as_hours(ex.seconds),
            partner_schools=[(n, c) for i, n, c in ex.schools if i != own],
            countries=ex.countries,
        )
        for ex in view.hours.exchanges
    ]
