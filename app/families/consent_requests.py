"""A school asks for a consent: the guardians are told (or the learner, from the age at which
they decide alone), in the feed and by e-mail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import GuardianLink, User
from app.core.errors import Conflict, Forbidden
from app.families import consents
from app.notifications import service as notifications


@dataclass(frozen=True)
class ConsentRequest:
    id: uuid.UUID
    learner_id: uuid.UUID
    purpose: str
    to: str  # "guardians" | "learner"
    notified: int


async def request(
    db: AsyncSession, *, actor: User, learner_id: uuid.UUID, purpose: str, now: datetime
) -> ConsentRequest:
    """Staff of the learner's school (teachers, coordinators) and admins ask. 409
    `consent_already_given` when the purpose already runs, `no_guardian` when a guardian must
    consent and none is linked (invite one first). While an earlier request for the same
    learner and purpose is unread, the answer names it and nobody is told again."""
    consents.check_purpose(purpose, "body.purpose")
    learner = await consents.visible_learner(db, actor=actor, learner_id=learner_id)
    if actor.role not in ("teacher", "coordinator", "admin"):
        raise Forbidden("Only the school asks for a consent.", code="school_only")
    facts = await consents.learner_facts(db, learner, now=now)
    today = await consents.learner_today(db, learner, now)
    if await consents.has_consent(db, learner, purpose, today):
        raise Conflict("This consent already stands.", code="consent_already_given")
    if facts.required:
        linked = await db.scalar(
            select(func.count())
            .select_from(GuardianLink)
            .where(col(GuardianLink.learner_id) == learner.id)
        )
        if not linked:
            raise Conflict(
                "A guardian must consent, and none is linked: invite one first.",
                code="no_guardian",
            )
    to = "guardians" if facts.required else "learner"
    pending = await notifications.pending_consent_request(
        db, learner_id=learner.id, purpose=purpose
    )
    if pending is not None:  # asked already and not read yet: nobody is told twice
        return ConsentRequest(pending, learner.id, purpose, to, 0)
    request_id = uuid.uuid4()
    notified = await notifications.consent_requested(
        db,
        learner=learner,
        purpose=purpose,
        request_id=request_id,
        actor=actor,
        to_guardians=facts.required,
    )
    return ConsentRequest(request_id, learner.id, purpose, to, notified)
