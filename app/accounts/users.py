"""Accounts: who may create, read, change and deactivate whom."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.access import users_visible_to
from app.accounts.rules import birth_date_problem
from app.accounts.schemas import UserCreate, UserUpdate
from app.accounts.tables import GuardianLink, RefreshToken, User
from app.core.audit import audit
from app.core.errors import Conflict, FieldNotAllowed, Forbidden, InvalidInput, not_found
from app.core.paging import fetch_page
from app.core.security.passwords import hash_password
from app.core.tables import utcnow
from app.organisations.tables import Organisation

MAX_GUARDIANS_PER_LEARNER = 2

# Roles each role may create. Coordinators and teachers create within their organisation.
# A host family's members come in through the family's invitations (app/hosting/invites.py).
CREATABLE_ROLES: dict[str, frozenset[str]] = {
    "admin": frozenset({"admin", "coordinator", "teacher", "learner", "guardian", "host"}),
    "coordinator": frozenset({"coordinator", "teacher", "learner", "guardian"}),
    "teacher": frozenset({"learner"}),
}


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def get_visible(db: AsyncSession, *, actor: User, user_id: uuid.UUID) -> User:
    stmt = select(User).where(col(User.id) == user_id, users_visible_to(actor))
    user = (await db.scalars(stmt)).first()
    if user is None:
        raise not_found("User")
    return user


async def list_visible(
    db: AsyncSession,
    *,
    actor: User,
    limit: int,
    offset: int,
    role: str | None = None,
    organisation_id: uuid.UUID | None = None,
) -> tuple[list[User], int]:
    stmt = select(User).where(users_visible_to(actor))
    if role:
        stmt = stmt.where(col(User.role) == role)
    if organisation_id:
        stmt = stmt.where(col(User.organisation_id) == organisation_id)
    stmt = stmt.order_by(col(User.display_name), col(User.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def create(db: AsyncSession, *, actor: User, data: UserCreate) -> User:
    allowed = CREATABLE_ROLES.get(actor.role, frozenset())
    if not allowed:
        raise Forbidden("Your role may not create accounts.")
    if data.role not in allowed:
        raise FieldNotAllowed("body.role")
    org_id = data.organisation_id
    if actor.role != "admin":
        if org_id is not None and (org_id != actor.organisation_id or data.role == "guardian"):
            raise FieldNotAllowed("body.organisation_id")
        org_id = data.organisation_id if data.role == "guardian" else actor.organisation_id
    await _check_role_fields(db, role=data.role, organisation_id=org_id, birth_date=data.birth_date)
    user = User(
        email=normalise_email(data.email),
        display_name=data.display_name,
        role=data.role,
        organisation_id=org_id,
        birth_date=data.birth_date,
        password_hash=await hash_password(data.password),
    )
    await _save(db, user)
    return user


async def _check_role_fields(
    db: AsyncSession, *, role: str, organisation_id: uuid.UUID | None, birth_date: Any
) -> None:
    if role in ("coordinator", "teacher", "learner"):
        if organisation_id is None:
            raise InvalidInput("body.organisation_id", f"a {role} belongs to an organisation")
        if await db.get(Organisation, organisation_id) is None:
            raise InvalidInput("body.organisation_id", "no such organisation")
    elif role in ("admin", "guardian", "host") and organisation_id is not None:
        raise InvalidInput("body.organisation_id", f"a {role} belongs to no organisation")
    if role == "learner" and birth_date is None:
        raise InvalidInput("body.birth_date", "a learner's birth date is required (consent age)")
    if role != "learner" and birth_date is not None:
        raise InvalidInput("body.birth_date", "only learners have a birth date on record")
    if birth_date is not None:
        problem = birth_date_problem(birth_date, utcnow().date())
        if problem is not None:
            raise InvalidInput("body.birth_date", problem)


async def _save(db: AsyncSession, user: User) -> None:
    duplicate = await db.scalar(
        select(func.count())
        .select_from(User)
        .where(col(User.email) == user.email, col(User.id) != user.id)
    )
    if duplicate:
        raise Conflict("An account with this e-mail already exists.", code="email_taken")
    db.add(user)
    try:
        await db.flush()
    except IntegrityError as exc:  # a concurrent request took the address
        raise Conflict("An account with this e-mail already exists.", code="email_taken") from exc


def updatable_fields(actor: User, target: User) -> frozenset[str]:
    """Fields `actor` may change on `target` (they can already see it)."""
    if actor.role == "admin":
        return frozenset(UserUpdate.model_fields)
    fields: set[str] = set()
    if actor.id == target.id:
        fields |= {"display_name", "password", "email"}
    same_org = (
        target.organisation_id is not None and target.organisation_id == actor.organisation_id
    )
    if actor.role == "coordinator" and target.role != "admin":
        if same_org:
            fields |= {"display_name", "email", "password", "birth_date", "is_active"}
            if target.id != actor.id:
                fields.add("role")
        elif target.role == "guardian":
            # A family's account is theirs: a school may fix the name shown, never take
            # over the login (e-mail, password) or switch it off.
            fields.add("display_name")
    if actor.role == "teacher" and target.role == "learner" and same_org:
        fields |= {"display_name", "birth_date"}
    return frozenset(fields)


async def update(db: AsyncSession, *, actor: User, user_id: uuid.UUID, data: UserUpdate) -> User:
    target = await get_visible(db, actor=actor, user_id=user_id)
    allowed = updatable_fields(actor, target)
    if not allowed:
        raise Forbidden("You may not change this account.")
    changes = data.model_dump(exclude_unset=True)
    for name in changes:
        if name not in allowed:
            raise FieldNotAllowed(f"body.{name}")
    if actor.role == "coordinator" and changes.get("role") in ("admin", "guardian", "host"):
        raise FieldNotAllowed("body.role")
    if target.id == actor.id and changes.get("is_active") is False:
        raise Conflict("You cannot deactivate your own account.", code="cannot_deactivate_self")
    role = changes.get("role") or target.role
    org_id = changes.get("organisation_id", target.organisation_id)
    birth_date = changes.get("birth_date", target.birth_date)
    if role != target.role or org_id != target.organisation_id or "birth_date" in changes:
        await _check_role_fields(db, role=role, organisation_id=org_id, birth_date=birth_date)
    password = changes.pop("password", None)
    if password is not None:
        target.password_hash = await hash_password(password)
        # A new password ends every login made with the old one.
        await db.execute(
            sql_update(RefreshToken)
            .where(col(RefreshToken.user_id) == target.id, col(RefreshToken.revoked_at).is_(None))
            .values(revoked_at=utcnow())
        )
    if "email" in changes:
        changes["email"] = normalise_email(changes["email"])
    if changes.get("role") not in (None, target.role):
        await audit(
            db,
            actor,
            "user.role_changed",
            "user",
            target.id,
            {"from": target.role, "to": changes["role"]},
        )
    for name, value in changes.items():
        if value is None and name in ("email", "display_name", "role", "is_active"):
            raise InvalidInput(f"body.{name}", "may not be null")
        setattr(target, name, value)
    target.updated_at = utcnow()
    await _save(db, target)
    return target


async def deactivate(db: AsyncSession, *, actor: User, user_id: uuid.UUID) -> None:
    target = await get_visible(db, actor=actor, user_id=user_id)
    if "is_active" not in updatable_fields(actor, target):
        raise Forbidden("You may not deactivate this account.")
    if target.id == actor.id:
        raise Conflict("You cannot deactivate your own account.", code="cannot_deactivate_self")
    target.is_active = False
    target.updated_at = utcnow()
    await db.flush()


async def _learner_for_guardianship(db: AsyncSession, actor: User, learner_id: uuid.UUID) -> User:
    learner = await get_visible(db, actor=actor, user_id=learner_id)
    if learner.role != "learner":
        raise not_found("Learner")
    manages = actor.role == "admin" or (
        actor.role == "coordinator" and learner.organisation_id == actor.organisation_id
    )
    if not manages:
        raise Forbidden("Only the learner's school coordinators link guardians.")
    return learner


async def list_guardians(db: AsyncSession, *, actor: User, learner_id: uuid.UUID) -> list[User]:
    learner = await get_visible(db, actor=actor, user_id=learner_id)
    if learner.role != "learner":
        raise not_found("Learner")
    if actor.role not in ("admin", "coordinator") and actor.id != learner.id:
        raise Forbidden("Only the learner and their coordinators see the guardians.")
    stmt = (
        select(User)
        .join(GuardianLink, col(GuardianLink.guardian_id) == col(User.id))
        .where(col(GuardianLink.learner_id) == learner.id)
        .order_by(col(User.display_name))
    )
    return list((await db.scalars(stmt)).all())


async def link_guardian(
    db: AsyncSession, *, actor: User, learner_id: uuid.UUID, guardian_id: uuid.UUID
) -> list[User]:
    learner = await _learner_for_guardianship(db, actor, learner_id)
    guardian = await db.get(User, guardian_id)
    if guardian is None or guardian.role != "guardian" or not guardian.is_active:
        raise InvalidInput("body.guardian_id", "not an active guardian account")
    current = await list_guardians(db, actor=actor, learner_id=learner.id)
    if any(g.id == guardian.id for g in current):
        return current
    if len(current) >= MAX_GUARDIANS_PER_LEARNER:
        raise Conflict(
            f"A learner has at most {MAX_GUARDIANS_PER_LEARNER} guardians.",
            code="too_many_guardians",
        )
    db.add(GuardianLink(guardian_id=guardian.id, learner_id=learner.id))
    await db.flush()
    await audit(db, actor, "guardian.linked", "user", learner.id, {"guardian_id": str(guardian.id)})
    return [*current, guardian]


async def unlink_guardian(
    db: AsyncSession, *, actor: User, learner_id: uuid.UUID, guardian_id: uuid.UUID
) -> None:
    learner = await _learner_for_guardianship(db, actor, learner_id)
    link = await db.get(GuardianLink, (guardian_id, learner.id))
    if link is None:
        raise not_found("Guardian link")
    await db.delete(link)
    await db.flush()
    await audit(
        db, actor, "guardian.unlinked", "user", learner.id, {"guardian_id": str(guardian_id)}
    )
