"""The audit trail: an append-only record of sensitive actions.

`audit()` adds a record to the caller's unit of work, so it is stored exactly when the action
is. This module offers no way to change or delete a record, and no endpoint does either.
Records hold ids and codes, never a name or an e-mail address: erasing a person leaves the
trail intact and pseudonymous.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import GuardianLink, User
from app.core.audit_table import AuditRecord
from app.core.errors import Forbidden
from app.core.logs import request_id_var
from app.core.paging import fetch_page
from app.core.tables import utcnow

# The actions recorded (a record's `action`); docs/families.md lists what each one means.
ACTIONS = (
    "user.role_changed",
    "user.birth_date_changed",
    "consent.given",
    "consent.withdrawn",
    "consent.objected",
    "guardian.linked",
    "guardian.unlinked",
    "guardian_invite.created",
    "guardian_invite.revoked",
    "guardian_invite.accepted",
    "user.exported",
    "user.erased",
    "learner_data.read_cross_school",
    "attendance.overridden",
    "attendance.override_removed",
    "certificate.issued",
    "badge.issued",
    "mobility.created",
    "mobility.status_changed",
    "mobility.incident_logged",
    "mobility.outcomes_recorded",
    "host_family.created",
    "host_family.changed",
    "host_family.vetted",
    "host_invite.created",
    "host_invite.accepted",
    "hosting.needs_changed",
    "placement.decided",
    "webhook.created",
    "webhook.changed",
    "webhook.deleted",
    "webhook.secret_rotated",
)


async def audit(
    db: AsyncSession,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: uuid.UUID | None,
    details: dict[str, Any] | None = None,
) -> AuditRecord:
    """Record `action` by `actor` (None: the system or an anonymous caller) on a target."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    record = AuditRecord(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        at=utcnow(),
        request_id=request_id_var.get(),
        details=details or {},
    )
    db.add(record)
    await db.flush()
    return record


async def is_linked_guardian(db: AsyncSession, guardian: User, learner_id: uuid.UUID) -> bool:
    if guardian.role != "guardian":
        return False
    return await db.get(GuardianLink, (guardian.id, learner_id)) is not None


async def record_cross_school_read(
    db: AsyncSession, *, actor: User, learner: User, what: str
) -> None:
    """Audit a read of a learner's data by someone outside the learner's school and family
    (an admin, in practice: the visibility rules keep other schools out)."""
    if learner.role != "learner" or actor.id == learner.id:
        return
    if actor.organisation_id is not None and actor.organisation_id == learner.organisation_id:
        return
    if await is_linked_guardian(db, actor, learner.id):
        return
    await audit(db, actor, "learner_data.read_cross_school", "user", learner.id, {"what": what})


async def list_visible(
    db: AsyncSession,
    *,
    actor: User,
    limit: int,
    offset: int,
    action: str | None = None,
    target_id: uuid.UUID | None = None,
) -> tuple[list[AuditRecord], int]:
    """Admins read every record; coordinators those about their organisation's users."""
    stmt = select(AuditRecord)
    if actor.role == "coordinator":
        members = select(col(User.id)).where(col(User.organisation_id) == actor.organisation_id)
        stmt = stmt.where(
            col(AuditRecord.target_type) == "user", col(AuditRecord.target_id).in_(members)
        )
    elif actor.role != "admin":
        raise Forbidden("Only admins and coordinators read the audit trail.")
    if action:
        stmt = stmt.where(col(AuditRecord.action) == action)
    if target_id:
        stmt = stmt.where(col(AuditRecord.target_id) == target_id)
    stmt = stmt.order_by(col(AuditRecord.at).desc(), col(AuditRecord.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def about(db: AsyncSession, user_id: uuid.UUID) -> list[AuditRecord]:
    """Every record whose target is this user (for their data export)."""
    rows = await db.scalars(
        select(AuditRecord)
        .where(col(AuditRecord.target_type) == "user", col(AuditRecord.target_id) == user_id)
        .order_by(col(AuditRecord.at), col(AuditRecord.id))
    )
    return list(rows.all())
