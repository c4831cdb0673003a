"""What guardian and host invitations share: a single-use link whose token only the invitee
sees (its digest is stored), open until accepted, revoked or seven days old, claimed by one
request only, and the account it creates for a new address or links for an existing one."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Literal, Protocol, TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from app.accounts.tables import User
from app.core.errors import AppError, Conflict, Forbidden, InvalidInput, NotAuthenticated, not_found
from app.core.security.passwords import hash_password
from app.core.security.tokens import token_digest

INVITE_LIFETIME = timedelta(days=7)
InviteStatus = Literal["open", "accepted", "revoked", "expired"]
InvitedRole = Literal["guardian", "host"]


class InviteGone(AppError):
    status_code = 410
    code = "invite_expired"
    message = "This invitation has expired; ask the school for a new one."


class Invite(Protocol):
    id: uuid.UUID
    email: str
    accepted_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime


def invite_status(invite: Invite, now: datetime) -> InviteStatus:
    if invite.accepted_at is not None:
        return "accepted"
    if invite.revoked_at is not None:
        return "revoked"
    if invite.expires_at <= now:
        return "expired"
    return "open"


def new_token() -> tuple[str, str]:
    """(the token for the link, shown once; its digest, stored)."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


InviteRow = TypeVar("InviteRow", bound=SQLModel)


async def open_invite(
    db: AsyncSession, table: type[InviteRow], token: str, now: datetime
) -> InviteRow:
    """The open invitation `token` names: 404 unknown, 409 `invite_used`, 410 revoked or
    expired."""
    invite = (
        await db.scalars(select(table).where(col(table.token_hash) == token_digest(token)))  # type: ignore[attr-defined]
    ).first()
    if invite is None:
        raise not_found("Invitation")
    status = invite_status(invite, now)  # type: ignore[arg-type]
    if status == "accepted":
        raise Conflict("This invitation was already used.", code="invite_used")
    if status == "revoked":
        raise InviteGone("This invitation was withdrawn by the school.", code="invite_revoked")
    if status == "expired":
        raise InviteGone()
    return invite


async def claim(
    db: AsyncSession, table: type[SQLModel], invite_id: uuid.UUID, now: datetime
) -> None:
    """Single use, even against a concurrent accept: only one request flips `accepted_at`."""
    claimed = await db.execute(
        update(table)
        .where(
            col(table.id) == invite_id,  # type: ignore[attr-defined]
            col(table.accepted_at).is_(None),  # type: ignore[attr-defined]
            col(table.revoked_at).is_(None),  # type: ignore[attr-defined]
        )
        .values(accepted_at=now)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise Conflict("This invitation was already used.", code="invite_used")


async def invited_account(
    db: AsyncSession,
    *,
    email: str,
    role: InvitedRole,
    caller: User | None,
    display_name: str | None,
    password: str | None,
) -> tuple[User, bool]:
    """(the invitee's account, whether it was created). A new address gets an account of
    `role` from `display_name` and `password`; an address with such an account needs its owner
    logged in (`caller`)."""
    existing = (await db.scalars(select(User).where(col(User.email) == email))).first()
    if existing is not None:
        if existing.role != role or not existing.is_active:
            raise Conflict(
                f"This address belongs to an account that cannot be a {role}'s.",
                code="email_taken",
            )
        if caller is None:
            raise NotAuthenticated(
                f"A {role} account with this address exists: log in to accept.",
                code="login_required",
            )
        if caller.id != existing.id:
            raise Forbidden(
                "This invitation is for another account.", code="invite_for_another_account"
            )
        return existing, False
    if display_name is None:
        raise InvalidInput("body.display_name", f"required to create the {role}'s account")
    if password is None:
        raise InvalidInput("body.password", f"required to create the {role}'s account")
    account = User(
        email=email,
        display_name=display_name,
        role=role,
        password_hash=await hash_password(password),
    )
    db.add(account)
    try:
        await db.flush()
    except IntegrityError as exc:  # a concurrent request took the address
        raise Conflict("An account with this e-mail already exists.", code="email_taken") from exc
    return account, True
