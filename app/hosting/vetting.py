"""Vetting: the receiving school's coordinator records a family's check (status, date,
validity, note). Only an `approved` family whose validity covers a stay is ever proposed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.tables import User
from app.core.audit import audit
from app.core.errors import Forbidden, InvalidInput
from app.hosting.access import keeps, visible_family
from app.hosting.schemas import VettingIn
from app.hosting.tables import HostFamily


async def record(
    db: AsyncSession, *, actor: User, family_id: uuid.UUID, data: VettingIn, now: datetime
) -> HostFamily:
    family = await visible_family(db, actor=actor, family_id=family_id)
    if not keeps(actor, family):
        raise Forbidden("Only the receiving school's coordinators vet host families.")
    if data.valid_until is not None and data.valid_until < data.checked_on:
        raise InvalidInput("body.valid_until", "must not be before checked_on")
    old = family.vetting_status
    family.vetting_status = data.status
    family.vetting_checked_on = data.checked_on
    family.vetting_valid_until = data.valid_until
    family.vetting_note = data.note
    family.vetted_by = actor.id
    family.updated_at = now
    await db.flush()
    await audit(
        db,
        actor,
        "host_family.vetted",
        "host_family",
        family.id,
        {"from": old, "to": data.status, "checked_on": data.checked_on.isoformat()},
    )
    return family
