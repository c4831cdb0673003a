"""Check-ins while abroad: tutors add one at any time, the scheduler every N days
(`sweeper`); the learner answers. A low wellbeing or a placement that is not going well
alerts both tutors at once. A guardian sees whether each was answered or missed, and the note
only when the learner shared it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.errors import Conflict, Forbidden, not_found
from app.mobility import notify
from app.mobility.access import Roles, require, visible_with_roles
from app.mobility.rules.checkins import is_concern
from app.mobility.rules.texts import MobilityFacts
from app.mobility.schemas import CheckinAnswer, CheckinPublic
from app.mobility.tables import CheckIn, Mobility


def checkin_public(row: CheckIn, *, note_visible: bool) -> CheckinPublic:
    return CheckinPublic(
        id=row.id,
        due_at=row.due_at,
        status=row.status,
        answered_at=row.answered_at,
        wellbeing=row.wellbeing,
        placement_ok=row.placement_ok,
        note=row.note if note_visible else None,
        share_with_guardian=row.share_with_guardian,
    )


def note_visible(roles: Roles, row: CheckIn) -> bool:
    """The learner and the tutors read the note; a guardian only a shared one."""
    if roles.learner or roles.tutor:
        return True
    return roles.guardian and row.share_with_guardian


async def checkins_of(db: AsyncSession, mobility_id: uuid.UUID) -> list[CheckIn]:
    rows = await db.scalars(
        select(CheckIn)
        .where(col(CheckIn.mobility_id) == mobility_id)
        .order_by(col(CheckIn.due_at), col(CheckIn.id))
    )
    return list(rows.all())


async def listing(db: AsyncSession, *, actor: User, mobility_id: uuid.UUID) -> list[CheckinPublic]:
    _, roles = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    rows = await checkins_of(db, mobility_id)
    return [checkin_public(r, note_visible=note_visible(roles, r)) for r in rows]


async def add(
    db: AsyncSession, *, actor: User, mobility_id: uuid.UUID, due_at: datetime
) -> CheckIn:
    """A tutor asks for a check-in (while abroad; 409 `not_abroad` otherwise)."""
    mobility, roles = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    require(roles.tutor or roles.admin, "Only the tutors ask for a check-in.")
    if mobility.status != "abroad":
        raise Conflict("Check-ins are for a mobility abroad.", code="not_abroad")
    taken = await db.scalar(
        select(col(CheckIn.id)).where(
            col(CheckIn.mobility_id) == mobility.id, col(CheckIn.due_at) == due_at
        )
    )
    if taken is not None:
        raise Conflict("A check-in is already due at that time.", code="checkin_exists")
    row = CheckIn(mobility_id=mobility.id, due_at=due_at, requested_by=actor.id)
    db.add(row)
    await db.flush()
    return row


async def answer(
    db: AsyncSession,
    *,
    actor: User,
    mobility_id: uuid.UUID,
    checkin_id: uuid.UUID,
    data: CheckinAnswer,
    now: datetime,
) -> CheckIn:
    """The learner answers (a missed one too, late); once (409 `already_answered`)."""
    mobility, roles = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    row = await db.get(CheckIn, checkin_id)
    if row is None or row.mobility_id != mobility.id:
        raise not_found("Check-in")
    if not roles.learner:
        raise Forbidden("Only the learner answers a check-in.")
    if row.status == "answered":
        raise Conflict("This check-in is already answered.", code="already_answered")
    row.status = "answered"
    row.answered_at = now
    row.wellbeing = data.wellbeing
    row.placement_ok = data.placement_ok
    row.note = data.note
    row.share_with_guardian = data.share_with_guardian
    await db.flush()
    if is_concern(data.wellbeing, data.placement_ok):
        await concern(db, mobility=mobility, checkin=row)
    return row


async def concern(db: AsyncSession, *, mobility: Mobility, checkin: CheckIn) -> int:
    """`mobility.concern` to both tutors, once per check-in; never the note."""
    return await notify.tell(
        db,
        event="mobility.concern",
        key=str(checkin.id),
        mobility=mobility,
        recipients=await notify.tutors(db, mobility),
        facts=MobilityFacts(learner=await notify.learner_name(db, mobility), city=mobility.city),
        data={"checkin_id": str(checkin.id)},
    )
