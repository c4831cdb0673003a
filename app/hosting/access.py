"""Who sees a host family and a placement, by relationship.

A family: admins, the staff (coordinators, teachers) of the organisation that keeps it, and
its own members (role `host`). A placement: admins; coordinators of the sending or receiving
school; the mobility's two tutors; the family's members; the learner and their guardians once
it is accepted. Anyone else gets 404, as if it did not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.access import linked_learner_ids
from app.accounts.tables import GuardianLink, User
from app.core.errors import not_found
from app.hosting.tables import HostFamily, HostMember, Placement
from app.mobility.tables import Mobility


def member_family_ids(user_id: uuid.UUID) -> Any:
    return select(col(HostMember.host_family_id)).where(col(HostMember.user_id) == user_id)


def families_visible_to(actor: User) -> ColumnElement[bool]:
    if actor.role == "admin":
        return true()
    if actor.role in ("coordinator", "teacher") and actor.organisation_id is not None:
        return col(HostFamily.organisation_id) == actor.organisation_id
    if actor.role == "host":
        return col(HostFamily.id).in_(member_family_ids(actor.id))
    return false()


async def visible_family(db: AsyncSession, *, actor: User, family_id: uuid.UUID) -> HostFamily:
    found = (
        await db.scalars(
            select(HostFamily).where(col(HostFamily.id) == family_id, families_visible_to(actor))
        )
    ).first()
    if found is None:
        raise not_found("Host family")
    return found


def keeps(actor: User, family: HostFamily) -> bool:
    """The family's organisation's coordinators (and admins) manage it."""
    return actor.role == "admin" or (
        actor.role == "coordinator" and actor.organisation_id == family.organisation_id
    )


def placements_visible_to(actor: User) -> ColumnElement[bool]:
    """A condition on `Placement` joined with its `Mobility`."""
    accepted = col(Placement.status) == "accepted"
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
    if actor.role == "host":
        return col(Placement.host_family_id).in_(member_family_ids(actor.id))
    if actor.role == "learner":
        return and_(col(Mobility.learner_id) == actor.id, accepted)
    if actor.role == "guardian":
        return and_(col(Mobility.learner_id).in_(linked_learner_ids(actor.id)), accepted)
    return false()


@dataclass(frozen=True)
class PlacementRoles:
    admin: bool = False
    host: bool = False
    sending_tutor: bool = False
    receiving_tutor: bool = False
    guardian: bool = False
    learner: bool = False

    @property
    def in_thread(self) -> bool:
        """Who writes in the placement's thread: guardians, the family, both tutors."""
        return self.host or self.sending_tutor or self.receiving_tutor or self.guardian


async def visible_placement(
    db: AsyncSession, *, actor: User, placement_id: uuid.UUID
) -> tuple[Placement, Mobility, PlacementRoles]:
    row = (
        await db.execute(
            select(Placement, Mobility)
            .join(Mobility, col(Mobility.id) == col(Placement.mobility_id))
            .where(col(Placement.id) == placement_id, placements_visible_to(actor))
        )
    ).first()
    if row is None:
        raise not_found("Placement")
    placement, mobility = row
    host = False
    if actor.role == "host":
        host = await db.get(HostMember, (placement.host_family_id, actor.id)) is not None
    guardian = False
    if actor.role == "guardian":
        guardian = await db.get(GuardianLink, (actor.id, mobility.learner_id)) is not None
    roles = PlacementRoles(
        admin=actor.role == "admin",
        host=host,
        sending_tutor=actor.id == mobility.sending_tutor_id,
        receiving_tutor=actor.id == mobility.receiving_tutor_id,
        guardian=guardian,
        learner=actor.id == mobility.learner_id,
    )
    return placement, mobility, roles
