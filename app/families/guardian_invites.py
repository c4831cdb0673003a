"""Guardian invitations: a school invites a learner's guardian by e-mail; the guardian accepts
with a single-use link, which creates their account (or links the one they have).

Only the token's digest is stored. An invitation is open until it is accepted, revoked (also
by a newer invitation of the same learner to the same address) or seven days old.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.invitations import (
    INVITE_LIFETIME,
    InviteGone,
    claim,
    invited_account,
    new_token,
    open_invite,
)
from app.accounts.tables import GuardianLink, User
from app.accounts.users import MAX_GUARDIANS_PER_LEARNER, normalise_email
from app.core.audit import audit
from app.core.errors import AppError, Conflict, Forbidden, not_found
from app.families.consents import visible_learner
from app.families.tables import GuardianInvite


async def _managed_learner(db: AsyncSession, actor: User, learner_id: uuid.UUID) -> User:
    """The learner, if `actor` is staff of the learner's school or an admin (404 when the
    learner is out of sight, 403 when visible but not theirs to manage)."""
    learner = await visible_learner(db, actor=actor, learner_id=learner_id)
    manages = actor.role == "admin" or (
        actor.role in ("coordinator", "teacher")
        and actor.organisation_id is not None
        and actor.organisation_id == learner.organisation_id
    )
    if not manages:
        raise Forbidden("Only the learner's school staff invite guardians.")
    return learner


async def _guardian_count(db: AsyncSession, learner_id: uuid.UUID) -> int:
    count = await db.scalar(
        select(func.count())
        .select_from(GuardianLink)
        .where(col(GuardianLink.learner_id) == learner_id)
    )
    return int(count or 0)


async def _linked(db: AsyncSession, guardian_id: uuid.UUID, learner_id: uuid.UUID) -> bool:
    return await db.get(GuardianLink, (guardian_id, learner_id)) is not None


def _too_many() -> Conflict:
    return Conflict(
        f"A learner has at most {MAX_GUARDIANS_PER_LEARNER} guardians.", code="too_many_guardians"
    )


async def create(
    db: AsyncSession, *, actor: User, learner_id: uuid.UUID, email: str, now: datetime
) -> tuple[GuardianInvite, str]:
    """A new invitation and its token (shown once). An open invitation of the same learner to
    the same address is revoked: re-sending gives a fresh link and kills the old one."""
    learner = await _managed_learner(db, actor, learner_id)
    address = normalise_email(email)
    account = (await db.scalars(select(User).where(col(User.email) == address))).first()
    if account is not None and account.role != "guardian":
        raise Conflict(
            "This address belongs to an account that is not a guardian's.", code="email_taken"
        )
    if account is not None and await _linked(db, account.id, learner.id):
        raise Conflict("This guardian is already linked to the learner.", code="already_linked")
    if await _guardian_count(db, learner.id) >= MAX_GUARDIANS_PER_LEARNER:
        raise _too_many()
    revoked = await db.execute(
        update(GuardianInvite)
        .where(
            col(GuardianInvite.learner_id) == learner.id,
            col(GuardianInvite.email) == address,
            col(GuardianInvite.accepted_at).is_(None),
            col(GuardianInvite.revoked_at).is_(None),
        )
        .values(revoked_at=now)
    )
    token, digest = new_token()
    invite = GuardianInvite(
        learner_id=learner.id,
        email=address,
        token_hash=digest,
        created_by=actor.id,
        created_at=now,
        expires_at=now + INVITE_LIFETIME,
    )
    db.add(invite)
    await db.flush()
    await audit(
        db,
        actor,
        "guardian_invite.created",
        "user",
        learner.id,
        {"invite_id": str(invite.id), "replaced": int(getattr(revoked, "rowcount", 0) or 0)},
    )
    return invite, token


async def list_for_learner(
    db: AsyncSession, *, actor: User, learner_id: uuid.UUID
) -> list[GuardianInvite]:
    learner = await _managed_learner(db, actor, learner_id)
    rows = await db.scalars(
        select(GuardianInvite)
        .where(col(GuardianInvite.learner_id) == learner.id)
        .order_by(col(GuardianInvite.created_at).desc(), col(GuardianInvite.id))
    )
    return list(rows.all())


async def revoke(
    db: AsyncSession, *, actor: User, invite_id: uuid.UUID, now: datetime
) -> GuardianInvite:
    invite = await db.get(GuardianInvite, invite_id)
    if invite is None:
        raise not_found("Invitation")
    try:
        await _managed_learner(db, actor, invite.learner_id)
    except AppError as exc:
        if exc.status_code == 404:
            raise not_found("Invitation") from exc
        raise
    if invite.accepted_at is not None:
        raise Conflict("This invitation was already accepted.", code="invite_used")
    if invite.revoked_at is None:
        invite.revoked_at = now
        await db.flush()
        await audit(
            db,
            actor,
            "guardian_invite.revoked",
            "user",
            invite.learner_id,
            {"invite_id": str(invite.id)},
        )
    return invite


async def accept(
    db: AsyncSession,
    *,
    token: str,
    caller: User | None,
    display_name: str | None,
    password: str | None,
    now: datetime,
) -> tuple[User, User, bool]:
    """Accept an invitation: (guardian, learner, whether the account was created).

    A new address gets a guardian account from `display_name` and `password`. An address that
    already has a guardian account needs that guardian logged in (`caller`); it is linked.
    Any refusal changes nothing (the unit of work rolls back)."""
    invite = await open_invite(db, GuardianInvite, token, now)
    learner = await db.get(User, invite.learner_id)
    if learner is None or not learner.is_active:
        raise InviteGone("The learner's account is closed.", code="invite_revoked")
    await claim(db, GuardianInvite, invite.id, now)
    guardian, created = await invited_account(
        db,
        email=invite.email,
        role="guardian",
        caller=caller,
        display_name=display_name,
        password=password,
    )
    if not await _linked(db, guardian.id, learner.id):
        if await _guardian_count(db, learner.id) >= MAX_GUARDIANS_PER_LEARNER:
            raise _too_many()
        db.add(GuardianLink(guardian_id=guardian.id, learner_id=learner.id, created_at=now))
    await db.execute(
        update(GuardianInvite)
        .where(col(GuardianInvite.id) == invite.id)
        .values(accepted_by=guardian.id)
    )
    await db.flush()
    details = {"invite_id": str(invite.id), "guardian_id": str(guardian.id)}
    await audit(db, guardian, "guardian_invite.accepted", "user", learner.id, details)
    await audit(db, guardian, "guardian.linked", "user", learner.id, details)
    return guardian, learner, created
