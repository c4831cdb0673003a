"""Who hears of a mobility's events, each in their language: tutors (their school's),
the learner (their school's) and guardians (their learner's school's)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import GuardianLink, User
from app.mobility.rules.texts import MobilityEvent, MobilityFacts, render
from app.mobility.tables import Mobility
from app.notifications.announce import announce_rendered, recipient_of
from app.notifications.rules import language_for
from app.notifications.service import Recipient


async def tutors(db: AsyncSession, mobility: Mobility) -> list[Recipient]:
    found = []
    for tutor_id in (mobility.sending_tutor_id, mobility.receiving_tutor_id):
        tutor = await db.get(User, tutor_id) if tutor_id else None
        if tutor is not None:
            found.append(await recipient_of(db, tutor))
    return found


async def learner(db: AsyncSession, mobility: Mobility) -> list[Recipient]:
    person = await db.get(User, mobility.learner_id)
    return [await recipient_of(db, person)] if person is not None else []


async def guardians(db: AsyncSession, mobility: Mobility) -> list[Recipient]:
    person = await db.get(User, mobility.learner_id)
    if person is None:
        return []
    rows = await db.scalars(
        select(User)
        .join(GuardianLink, col(GuardianLink.guardian_id) == col(User.id))
        .where(col(GuardianLink.learner_id) == person.id)
        .order_by(col(User.id))
    )
    return [await recipient_of(db, g, school_of=person) for g in rows.all()]


async def learner_name(db: AsyncSession, mobility: Mobility) -> str:
    person = await db.get(User, mobility.learner_id)
    return person.display_name if person is not None else ""


def local_day(moment: datetime, zone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} ({zone})"


async def tell(
    db: AsyncSession,
    *,
    event: MobilityEvent,
    key: str,
    mobility: Mobility,
    recipients: list[Recipient],
    facts: MobilityFacts,
    data: dict[str, str] | None = None,
) -> int:
    """Announce `event` (once per `key`) about `mobility` to `recipients`."""

    def render_for(country: str | None) -> tuple[str, str, str]:
        return render(event, language_for(country), facts)

    return await announce_rendered(
        db,
        event=event,
        event_key=f"{event}:{key}",
        recipients=recipients,
        render_for=render_for,
        data={"mobility_id": str(mobility.id), **(data or {})},
    )
