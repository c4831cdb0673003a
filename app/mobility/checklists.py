"""Preparation checklists: each school's template, a mobility's items, owners ticking theirs.

An item's owner is a relationship to the mobility: the learner, a linked guardian (any of
them), the sending or receiving tutor, or the sending school's coordinator. Only an owner
ticks an item (403 for the others who see the mobility).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.errors import Conflict, Forbidden, not_found
from app.mobility.access import Roles, require, visible_with_roles
from app.mobility.rules.checklist import DEFAULT_TEMPLATE, TemplateItem, items_for
from app.mobility.rules.status import CLOSED
from app.mobility.schemas import ChecklistItemCreate, TemplateItemIn
from app.mobility.tables import ChecklistItem, ChecklistTemplate, Mobility
from app.organisations import service as organisations


async def template_of(
    db: AsyncSession, organisation_id: uuid.UUID
) -> tuple[list[TemplateItem], bool]:
    """(the school's template, whether it is the default one)."""
    row = await db.get(ChecklistTemplate, organisation_id)
    if row is None:
        return list(DEFAULT_TEMPLATE), True
    return [TemplateItem(i["title"], i["owner"], int(i["days_before_start"])) for i in row.items], (
        False
    )


async def get_template(
    db: AsyncSession, *, actor: User, organisation_id: uuid.UUID
) -> tuple[list[TemplateItem], bool]:
    """The school's staff and admins; others who see the school: 403; the rest: 404."""
    org = await organisations.get_visible(db, actor=actor, organisation_id=organisation_id)
    staff = actor.role in ("coordinator", "teacher") and actor.organisation_id == org.id
    if not (staff or actor.role == "admin"):
        raise Forbidden("Only the school's staff read its checklist template.")
    return await template_of(db, org.id)


async def put_template(
    db: AsyncSession,
    *,
    actor: User,
    organisation_id: uuid.UUID,
    items: list[TemplateItemIn],
    now: datetime,
) -> list[TemplateItem]:
    """The school's coordinator (or an admin) replaces the template; mobilities created
    afterwards use it, existing checklists stay as they are."""
    org = await organisations.get_visible(db, actor=actor, organisation_id=organisation_id)
    own = actor.role == "coordinator" and actor.organisation_id == org.id
    if not (own or actor.role == "admin"):
        raise Forbidden("Only the school's coordinator changes its checklist template.")
    row = await db.get(ChecklistTemplate, org.id)
    if row is None:
        row = ChecklistTemplate(organisation_id=org.id)
        db.add(row)
    row.items = [i.model_dump() for i in items]
    row.updated_by = actor.id
    row.updated_at = now
    await db.flush()
    return [TemplateItem(i.title, i.owner, i.days_before_start) for i in items]


async def create_from_template(db: AsyncSession, *, mobility: Mobility) -> None:
    template, _ = await template_of(db, mobility.sending_organisation_id)
    for planned in items_for(template, mobility.starts_on):
        db.add(
            ChecklistItem(
                mobility_id=mobility.id,
                position=planned.position,
                title=planned.title,
                owner=planned.owner,
                due_on=planned.due_on,
            )
        )
    await db.flush()


async def progress_of(db: AsyncSession, mobility_id: uuid.UUID) -> tuple[int, int]:
    """(items done, items)."""
    row = (
        await db.execute(
            select(func.count(), func.count(col(ChecklistItem.done_at))).where(
                col(ChecklistItem.mobility_id) == mobility_id
            )
        )
    ).one()
    return int(row[1]), int(row[0])


async def items_of(db: AsyncSession, mobility_id: uuid.UUID) -> list[ChecklistItem]:
    rows = await db.scalars(
        select(ChecklistItem)
        .where(col(ChecklistItem.mobility_id) == mobility_id)
        .order_by(col(ChecklistItem.due_on), col(ChecklistItem.position), col(ChecklistItem.id))
    )
    return list(rows.all())


async def checklist(
    db: AsyncSession, *, actor: User, mobility_id: uuid.UUID
) -> tuple[Mobility, list[ChecklistItem]]:
    """Everyone who sees the mobility sees its checklist (progress for tutors and families)."""
    mobility, _ = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    return mobility, await items_of(db, mobility.id)


async def add_item(
    db: AsyncSession, *, actor: User, mobility_id: uuid.UUID, data: ChecklistItemCreate
) -> ChecklistItem:
    mobility, roles = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    require(roles.manager, "Only the tutors and the sending coordinator add items.")
    if mobility.status in CLOSED:
        raise Conflict("This mobility is closed.", code="mobility_closed")
    last = await db.scalar(
        select(func.max(col(ChecklistItem.position))).where(
            col(ChecklistItem.mobility_id) == mobility.id
        )
    )
    item = ChecklistItem(
        mobility_id=mobility.id,
        position=(last if last is not None else -1) + 1,
        title=data.title,
        owner=data.owner,
        due_on=data.due_on,
    )
    db.add(item)
    await db.flush()
    return item


def owns(roles: Roles, owner: str) -> bool:
    """Whether the caller is the owner `owner` of the mobility's items."""
    return {
        "learner": roles.learner,
        "guardian": roles.guardian,
        "sending_tutor": roles.sending_tutor,
        "receiving_tutor": roles.receiving_tutor,
        "coordinator": roles.sending_coordinator,
    }.get(owner, False)


async def mark_done(
    db: AsyncSession, *, actor: User, mobility_id: uuid.UUID, item_id: uuid.UUID, now: datetime
) -> ChecklistItem:
    """The item's owner ticks it (again: no change)."""
    mobility, roles = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    item = await db.get(ChecklistItem, item_id)
    if item is None or item.mobility_id != mobility.id:
        raise not_found("Checklist item")
    if not owns(roles, item.owner):
        raise Forbidden("Only the item's owner ticks it.", code="not_item_owner")
    if item.done_at is None:
        item.done_at = now
        item.done_by = actor.id
        await db.flush()
    return item
