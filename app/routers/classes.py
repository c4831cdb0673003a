from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.classes import service as classes
from app.classes.schemas import (
    ClassCreate,
    ClassPublic,
    ClassUpdate,
    PersonName,
    RosterPublic,
    RosterUpdate,
)
from app.classes.tables import SchoolClass
from app.core.schemas import Page
from app.routers.deps import CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, errors

router = APIRouter(prefix="/classes", tags=["classes"])


async def _names(db: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, PersonName]:
    if not ids:
        return {}
    rows = await db.execute(
        select(col(User.id), col(User.display_name)).where(col(User.id).in_(ids))
    )
    return {i: PersonName(id=i, display_name=name) for i, name in rows.all()}


def _public(
    row: SchoolClass, teacher_ids: list[uuid.UUID], names: dict[uuid.UUID, PersonName]
) -> ClassPublic:
    return ClassPublic.model_validate(
        {
            **row.model_dump(),
            "teacher_ids": teacher_ids,
            "teachers": [names[t] for t in teacher_ids if t in names],
        }
    )


async def _roster(db: AsyncSession, class_id: uuid.UUID, ids: list[uuid.UUID]) -> RosterPublic:
    names = await _names(db, ids)
    return RosterPublic(
        class_id=class_id, learner_ids=ids, learners=[names[i] for i in ids if i in names]
    )


@router.get("", response_model=Page[ClassPublic], responses=errors(401, 422))
async def list_classes(
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    organisation_id: Annotated[uuid.UUID | None, Query()] = None,
    open_for_matching: Annotated[bool | None, Query()] = None,
) -> Page[ClassPublic]:
    """The classes the caller can see, paged; filter by organisation and `open_for_matching`."""
    rows, total = await classes.list_visible(
        db,
        actor=user,
        limit=limit,
        offset=offset,
        organisation_id=organisation_id,
        open_for_matching=open_for_matching,
    )
    teachers = await classes.teacher_ids_of(db, [r.id for r in rows])
    names = await _names(db, sorted({t for ids in teachers.values() for t in ids}))
    return Page(items=[_public(r, teachers[r.id], names) for r in rows], total=total)


@router.post("", status_code=201, response_model=ClassPublic, responses=AUTHED)
async def create_class(body: ClassCreate, db: SessionDep, user: CurrentUser) -> ClassPublic:
    """Create a class: field (ISCED-F), EQF level, languages, weekly availability in the
    organisation's local time, term dates, and whether it is open for matching.
    """
    row, teacher_ids = await classes.create(db, actor=user, data=body)
    return _public(row, teacher_ids, await _names(db, teacher_ids))


@router.get("/{class_id}", response_model=ClassPublic, responses=AUTHED)
async def get_class(class_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> ClassPublic:
    """One class, with its teachers named."""
    row = await classes.get_visible(db, actor=user, class_id=class_id)
    teachers = await classes.teacher_ids_of(db, [row.id])
    return _public(row, teachers[row.id], await _names(db, teachers[row.id]))


@router.patch("/{class_id}", response_model=ClassPublic, responses=AUTHED)
async def update_class(
    class_id: uuid.UUID, body: ClassUpdate, db: SessionDep, user: CurrentUser
) -> ClassPublic:
    """Change a class's fields; its teachers and its organisation's coordinators."""
    row, teacher_ids = await classes.update(db, actor=user, class_id=class_id, data=body)
    return _public(row, teacher_ids, await _names(db, teacher_ids))


@router.delete("/{class_id}", status_code=204, responses=errors(401, 403, 404))
async def delete_class(class_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> Response:
    """Delete a class; refused (409) while it is in a proposed or active exchange."""
    await classes.delete_class(db, actor=user, class_id=class_id)
    return Response(status_code=204)


@router.get("/{class_id}/learners", response_model=RosterPublic, responses=AUTHED)
async def get_roster(class_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> RosterPublic:
    """A class's roster: its learners, named."""
    ids = await classes.roster(db, actor=user, class_id=class_id)
    return await _roster(db, class_id, ids)


@router.put("/{class_id}/learners", response_model=RosterPublic, responses=AUTHED)
async def set_roster(
    class_id: uuid.UUID, body: RosterUpdate, db: SessionDep, user: CurrentUser
) -> RosterPublic:
    """Replace a class's roster with `learner_ids` (learners of the class's organisation)."""
    ids = await classes.set_roster(db, actor=user, class_id=class_id, learner_ids=body.learner_ids)
    return await _roster(db, class_id, ids)
