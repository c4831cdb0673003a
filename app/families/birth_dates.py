"""A user's update where it touches consent: a learner's birth date decides whether a guardian
must consent (app/families/rules.py), so every change of it is audited, and the learner's
guardians are told when it moves the learner across their country's digital-consent age.

The audit record holds whether a guardian was and is required, never the dates themselves:
the trail stays pseudonymous when the learner is erased.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import users
from app.accounts.schemas import UserUpdate
from app.accounts.tables import User
from app.core.audit import audit
from app.families.consents import learner_facts
from app.notifications import service as notifications


async def update_user(
    db: AsyncSession, *, actor: User, user_id: uuid.UUID, data: UserUpdate, now: datetime
) -> User:
    """`accounts.users.update`, plus what a learner's new birth date means for consent."""
    before = await users.get_visible(db, actor=actor, user_id=user_id)
    was_learner, old_birth_date = before.role == "learner", before.birth_date
    required_before = was_learner and (await learner_facts(db, before, now=now)).required
    updated = await users.update(db, actor=actor, user_id=user_id, data=data)
    if updated.role != "learner" or updated.birth_date == old_birth_date:
        return updated
    required_now = (await learner_facts(db, updated, now=now)).required
    await audit(
        db,
        actor,
        "user.birth_date_changed",
        "user",
        updated.id,
        {"guardian_required": {"from": required_before, "to": required_now}},
    )
    if was_learner and required_now != required_before:
        await notifications.consent_regime_changed(
            db, learner=updated, guardian_required=required_now, actor=actor
        )
    return updated
