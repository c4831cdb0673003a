"""Classes, their teachers and their rosters."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.access import classes_visible_to, teaches
from app.accounts.tables import User
from app.classes.schemas import ClassCreate, ClassFields, ClassUpdate
from app.classes.tables import ClassLearner, ClassTeacher, SchoolClass
from app.core.errors import Conflict, FieldNotAllowed, Forbidden, InvalidInput, not_found
from app.core.paging import fetch_page
from app.core.tables import utcnow
from app.matching.tables import classes_in_open_exchanges
from app.organisations.tables import Organisation


async def get_visible(db: AsyncSession, *, actor: User, class_id: uuid.UUID) -> SchoolClass:
    stmt = select(SchoolClass).where(col(SchoolClass.id) == class_id, classes_visible_to(actor))
    found = (await db.scalars(stmt)).first()
    if found is None:
        raise not_found("Class")
    return found


async def list_visible(
    db: AsyncSession,
    *,
    actor: User,
    limit: int,
    offset: int,
    organisation_id: uuid.UUID | None = None,
    open_for_matching: bool | None = None,
) -> tuple[list[SchoolClass], int]:
    stmt = select(SchoolClass).where(classes_visible_to(actor))
    if organisation_id:
        stmt = stmt.where(col(SchoolClass.organisation_id) == organisation_id)
    if open_for_matching is not None:
        stmt = stmt.where(col(SchoolClass.open_for_matching) == open_for_matching)
    stmt = stmt.order_by(col(SchoolClass.name), col(SchoolClass.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def teacher_ids_of(
    db: AsyncSession, class_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    result: dict[uuid.UUID, list[uuid.UUID]] = {cid: [] for cid in class_ids}
    if class_ids:
        rows = await db.execute(
            select(col(ClassTeacher.class_id), col(ClassTeacher.teacher_id))
            .where(col(ClassTeacher.class_id).in_(class_ids))
            .order_by(col(ClassTeacher.teacher_id))
        )
        for class_id, teacher_id in rows:
            result[class_id].append(teacher_id)
    return result


async def _check_teachers(
    db: AsyncSession, teacher_ids: list[uuid.UUID], organisation_id: uuid.UUID
) -> list[uuid.UUID]:
    unique = list(dict.fromkeys(teacher_ids))
    found = set(
        (
            await db.scalars(
                select(col(User.id)).where(
                    col(User.id).in_(unique),
                    col(User.role) == "teacher",
                    col(User.organisation_id) == organisation_id,
                    col(User.is_active),
                )
            )
        ).all()
    )
    missing = [str(t) for t in unique if t not in found]
    if missing:
        raise InvalidInput(
            "body.teacher_ids",
            f"not active teachers of the class's organisation: {', '.join(missing)}",
        )
    return unique


async def _set_teachers(
    db: AsyncSession, class_id: uuid.UUID, teacher_ids: list[uuid.UUID]
) -> None:
    await db.execute(delete(ClassTeacher).where(col(ClassTeacher.class_id) == class_id))
    db.add_all([ClassTeacher(class_id=class_id, teacher_id=t) for t in teacher_ids])


async def create(
    db: AsyncSession, *, actor: User, data: ClassCreate
) -> tuple[SchoolClass, list[uuid.UUID]]:
    if actor.role not in ("admin", "coordinator", "teacher"):
        raise Forbidden("Your role may not create classes.")
    org_id = data.organisation_id
    if actor.role != "admin":
        if org_id is not None and org_id != actor.organisation_id:
            raise FieldNotAllowed("body.organisation_id")
        org_id = actor.organisation_id
    if org_id is None:
        raise InvalidInput("body.organisation_id", "required")
    if await db.get(Organisation, org_id) is None:
        raise InvalidInput("body.organisation_id", "no such organisation")
    teacher_ids = data.teacher_ids
    if teacher_ids is None:
        teacher_ids = [actor.id] if actor.role == "teacher" else []
    if actor.role == "teacher" and actor.id not in teacher_ids:
        raise InvalidInput("body.teacher_ids", "a teacher creates classes they teach")
    teacher_ids = await _check_teachers(db, teacher_ids, org_id)
    fields = data.model_dump(exclude={"organisation_id", "teacher_ids"}, mode="json")
    school_class = SchoolClass(organisation_id=org_id, **_with_dates(fields, data))
    db.add(school_class)
    await db.flush()
    await _set_teachers(db, school_class.id, teacher_ids)
    await db.flush()
    return school_class, teacher_ids


def _with_dates(fields: dict[str, Any], data: ClassFields | ClassUpdate) -> dict[str, Any]:
    """JSON-dumped fields, but with real dates for the date columns."""
    for name in ("term_start", "term_end"):
        if name in fields:
            fields[name] = getattr(data, name)
    return fields


async def _may_manage(db: AsyncSession, actor: User, school_class: SchoolClass) -> bool:
    if actor.role == "admin":
        return True
    if actor.role == "coordinator":
        return school_class.organisation_id == actor.organisation_id
    if actor.role == "teacher":
        return await teaches(db, actor.id, school_class.id)
    return False


async def update(
    db: AsyncSession, *, actor: User, class_id: uuid.UUID, data: ClassUpdate
) -> tuple[SchoolClass, list[uuid.UUID]]:
    school_class = await get_visible(db, actor=actor, class_id=class_id)
    if not await _may_manage(db, actor, school_class):
        raise Forbidden("You may not change this class.")
    changes = data.model_dump(exclude_unset=True, mode="json")
    if "organisation_id" in changes and actor.role != "admin":
        raise FieldNotAllowed("body.organisation_id")
    for name, value in changes.items():
        if value is None:
            raise InvalidInput(f"body.{name}", "may not be null")
    teacher_ids = changes.pop("teacher_ids", None)
    org_id = data.organisation_id or school_class.organisation_id
    if "organisation_id" in changes and await db.get(Organisation, org_id) is None:
        raise InvalidInput("body.organisation_id", "no such organisation")
    merged = {name: getattr(school_class, name) for name in ClassFields.model_fields} | _with_dates(
        changes, data
    )
    merged.pop("organisation_id", None)
    try:
        ClassFields.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidInput("body", str(first["msg"])) from exc
    for name, value in changes.items():
        setattr(school_class, name, value if name != "organisation_id" else org_id)
    school_class.updated_at = utcnow()
    if teacher_ids is not None or "organisation_id" in changes:
        current = (await teacher_ids_of(db, [school_class.id]))[school_class.id]
        wanted = [uuid.UUID(str(t)) for t in teacher_ids] if teacher_ids is not None else current
        if actor.role == "teacher" and actor.id not in wanted:
            raise InvalidInput("body.teacher_ids", "you cannot remove yourself; ask a coordinator")
        await _set_teachers(db, school_class.id, await _check_teachers(db, wanted, org_id))
    await db.flush()
    ids = (await teacher_ids_of(db, [school_class.id]))[school_class.id]
    return school_class, ids


async def delete_class(db: AsyncSession, *, actor: User, class_id: uuid.UUID) -> None:
    school_class = await get_visible(db, actor=actor, class_id=class_id)
    if not await _may_manage(db, actor, school_class):
        raise Forbidden("You may not delete this class.")
    if await classes_in_open_exchanges(db, [school_class.id]):
        raise Conflict(
            "The class is in a proposed or active exchange; decline or end it first.",
            code="class_in_exchange",
        )
    await db.execute(delete(ClassTeacher).where(col(ClassTeacher.class_id) == class_id))
    await db.execute(delete(ClassLearner).where(col(ClassLearner.class_id) == class_id))
    await db.delete(school_class)
    await db.flush()


async def roster(db: AsyncSession, *, actor: User, class_id: uuid.UUID) -> list[uuid.UUID]:
    school_class = await get_visible(db, actor=actor, class_id=class_id)
    if actor.role == "learner":
        return [actor.id]  # a learner sees their own enrolment, not classmates' ids
    rows = await db.scalars(
        select(col(ClassLearner.learner_id))
        .where(col(ClassLearner.class_id) == school_class.id)
        .order_by(col(ClassLearner.learner_id))
    )
    return list(rows.all())


async def set_roster(
    db: AsyncSession, *, actor: User, class_id: uuid.UUID, learner_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    school_class = await get_visible(db, actor=actor, class_id=class_id)
    if not await _may_manage(db, actor, school_class):
        raise Forbidden("You may not change this class's roster.")
    unique = list(dict.fromkeys(learner_ids))
    found = set(
        (
            await db.scalars(
                select(col(User.id)).where(
                    col(User.id).in_(unique),
                    col(User.role) == "learner",
                    col(User.organisation_id) == school_class.organisation_id,
                )
            )
        ).all()
    )
    missing = [str(i) for i in unique if i not in found]
    if missing:
        raise InvalidInput(
            "body.learner_ids", f"not learners of the class's organisation: {', '.join(missing)}"
        )
    await db.execute(delete(ClassLearner).where(col(ClassLearner.class_id) == class_id))
    db.add_all([ClassLearner(class_id=class_id, learner_id=i) for i in unique])
    await db.flush()
    return sorted(unique)
