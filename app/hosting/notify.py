"""Who hears of a placement's events, each in their language: a family's members read in
the language of the school that keeps the family; tutors in their school's; guardians in
their learner's school's."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.hosting.rules.texts import HostingEvent, HostingFacts, render
from app.hosting.tables import HostFamily, HostMember, Placement
from app.mobility import notify as mobility_people
from app.mobility.tables import Mobility
from app.notifications.announce import announce_rendered, recipient_of
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


async def proposals_made(
    db: AsyncSession,
    *,
    run_id: uuid.UUID,
    family_ids: Collection[uuid.UUID],
    mobility_ids: Collection[uuid.UUID],
) -> int:
    """Once per run, each member of a family with a proposal and each sending tutor of a
    proposed mobility is asked to decide (`hosting.placements_proposed`)."""
    members = await db.execute(
        select(User, Organisation)
        .join(HostMember, col(HostMember.user_id) == col(User.id))
        .join(HostFamily, col(HostFamily.id) == col(HostMember.host_family_id))
        .join(Organisation, col(Organisation.id) == col(HostFamily.organisation_id))
        .where(col(HostMember.host_family_id).in_(list(family_ids)))
    )
    recipients = [Recipient(user, org.country, org.timezone) for user, org in members.all()]
    tutors = await db.scalars(
        select(User).where(
            col(User.id).in_(
                select(col(Mobility.sending_tutor_id)).where(
                    col(Mobility.id).in_(list(mobility_ids))
                )
            )
        )
    )
    recipients += [await recipient_of(db, tutor) for tutor in tutors.all()]
    event: HostingEvent = "hosting.placements_proposed"

    def render_for(country: str | None) -> tuple[str, str, str]:
        return render(event, language_for(country), HostingFacts())

    return await announce_rendered(
        db,
        event=event,
        event_key=f"{event}:{run_id}",
        recipients=recipients,
        render_for=render_for,
        data={"run_id": str(run_id)},
    )
