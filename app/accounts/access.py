"""Who can see what: relationship-based visibility as SQL conditions.

Each function answers the rows an actor may see. A row outside them answers 404, as if it
did not exist, so ids of other schools' objects leak nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import GuardianLink, User
from app.classes.tables import ClassLearner, ClassTeacher, SchoolClass
from app.organisations.tables import NetworkMember, Organisation

STAFF_ROLES = ("coordinator", "teacher")


def linked_learner_ids(guardian_id: uuid.UUID) -> Any:
    return select(col(GuardianLink.learner_id)).where(col(GuardianLink.guardian_id) == guardian_id)


def partner_organisation_ids(organisation_id: uuid.UUID) -> Any:
    """Organisations sharing at least one network with `organisation_id` (itself included)."""
    my_networks = select(col(NetworkMember.network_id)).where(
        col(NetworkMember.organisation_id) == organisation_id
    )
    return select(col(NetworkMember.organisation_id)).where(
        col(NetworkMember.network_id).in_(my_networks)
    )


def organisations_visible_to(actor: User) -> ColumnElement[bool]:
    if actor.role == "admin":
        return true()
    if actor.organisation_id is None:
        if actor.role == "guardian":
            learners_orgs = select(col(User.organisation_id)).where(
                col(User.id).in_(linked_learner_ids(actor.id))
            )
            return col(Organisation.id).in_(learners_orgs)
        return false()
    return or_(
        col(Organisation.id) == actor.organisation_id,
        col(Organisation.id).in_(partner_organisation_ids(actor.organisation_id)),
    )


def users_visible_to(actor: User) -> ColumnElement[bool]:
    me = col(User.id) == actor.id
    if actor.role == "admin":
        return true()
    if actor.role == "coordinator":
        learners_here = select(col(User.id)).where(
            col(User.organisation_id) == actor.organisation_id, col(User.role) == "learner"
        )
        guardians_here = select(col(GuardianLink.guardian_id)).where(
            col(GuardianLink.learner_id).in_(learners_here)
        )
        return or_(
            me,
            col(User.organisation_id) == actor.organisation_id,
            col(User.id).in_(guardians_here),
        )
    if actor.role == "teacher":
        return or_(
            me,
            (col(User.organisation_id) == actor.organisation_id)
            & col(User.role).in_(("learner", *STAFF_ROLES)),
        )
    if actor.role == "guardian":
        return or_(me, col(User.id).in_(linked_learner_ids(actor.id)))
    return me


def classes_visible_to(actor: User) -> ColumnElement[bool]:
    if actor.role == "admin":
        return true()
    if actor.role == "coordinator":
        return col(SchoolClass.organisation_id) == actor.organisation_id
    if actor.role == "teacher":
        mine = select(col(ClassTeacher.class_id)).where(col(ClassTeacher.teacher_id) == actor.id)
        return col(SchoolClass.id).in_(mine)
    if actor.role == "learner":
        mine = select(col(ClassLearner.class_id)).where(col(ClassLearner.learner_id) == actor.id)
        return col(SchoolClass.id).in_(mine)
    return false()


async def teaches(db: AsyncSession, teacher_id: uuid.UUID, class_id: uuid.UUID) -> bool:
    row = await db.get(ClassTeacher, (class_id, teacher_id))
    return row is not None
