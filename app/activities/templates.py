"""The activity library: built-in templates (code) and organisations' templates (rows).
Everyone signed in reads the built-ins; an organisation's templates are read by its members
and, when `shared`, by the organisations of its networks. Staff clone and adapt."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.access import partner_organisation_ids
from app.accounts.tables import User
from app.activities.library import BY_ID, builtin_id
from app.activities.rules.texts import Template
from app.activities.schemas import ActivityClone, ActivityCreate, ActivityPublic, ActivityUpdate
from app.activities.tables import ActivityTemplate
from app.core.errors import Forbidden, not_found

STAFF = ("teacher", "coordinator")


@dataclass(frozen=True)
class TemplateView:
    """A template, built-in or an organisation's, as use cases see it."""

    id: uuid.UUID
    kind: str
    title: dict[str, str]
    summary: dict[str, str]
    duration_minutes: int
    goals: list[dict[str, str]]
    steps: list[dict[str, str]]
    content: dict[str, Any]
    owner_organisation_id: uuid.UUID | None
    shared: bool
    source_id: uuid.UUID | None


def _builtin(template: Template) -> TemplateView:
    return TemplateView(
        id=builtin_id(template.key),
        kind=template.kind,
        title=dict(template.title),
        summary=dict(template.summary),
        duration_minutes=template.duration_minutes,
        goals=[dict(g) for g in template.goals],
        steps=[dict(s) for s in template.steps],
        content=dict(template.content),
        owner_organisation_id=None,
        shared=True,
        source_id=None,
    )


def _row(row: ActivityTemplate) -> TemplateView:
    return TemplateView(
        id=row.id,
        kind=row.kind,
        title=row.title,
        summary=row.summary,
        duration_minutes=row.duration_minutes,
        goals=row.goals,
        steps=row.steps,
        content=row.content,
        owner_organisation_id=row.owner_organisation_id,
        shared=row.shared,
        source_id=row.source_id,
    )


def public(view: TemplateView) -> ActivityPublic:
    return ActivityPublic(**{**view.__dict__, "content": view.content or None})


async def find_template(db: AsyncSession, activity_id: uuid.UUID) -> TemplateView | None:
    """A template by id, whoever may see it (the room and plans check access themselves)."""
    builtin = BY_ID.get(activity_id)
    if builtin is not None:
        return _builtin(builtin)
    row = await db.get(ActivityTemplate, activity_id)
    return None if row is None else _row(row)


def _visible(actor: User) -> ColumnElement[bool]:
    if actor.role == "admin":
        return true()
    if actor.organisation_id is None:
        return false()
    return or_(
        col(ActivityTemplate.owner_organisation_id) == actor.organisation_id,
        col(ActivityTemplate.shared)
        & col(ActivityTemplate.owner_organisation_id).in_(
            partner_organisation_ids(actor.organisation_id)
        ),
    )


async def get_visible(db: AsyncSession, *, actor: User, activity_id: uuid.UUID) -> TemplateView:
    builtin = BY_ID.get(activity_id)
    if builtin is not None:
        return _builtin(builtin)
    row = (
        await db.scalars(
            select(ActivityTemplate).where(col(ActivityTemplate.id) == activity_id, _visible(actor))
        )
    ).first()
    if row is None:
        raise not_found("Activity")
    return _row(row)


async def list_visible(
    db: AsyncSession,
    *,
    actor: User,
    kind: str | None,
    language: str | None,
    limit: int,
    offset: int,
) -> tuple[list[TemplateView], int]:
    """Built-ins first (library order), then the organisations' templates, oldest first."""
    stmt = select(ActivityTemplate).where(_visible(actor))
    if kind:
        stmt = stmt.where(col(ActivityTemplate.kind) == kind)
    rows = await db.scalars(
        stmt.order_by(col(ActivityTemplate.created_at), col(ActivityTemplate.id))
    )
    views = [_builtin(t) for t in BY_ID.values() if not kind or t.kind == kind]
    views += [_row(r) for r in rows]
    if language:
        views = [v for v in views if v.title.get(language)]
    return views[offset : offset + limit], len(views)


def _owner_for(actor: User, requested: uuid.UUID | None) -> uuid.UUID:
    if actor.role == "admin":
        if requested is None:
            raise Forbidden("Admins name the owner_organisation_id.")
        return requested
    if actor.role not in STAFF or actor.organisation_id is None:
        raise Forbidden("Teachers and coordinators write activity templates.")
    if requested is not None and requested != actor.organisation_id:
        raise Forbidden("Templates belong to your own organisation.")
    return actor.organisation_id


async def create(
    db: AsyncSession, *, actor: User, data: ActivityCreate, now: datetime
) -> TemplateView:
    row = ActivityTemplate(
        owner_organisation_id=_owner_for(actor, data.owner_organisation_id),
        kind=data.kind,
        title=data.title.model_dump(),
        summary=data.summary.model_dump(),
        duration_minutes=data.duration_minutes,
        goals=[g.model_dump() for g in data.goals],
        steps=[s.model_dump() for s in data.steps],
        content=data.content or {},
        shared=data.shared,
        created_by=actor.id,
        created_at=now,
        updated_at=now,
    )
    db.add(row)
    await db.flush()
    return _row(row)


async def clone(
    db: AsyncSession, *, actor: User, activity_id: uuid.UUID, data: ActivityClone, now: datetime
) -> TemplateView:
    """A copy for the caller's organisation, to adapt."""
    source = await get_visible(db, actor=actor, activity_id=activity_id)
    owner = source.owner_organisation_id if actor.role == "admin" else _owner_for(actor, None)
    if owner is None:
        raise Forbidden("Built-ins are cloned by an organisation's staff.")
    row = ActivityTemplate(
        owner_organisation_id=owner,
        kind=source.kind,
        title=dict(source.title),
        summary=dict(source.summary),
        duration_minutes=source.duration_minutes,
        goals=[dict(g) for g in source.goals],
        steps=[dict(s) for s in source.steps],
        content=dict(source.content),
        shared=data.shared,
        source_id=source.id,
        created_by=actor.id,
        created_at=now,
        updated_at=now,
    )
    db.add(row)
    await db.flush()
    return _row(row)


async def update(
    db: AsyncSession, *, actor: User, activity_id: uuid.UUID, data: ActivityUpdate, now: datetime
) -> TemplateView:
    """Built-ins never change (clone them); an organisation's staff edit its templates."""
    view = await get_visible(db, actor=actor, activity_id=activity_id)
    if view.owner_organisation_id is None:
        raise Forbidden("Built-in templates do not change; clone one to adapt it.")
    if actor.role != "admin" and (
        actor.role not in STAFF or actor.organisation_id != view.owner_organisation_id
    ):
        raise Forbidden("Only its organisation's staff edit a template.")
    row = await db.get(ActivityTemplate, activity_id)
    assert row is not None
    changes = data.model_dump(exclude_unset=True)
    for name, value in changes.items():
        setattr(row, name, value if value is not None or name != "content" else {})
    row.updated_at = now
    await db.flush()
    return _row(row)
