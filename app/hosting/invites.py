"""Host invitations: the family's school invites a member by e-mail; the member accepts with
a single-use link, which creates their account (role `host`) or links the one they have.
The same rules as guardian invitations: only the token's digest is stored, a newer
invitation of the same family to the same address revokes the older, seven days to accept."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.accounts.users import normalise_email
from app.core.audit import audit
from app.core.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, not_found
from app.core.security.passwords import hash_password
from app.core.security.tokens import token_digest
from app.families.guardian_invites import InviteGone
from app.hosting.access import keeps, visible_family
from app.hosting.tables import HostFamily, HostInvite, HostMember

INVITE_LIFETIME = timedelta(days=7)


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
    token = secrets.token_urlsafe(32)
    invite = HostInvite(
        host_family_id=family.id,
        email=address,
        token_hash=token_digest(token),
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
    invite = (
        await db.scalars(
            select(HostInvite).where(col(HostInvite.token_hash) == token_digest(token))
        )
    ).first()
    if invite is None:
        raise not_found("Invitation")
    if invite.accepted_at is not None:
        raise Conflict("This invitation was already used.", code="invite_used")
    if invite.revoked_at is not None:
        raise InviteGone("This invitation was withdrawn by the school.", code="invite_revoked")
    if invite.expires_at <= now:
        raise InviteGone()
    family = await db.get(HostFamily, invite.host_family_id)
    if family is None:
        raise InviteGone("The family is no longer in the pool.", code="invite_revoked")
    claimed = await db.execute(
        update(HostInvite)
        .where(
            col(HostInvite.id) == invite.id,
            col(HostInvite.accepted_at).is_(None),
            col(HostInvite.revoked_at).is_(None),
        )
        .values(accepted_at=now)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise Conflict("This invitation was already used.", code="invite_used")
    host, created = await _host_account(db, invite.email, caller, display_name, password)
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


async def _host_account(
    db: AsyncSession,
    email: str,
    caller: User | None,
    display_name: str | None,
    password: str | None,
) -> tuple[User, bool]:
    existing = (await db.scalars(select(User).where(col(User.email) == email))).first()
    if existing is not None:
        if existing.role != "host" or not existing.is_active:
            raise Conflict(
                "This address belongs to an account that cannot be a host's.", code="email_taken"
            )
        if caller is None:
            raise NotAuthenticated(
                "A host account with this address exists: log in to accept.",
                code="login_required",
            )
        if caller.id != existing.id:
            raise Forbidden(
                "This invitation is for another account.", code="invite_for_another_account"
            )
        return existing, False
    if display_name is None:
        raise InvalidInput("body.display_name", "required to create the host's account")
    if password is None:
        raise InvalidInput("body.password", "required to create the host's account")
    host = User(
        email=email,
        display_name=display_name,
        role="host",
        password_hash=await hash_password(password),
    )
    db.add(host)
    try:
        await db.flush()
    except IntegrityError as exc:
        raise Conflict("An account with this e-mail already exists.", code="email_taken") from exc
    return host, True
