"""Logins, token rotation and logout.

Refresh tokens rotate: each use returns a new pair and marks the old token used. A used token
presented again means it was copied, so the whole family (every token descending from that
login) is revoked. The revocation is committed even though the request fails.

Except within `PASSERELLE_REFRESH_REUSE_GRACE_SECONDS` (10 s) of its first use: a phone app
that refreshes from two places at once (two tabs, a retry after a lost answer) gets a second
new pair from the same family, and nobody is logged out. After the grace, reuse is theft.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.auth_schemas import TokenPair
from app.accounts.tables import RefreshToken, User
from app.core.errors import AppError, NotAuthenticated, RateLimited
from app.core.limits import Limiter, spend
from app.core.security.passwords import hash_password, verify_password
from app.core.security.tokens import InvalidToken, KeyRing, token_digest
from app.core.settings import Settings
from app.core.tables import utcnow

INVALID_LOGIN = "Incorrect e-mail or password."


@dataclass
class LoginGuard:
    """Login attempts per account and per client address (through the limiter: shared by every
    process on Redis), and how many password verifications this process runs now (at most
    `max_verifying`)."""

    limiter: Limiter
    window_s: float
    max_verifying: int = 4
    verifying: int = 0


@dataclass(frozen=True)
class TokenIssuer:
    """What issuing and checking tokens needs: the key ring and the token lifetimes."""

    keys: KeyRing
    settings: Settings


class RefreshTokenReused(AppError):
    status_code = 401
    code = "refresh_token_reused"
    message = "This refresh token was already used; every session from that login is now closed."
    keep_changes = True


def _invalid_refresh() -> NotAuthenticated:
    return NotAuthenticated(
        "The refresh token is invalid or expired.", code="invalid_refresh_token"
    )


async def login(
    db: AsyncSession,
    *,
    tokens: TokenIssuer,
    guard: LoginGuard,
    email: str,
    password: str,
    address: str,
) -> TokenPair:
    settings = tokens.settings
    limiter, window_s = guard.limiter, guard.window_s
    email = email.strip().lower()
    account_key = f"login-account:{email}"
    address_key = f"login-address:{address}"
    # Count the attempt before the password is verified: concurrent logins for one account see
    # each other's attempts (each hit checks and counts at once). A success takes its own back.
    account = await spend(limiter, account_key, settings.login_max_failures_per_account, window_s)
    try:
        by_address = await spend(
            limiter, address_key, settings.login_max_failures_per_address, window_s
        )
    except RateLimited:
        await limiter.take_back(account_key, account, window_s)
        raise
    if guard.verifying >= guard.max_verifying:
        await limiter.take_back(account_key, account, window_s)
        await limiter.take_back(address_key, by_address, window_s)
        raise RateLimited(1, "Too many logins at once; try again in a moment.")
    guard.verifying += 1
    try:
        user = (await db.scalars(select(User).where(col(User.email) == email))).first()
        ok = await verify_password(password, user.password_hash if user else None)
    finally:
        guard.verifying -= 1
    if user is None or not ok or not user.is_active:
        raise NotAuthenticated(INVALID_LOGIN, code="invalid_credentials")
    await limiter.clear(account_key, window_s)
    await limiter.take_back(address_key, by_address, window_s)
    return await _issue_pair(db, tokens=tokens, user=user, family_id=uuid.uuid4(), now=utcnow())


async def _issue_pair(
    db: AsyncSession, *, tokens: TokenIssuer, user: User, family_id: uuid.UUID, now: datetime
) -> TokenPair:
    settings = tokens.settings
    access_lifetime = timedelta(minutes=settings.access_token_minutes)
    refresh_lifetime = timedelta(days=settings.refresh_token_days)
    access = tokens.keys.issue(
        kind="access",
        subject=str(user.id),
        now=now,
        lifetime=access_lifetime,
        extra={"role": user.role},
    )
    refresh = tokens.keys.issue(
        kind="refresh",
        subject=str(user.id),
        now=now,
        lifetime=refresh_lifetime,
        extra={"fam": str(family_id)},
    )
    db.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=token_digest(refresh),
            expires_at=now + refresh_lifetime,
        )
    )
    await db.flush()
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=int(access_lifetime.total_seconds()),
    )


async def _stored(db: AsyncSession, tokens: TokenIssuer, token: str) -> RefreshToken:
    try:
        tokens.keys.verify(token, kind="refresh")
    except InvalidToken as exc:
        raise _invalid_refresh() from exc
    stored = (
        await db.scalars(
            select(RefreshToken).where(col(RefreshToken.token_hash) == token_digest(token))
        )
    ).first()
    if stored is None:
        raise _invalid_refresh()
    return stored


async def revoke_family(db: AsyncSession, family_id: uuid.UUID, now: datetime) -> None:
    await db.execute(
        update(RefreshToken)
        .where(col(RefreshToken.family_id) == family_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    await db.flush()


async def refresh(db: AsyncSession, *, tokens: TokenIssuer, token: str) -> TokenPair:
    now = utcnow()
    stored = await _stored(db, tokens, token)
    if stored.used_at is not None:
        return await _reused(db, tokens, stored, now)
    if stored.revoked_at is not None or stored.expires_at <= now:
        raise _invalid_refresh()
    # Mark used with a guarded update, so two concurrent uses cannot both succeed.
    marked = await db.execute(
        update(RefreshToken)
        .where(col(RefreshToken.id) == stored.id, col(RefreshToken.used_at).is_(None))
        .values(used_at=now)
    )
    if getattr(marked, "rowcount", 0) != 1:  # used at this very moment by another request
        return await _reused(db, tokens, stored, now)
    user = await db.get(User, stored.user_id)
    if user is None or not user.is_active:
        raise _invalid_refresh()
    return await _issue_pair(db, tokens=tokens, user=user, family_id=stored.family_id, now=now)


async def _reused(
    db: AsyncSession, tokens: TokenIssuer, stored: RefreshToken, now: datetime
) -> TokenPair:
    """A used token presented again: within the grace of its first use (and its family still
    standing), another new pair; otherwise the family is revoked and the call refused."""
    used_at, revoked_at = (
        await db.execute(
            select(col(RefreshToken.used_at), col(RefreshToken.revoked_at)).where(
                col(RefreshToken.id) == stored.id
            )
        )
    ).one()
    grace = timedelta(seconds=tokens.settings.refresh_reuse_grace_seconds)
    if grace and used_at is not None and revoked_at is None and now - used_at <= grace:
        user = await db.get(User, stored.user_id)
        if user is not None and user.is_active:
            return await _issue_pair(
                db, tokens=tokens, user=user, family_id=stored.family_id, now=now
            )
    await revoke_family(db, stored.family_id, now)
    raise RefreshTokenReused()


async def logout(db: AsyncSession, *, tokens: TokenIssuer, token: str) -> None:
    stored = await _stored(db, tokens, token)
    await revoke_family(db, stored.family_id, utcnow())


async def ensure_admin(db: AsyncSession, *, email: str, password: str) -> bool:
    """Create the bootstrap admin if no admin exists. True when one was created."""
    exists = (await db.scalars(select(col(User.id)).where(col(User.role) == "admin"))).first()
    if exists is not None:
        return False
    email = email.strip().lower()
    taken = (await db.scalars(select(col(User.id)).where(col(User.email) == email))).first()
    if taken is not None:
        return False
    db.add(
        User(
            email=email,
            display_name="Administrator",
            role="admin",
            password_hash=await hash_password(password),
        )
    )
    await db.flush()
    return True
