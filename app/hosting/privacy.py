"""A person's host-family data for their export, and its erasure.

Export: a learner's placements and their threads; a guardian's, host's or tutor's own
messages; a host's families (the profiles they speak for). Erasure of a learner deletes
their mobilities, and with them their placements and threads (the foreign keys cascade);
erasure of a host removes them from their families and drops their invitations; messages
others wrote stay, and an erased author's name is a pseudonym everywhere.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.hosting.tables import HostFamily, HostInvite, HostMember, Placement, PlacementMessage
from app.mobility.tables import Mobility

TABLES = frozenset(
    {
        "host_family",
        "host_member",
        "host_invite",
        "host_matching_run",
        "host_placement",
        "host_placement_message",
    }
)


async def export_for(db: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    placements = (
        await db.scalars(
            select(Placement)
            .join(Mobility, col(Mobility.id) == col(Placement.mobility_id))
            .where(col(Mobility.learner_id) == user_id)
            .order_by(col(Placement.starts_on))
        )
    ).all()
    as_learner = []
    for placement in placements:
        entry = placement.model_dump(exclude={"shared_contacts"})
        thread = await db.scalars(
            select(PlacementMessage)
            .where(col(PlacementMessage.placement_id) == placement.id)
            .order_by(col(PlacementMessage.created_at))
        )
        entry["messages"] = [m.model_dump() for m in thread.all()]
        as_learner.append(entry)
    written = await db.scalars(
        select(PlacementMessage)
        .where(col(PlacementMessage.author_id) == user_id)
        .order_by(col(PlacementMessage.created_at))
    )
    families = await db.scalars(
        select(HostFamily)
        .join(HostMember, col(HostMember.host_family_id) == col(HostFamily.id))
        .where(col(HostMember.user_id) == user_id)
    )
    return {
        "placements": as_learner,
        "messages_written": [m.model_dump() for m in written.all()],
        "host_families": [f.model_dump(exclude={"vetting_note"}) for f in families.all()],
    }


async def erase_for(db: AsyncSession, user_id: uuid.UUID, email: str) -> None:
    """Called after the learner's mobilities are deleted (their placements cascade)."""
    await db.execute(delete(HostMember).where(col(HostMember.user_id) == user_id))
    await db.execute(
        delete(HostInvite).where(
            or_(col(HostInvite.accepted_by) == user_id, col(HostInvite.email) == email)
        )
    )
