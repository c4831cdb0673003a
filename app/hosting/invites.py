"""Host invitations: the family's school invites a member by e-mail; the member accepts with
a single-use link, which creates their account (role `host`) or links the one they have.
The same rules as guardian invitations: only the token's digest is stored, a newer
invitation of the same family to the same address revokes the older, seven days to accept."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
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
from app.accounts.tables import User
from app.accounts.users import normalise_email
from app.core.audit import audit
from app.core.errors import Conflict, Forbidden
from app.hosting.access import keeps, visible_family
from app.hosting.tables import HostFamily, HostInvite, HostMember


async def create(
    db: AsyncSession, *, actor: User, family_id: uuid.UUID, email: str, now: datetime
) -> tuple[HostInvite, str]:
    family = await visible_family(db, actor=actor, family_id=family_id)
    if not keeps(actor, family):
        raise Forbidden("Only the family's school coordinators invite its members.")
    address = normalise_email(email)
    account = (await db.scalars(select(User).where(col(User.email) == address))).first()
    if account is not None and account.role != "host":
        raise Conflict(
            "This address belongs to an account that is not a host's.", code="email_taken"
        )
    if account is not None and await db.get(HostMember, (family.id, account.id)) is not None:
        raise Conflict("This person is already a member of the family.", code="already_linked")
    await db.execute(
        update(HostInvite)
        .where(
            col(HostInvite.host_family_id) == family.id,
            col(HostInvite.email) == address,
            col(HostInvite.accepted_at).is_(None),
            col(HostInvite.revoked_at).is_(None),
        )
        .values(revoked_at=now)
    )
    token, digest = new_token()
    invite = HostInvite(
        host_family_id=family.id,
        email=address,
        token_hash=digest,
        created_by=actor.id,
        created_at=now,
        expires_at=now + INVITE_LIFETIME,
    )
    db.add(invite)
    await db.flush()
    await audit(
        db, actor, "host_invite.created", "host_family", family.id, {"invite_id": str(invite.id)}
    )
    return invite, token


async def accept(
    db: AsyncSession,
    *,
    token: str,
    caller: User | None,
    display_name: str | None,
    password: str | None,
    now: datetime,
) -> tuple[User, HostFamily, bool]:
    """(host, family, whether the account was created). Used: 409 `invite_used`; revoked or
    expired: 410. A refusal changes nothing."""
    invite = await open_invite(db, HostInvite, token, now)
    family = await db.get(HostFamily, invite.host_family_id)
    if family is None:
        raise InviteGone("The family is no longer in the pool.", code="invite_revoked")
    await claim(db, HostInvite, invite.id, now)
    host, created = await invited_account(
        db,
        email=invite.email,
        role="host",
        caller=caller,
        display_name=display_name,
        password=password,
    )
    if await db.get(HostMember, (family.id, host.id)) is None:
        db.add(HostMember(host_family_id=family.id, user_id=host.id, created_at=now))
    await db.execute(
        update(HostInvite).where(col(HostInvite.id) == invite.id).values(accepted_by=host.id)
    )
    await db.flush()
    await audit(
        db,
        host,
        "host_invite.accepted",
        "host_family",
        family.id,
        {"invite_id": str(invite.id), "host_id": str(host.id)},
    )
    return host, family, created
