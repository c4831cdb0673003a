"""A person's mobility data for their export, and its erasure.

Export: a learner's mobilities with their checklists, check-ins, outcomes, reflection and
incident log; read by a guardian, without the incident log (a guardian hears that the school
will call, nothing more) and without the check-in notes the learner did not share. A tutor's:
the mobilities they tutor, by id. Erasure of a learner deletes their mobilities and everything
under them (the audit trail keeps the pseudonymous record of the changes).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.mobility.checkins import checkins_of
from app.mobility.checklists import items_of
from app.mobility.tables import Incident, Mobility

TABLES = frozenset(
    {
        "mobility",
        "mobility_checklist_item",
        "mobility_checkin",
        "mobility_incident",
        "mobility_checklist_template",
    }
)


async def export_for(db: AsyncSession, user_id: uuid.UUID, *, by_guardian: bool) -> dict[str, Any]:
    own = (
        await db.scalars(
            select(Mobility)
            .where(col(Mobility.learner_id) == user_id)
            .order_by(col(Mobility.starts_on))
        )
    ).all()
    found = []
    for mobility in own:
        entry: dict[str, Any] = mobility.model_dump()
        entry["checklist"] = [i.model_dump() for i in await items_of(db, mobility.id)]
        checkins = []
        for row in await checkins_of(db, mobility.id):
            data = row.model_dump()
            if by_guardian and not row.share_with_guardian:
                data["note"] = None
            checkins.append(data)
        entry["checkins"] = checkins
        if not by_guardian:
            incidents = await db.scalars(
                select(Incident)
                .where(col(Incident.mobility_id) == mobility.id)
                .order_by(col(Incident.created_at))
            )
            entry["incidents"] = [i.model_dump() for i in incidents.all()]
        found.append(entry)
    tutored = await db.scalars(
        select(col(Mobility.id)).where(
            or_(
                col(Mobility.sending_tutor_id) == user_id,
                col(Mobility.receiving_tutor_id) == user_id,
            )
        )
    )
    return {"as_learner": found, "as_tutor": [str(i) for i in tutored.all()]}


async def erase_for(db: AsyncSession, user_id: uuid.UUID) -> None:
    """Delete the learner's mobilities (checklists, check-ins and incidents cascade)."""
    await db.execute(delete(Mobility).where(col(Mobility.learner_id) == user_id))
