"""Who hears of a placement's events, each in their language: a family's members read in
the language of the school that keeps the family; tutors in their school's; guardians in
their learner's school's."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.hosting.rules.texts import HostingEvent, HostingFacts, render
from app.hosting.tables import HostFamily, HostMember, Placement
from app.mobility import notify as mobility_people
from app.mobility.tables import Mobility
from app.notifications.announce import announce_rendered
from app.notifications.rules import language_for
from app.notifications.service import Recipient
from app.organisations.tables import Organisation


async def family_members(db: AsyncSession, family: HostFamily) -> list[Recipient]:
    org = await db.get(Organisation, family.organisation_id)
    rows = await db.scalars(
        select(User)
        .join(HostMember, col(HostMember.user_id) == col(User.id))
        .where(col(HostMember.host_family_id) == family.id)
        .order_by(col(User.id))
    )
    country, zone = (org.country, org.timezone) if org else (None, "UTC")
    return [Recipient(u, country, zone) for u in rows.all()]


async def thread_people(
    db: AsyncSession, mobility: Mobility, family: HostFamily
) -> list[Recipient]:
    """Everyone in a placement's thread: the family, both tutors, the guardians."""
    return (
        await family_members(db, family)
        + await mobility_people.tutors(db, mobility)
        + await mobility_people.guardians(db, mobility)
    )


async def tell(
    db: AsyncSession,
    *,
    event: HostingEvent,
    key: str,
    placement: Placement,
    recipients: Sequence[Recipient],
    facts: HostingFacts,
) -> int:
    def render_for(country: str | None) -> tuple[str, str, str]:
        return render(event, language_for(country), facts)

    return await announce_rendered(
        db,
        event=event,
        event_key=f"{event}:{key}",
        recipients=recipients,
        render_for=render_for,
        data={"placement_id": str(placement.id)},
    )
