"""What a guardian's family view shows of a learner's mobilities: status, dates, city, the
tutors' names and the receiving school's emergency number, the items the guardian owns and
overall progress, and check-ins as answered or missed (a note only when the learner shared
it). Never the incident log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.mobility.checkins import checkins_of
from app.mobility.checklists import items_of
from app.mobility.tables import CheckIn, ChecklistItem, Mobility
from app.organisations.tables import Organisation


@dataclass(frozen=True)
class FamilyCheckin:
    id: uuid.UUID
    due_at: datetime
    status: str
    note: str | None


@dataclass(frozen=True)
class FamilyMobility:
    mobility: Mobility
    receiving: Organisation | None
    sending_tutor: str | None
    receiving_tutor: str | None
    done: int
    total: int
    guardian_items: list[ChecklistItem]
    checkins: list[FamilyCheckin]


def _family_checkin(row: CheckIn) -> FamilyCheckin:
    return FamilyCheckin(
        row.id, row.due_at, row.status, row.note if row.share_with_guardian else None
    )


async def _name(db: AsyncSession, user_id: uuid.UUID | None) -> str | None:
    person = await db.get(User, user_id) if user_id else None
    return person.display_name if person else None


async def for_family(db: AsyncSession, *, learner_id: uuid.UUID) -> list[FamilyMobility]:
    """The learner's mobilities, latest start first (the caller checked the guardian link)."""
    rows = await db.scalars(
        select(Mobility)
        .where(col(Mobility.learner_id) == learner_id)
        .order_by(col(Mobility.starts_on).desc(), col(Mobility.id))
    )
    found = []
    for mobility in rows.all():
        items = await items_of(db, mobility.id)
        found.append(
            FamilyMobility(
                mobility=mobility,
                receiving=await db.get(Organisation, mobility.receiving_organisation_id),
                sending_tutor=await _name(db, mobility.sending_tutor_id),
                receiving_tutor=await _name(db, mobility.receiving_tutor_id),
                done=sum(1 for i in items if i.done_at is not None),
                total=len(items),
                guardian_items=[i for i in items if i.owner == "guardian"],
                checkins=[_family_checkin(c) for c in await checkins_of(db, mobility.id)],
            )
        )
    return found
