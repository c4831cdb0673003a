"""iCalendar output: one invite, and each user's secret, revocable feed.

Events carry stable UIDs (the session id), a SEQUENCE bumped on every change, DTSTART/DTEND in
the organiser's zone with a matching VTIMEZONE, and cancelled sessions stay in the feed as
`STATUS:CANCELLED` so calendar apps remove them instead of keeping a stale copy.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText
from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.access import linked_learner_ids
from app.accounts.tables import User
from app.classes.tables import ClassLearner
from app.core.errors import not_found
from app.core.security.tokens import token_digest
from app.core.tables import utcnow
from app.matching.tables import Exchange, ExchangeClass
from app.scheduling import sessions
from app.scheduling.tables import CalendarFeed, LiveSession

PRODID = "-//Passerelle//Virtual exchange sessions//EN"
UID_DOMAIN = "passerelle"
FEED_PAST = timedelta(days=90)
ICS_STATUS = {
    "scheduled": "CONFIRMED",
    "live": "CONFIRMED",
    "ended": "CONFIRMED",
    "cancelled": "CANCELLED",
}


def render(rows: Sequence[LiveSession], *, name: str, stamp: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(name))  # escaped as SUMMARY is: CR/LF in a title
    for row in rows:
        zone = ZoneInfo(row.timezone)
        event = Event()
        event.add("uid", f"{row.id}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("last-modified", row.updated_at)
        event.add("sequence", row.sequence)
        event.add("summary", row.title)
        event.add("dtstart", row.starts_at.astimezone(zone))
        event.add("dtend", row.ends_at.astimezone(zone))
        event.add("status", ICS_STATUS.get(row.status, "CONFIRMED"))
        if row.cancel_reason:
            event.add("description", f"Cancelled: {row.cancel_reason}")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


async def invite(db: AsyncSession, *, actor: User, session_id: uuid.UUID) -> bytes:
    row = await sessions.get_visible(db, actor=actor, session_id=session_id)
    return render([row], name=row.title, stamp=utcnow())


async def create_feed(db: AsyncSession, *, actor: User) -> tuple[CalendarFeed, str]:
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=actor.id, token_hash=token_digest(token))
    db.add(feed)
    await db.flush()
    return feed, token


async def revoke_feed(db: AsyncSession, *, actor: User, feed_id: uuid.UUID) -> None:
    result = await db.execute(
        update(CalendarFeed)
        .where(
            col(CalendarFeed.id) == feed_id,
            col(CalendarFeed.user_id) == actor.id,
            col(CalendarFeed.revoked_at).is_(None),
        )
        .values(revoked_at=utcnow())
    )
    if getattr(result, "rowcount", 0) != 1:
        raise not_found("Calendar feed")


def _feed_scope(owner: User) -> ColumnElement[bool]:
    """A guardian's feed holds their linked learners' sessions (of active exchanges); anyone
    else's, the sessions they can see."""
    if owner.role != "guardian":
        return sessions.visible_to(owner)
    classes = select(col(ClassLearner.class_id)).where(
        col(ClassLearner.learner_id).in_(linked_learner_ids(owner.id))
    )
    exchanges = (
        select(col(Exchange.id))
        .join(ExchangeClass, col(ExchangeClass.exchange_id) == col(Exchange.id))
        .where(col(ExchangeClass.class_id).in_(classes), col(Exchange.status) == "active")
    )
    return col(LiveSession.exchange_id).in_(exchanges)


async def feed(db: AsyncSession, *, token: str, now: datetime) -> bytes:
    found = (
        await db.scalars(
            select(CalendarFeed).where(
                col(CalendarFeed.token_hash) == token_digest(token),
                col(CalendarFeed.revoked_at).is_(None),
            )
        )
    ).first()
    owner = await db.get(User, found.user_id) if found else None
    if found is None or owner is None or not owner.is_active:
        raise not_found("Calendar feed")
    rows = (
        await db.scalars(
            select(LiveSession)
            .where(_feed_scope(owner), col(LiveSession.ends_at) > now - FEED_PAST)
            .order_by(col(LiveSession.starts_at))
        )
    ).all()
    return render(list(rows), name=f"Passerelle: {owner.display_name}", stamp=now)
