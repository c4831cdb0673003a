"""Who sees a mobility and what each one may do with it, by relationship.

Seeing: the learner, their linked guardians, both tutors, the coordinators of the sending and
the receiving school, admins. Anyone else gets 404, as if it did not exist. Doing: each use
case asks for the relationships it needs (`Roles`) and answers 403 to the others who see it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.access import linked_learner_ids
from app.accounts.tables import GuardianLink, User
from app.core.errors import Forbidden, not_found
from app.mobility.tables import Mobility


def mobilities_visible_to(actor: User) -> ColumnElement[bool]:
    if actor.role == "admin":
        return true()
    if actor.role == "coordinator" and actor.organisation_id is not None:
        return or_(
            col(Mobility.sending_organisation_id) == actor.organisation_id,
            col(Mobility.receiving_organisation_id) == actor.organisation_id,
        )
    if actor.role in ("teacher", "coordinator"):
        return or_(
            col(Mobility.sending_tutor_id) == actor.id,
            col(Mobility.receiving_tutor_id) == actor.id,
        )
    if actor.role == "learner":
        return col(Mobility.learner_id) == actor.id
    if actor.role == "guardian":
        return col(Mobility.learner_id).in_(linked_learner_ids(actor.id))
    return false()


@dataclass(frozen=True)
class Roles:
    """The caller's relationships to one mobility."""

    admin: bool = False
    learner: bool = False
    guardian: bool = False
    sending_tutor: bool = False
    receiving_tutor: bool = False
    sending_coordinator: bool = False
    receiving_coordinator: bool = False

    @property
    def tutor(self) -> bool:
        return self.sending_tutor or self.receiving_tutor

    @property
    def manager(self) -> bool:
        """Both tutors and the sending school's coordinator manage a mobility."""
        return self.admin or self.tutor or self.sending_coordinator

    @property
    def staff(self) -> bool:
        """Tutors and coordinators of either school (the incident log's readers)."""
        return self.manager or self.receiving_coordinator


async def roles_of(db: AsyncSession, actor: User, mobility: Mobility) -> Roles:
    coordinator = actor.role == "coordinator" and actor.organisation_id is not None
    guardian = False
    if actor.role == "guardian":
        guardian = await db.get(GuardianLink, (actor.id, mobility.learner_id)) is not None
    return Roles(
        admin=actor.role == "admin",
        learner=actor.id == mobility.learner_id,
        guardian=guardian,
        sending_tutor=actor.id == mobility.sending_tutor_id,
        receiving_tutor=actor.id == mobility.receiving_tutor_id,
        sending_coordinator=coordinator
        and actor.organisation_id == mobility.sending_organisation_id,
        receiving_coordinator=coordinator
        and actor.organisation_id == mobility.receiving_organisation_id,
    )


async def visible(db: AsyncSession, *, actor: User, mobility_id: uuid.UUID) -> Mobility:
    found = (
        await db.scalars(
            select(Mobility).where(col(Mobility.id) == mobility_id, mobilities_visible_to(actor))
        )
    ).first()
    if found is None:
        raise not_found("Mobility")
    return found


async def visible_with_roles(
    db: AsyncSession, *, actor: User, mobility_id: uuid.UUID
) -> tuple[Mobility, Roles]:
    mobility = await visible(db, actor=actor, mobility_id=mobility_id)
    return mobility, await roles_of(db, actor, mobility)


def require(allowed: bool, message: str, code: str = "forbidden") -> None:
    if not allowed:
        raise Forbidden(message, code=code)
