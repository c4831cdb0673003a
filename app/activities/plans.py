"""Session plans: the ordered activities of a session. Whoever sees the session reads its
plan; the teachers of the exchange (and its coordinators) edit it before the session."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.activities.schemas import PlanItemPublic, PlanPublic, PlanPut
from app.activities.tables import SessionPlanItem
from app.activities.templates import find_template, get_visible
from app.core.errors import Conflict
from app.scheduling import sessions
from app.scheduling.tables import LiveSession


async def plan_items(db: AsyncSession, session_id: uuid.UUID) -> list[SessionPlanItem]:
    rows = await db.scalars(
        select(SessionPlanItem)
        .where(col(SessionPlanItem.session_id) == session_id)
        .order_by(col(SessionPlanItem.position))
    )
    return list(rows)


async def _public(db: AsyncSession, session_id: uuid.UUID) -> PlanPublic:
    items = []
    for item in await plan_items(db, session_id):
        template = await find_template(db, item.activity_id)
        items.append(
            PlanItemPublic(
                activity_id=item.activity_id,
                minutes=item.minutes,
                kind=template.kind if template else "missing",
                title=template.title if template else {},
            )
        )
    return PlanPublic(session_id=session_id, items=items)


async def read(db: AsyncSession, *, actor: User, session_id: uuid.UUID) -> PlanPublic:
    live = await sessions.get_visible(db, actor=actor, session_id=session_id)
    return await _public(db, live.id)


async def replace(
    db: AsyncSession, *, actor: User, session_id: uuid.UUID, data: PlanPut
) -> PlanPublic:
    """Replace the plan; each activity must be one the caller may see."""
    live: LiveSession = await sessions.get_visible(db, actor=actor, session_id=session_id)
    await sessions.schedulable_exchange(db, actor=actor, exchange_id=live.exchange_id)
    if live.status != "scheduled":
        raise Conflict(
            f"The session is {live.status}; plans change before the session.",
            code="session_not_scheduled",
        )
    for item in data.items:
        await get_visible(db, actor=actor, activity_id=item.activity_id)
    await db.execute(delete(SessionPlanItem).where(col(SessionPlanItem.session_id) == live.id))
    for position, item in enumerate(data.items):
        db.add(
            SessionPlanItem(
                session_id=live.id,
                position=position,
                activity_id=item.activity_id,
                minutes=item.minutes,
            )
        )
    await db.flush()
    return await _public(db, live.id)
