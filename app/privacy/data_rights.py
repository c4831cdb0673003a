"""Data rights (GDPR art. 15, 17 and 20): export everything about a person; erase a person.

Export: the account, family links, classes, consents, sessions of their classes, logins
(without hashes), feeds, invitations, notifications, e-mails, the audit records about them,
participation certificates, mobilities (app/mobility/privacy.py), host families, placements
and their threads (app/hosting/privacy.py), and, generically, every
other row of every table that points at them.

Erasure keeps the account row (ids stay valid for statistics and the legal record) but leaves
no personal data: the address and name become pseudonyms, the birth date goes, the password
becomes unusable, the account is switched off; family links, logins, feeds, invitations,
notifications, e-mails, participation certificates (signed copies of the name) and a
learner's mobilities go. Consent
records stay, pseudonymous, as proof of what was consented (GDPR art. 7(1)); the audit trail
stays. Every copy of the old name or address
anywhere else (room presence snapshots, room events) is replaced by the pseudonym.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Table, Text, cast, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.invitations import invite_status
from app.accounts.tables import ERASED_DOMAIN, GuardianLink, RefreshToken, User
from app.accounts.users import get_visible
from app.activities.tables import Reflection, SelfAssessment, WordcloudEntry
from app.all_tables import metadata
from app.attendance.tables import Certificate
from app.badges.tables import Badge
from app.classes.tables import ClassLearner, ClassTeacher, SchoolClass
from app.core import audit as audit_trail
from app.core.audit import audit, is_linked_guardian
from app.core.audit_table import AuditRecord
from app.core.errors import Conflict, Forbidden
from app.core.security.passwords import hash_password
from app.families.tables import Consent, GuardianInvite
from app.hosting import privacy as hosting_data
from app.matching import messages as exchange_threads
from app.matching.tables import ExchangeClass
from app.mobility import privacy as mobility_data
from app.notifications.tables import Notification, OutboxMessage, PushSubscription
from app.organisations.tables import Organisation
from app.scheduling.tables import CalendarFeed, LiveSession

# Tables exported (and erased) section by section; every other table is swept generically.
_COVERED = frozenset(
    {
        "user_account",
        "guardian_link",
        "class_learner",
        "class_teacher",
        "consent",
        "refresh_token",
        "calendar_feed",
        "guardian_invite",
        "notification",
        "outbox",
        "audit_record",
        "certificate",
        *mobility_data.TABLES,
        *hosting_data.TABLES,
    }
)
_SECRET_COLUMN = re.compile(r"hash|token|secret|password", re.IGNORECASE)


# --- export ----------------------------------------------------------------------------------


async def _exportable(db: AsyncSession, actor: User, user_id: uuid.UUID) -> User:
    target = await get_visible(db, actor=actor, user_id=user_id)
    allowed = (
        actor.id == target.id
        or actor.role in ("admin", "coordinator")
        or await is_linked_guardian(db, actor, target.id)
    )
    if not allowed:
        raise Forbidden("Only the person, their guardian, their school's coordinator or an admin.")
    return target


def _row(obj: Any, *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    data: dict[str, Any] = obj.model_dump()
    return {k: v for k, v in data.items() if k not in drop and not _SECRET_COLUMN.search(k)}


async def export(
    db: AsyncSession, *, actor: User, user_id: uuid.UUID, now: datetime
) -> dict[str, Any]:
    target = await _exportable(db, actor, user_id)
    uid = target.id
    org = await db.get(Organisation, target.organisation_id) if target.organisation_id else None
    guardians = await db.execute(
        select(User, GuardianLink)
        .join(GuardianLink, col(GuardianLink.guardian_id) == col(User.id))
        .where(col(GuardianLink.learner_id) == uid)
    )
    learners = await db.execute(
        select(User, GuardianLink)
        .join(GuardianLink, col(GuardianLink.learner_id) == col(User.id))
        .where(col(GuardianLink.guardian_id) == uid)
    )
    learning = select(col(ClassLearner.class_id)).where(col(ClassLearner.learner_id) == uid)
    teaching = select(col(ClassTeacher.class_id)).where(col(ClassTeacher.teacher_id) == uid)
    classes = (
        await db.scalars(
            select(SchoolClass)
            .where(or_(col(SchoolClass.id).in_(learning), col(SchoolClass.id).in_(teaching)))
            .order_by(col(SchoolClass.name))
        )
    ).all()
    learning_ids = set((await db.scalars(learning)).all())
    exchanges = select(col(ExchangeClass.exchange_id)).where(
        col(ExchangeClass.class_id).in_([c.id for c in classes])
    )
    sessions = (
        await db.scalars(
            select(LiveSession)
            .where(col(LiveSession.exchange_id).in_(exchanges))
            .order_by(col(LiveSession.starts_at))
        )
    ).all()
    consents = (
        await db.scalars(
            select(Consent)
            .where(
                or_(
                    col(Consent.learner_id) == uid,
                    col(Consent.given_by) == uid,
                    col(Consent.withdrawn_by) == uid,
                )
            )
            .order_by(col(Consent.created_at))
        )
    ).all()
    invites = (
        await db.scalars(
            select(GuardianInvite).where(
                or_(
                    col(GuardianInvite.learner_id) == uid, col(GuardianInvite.email) == target.email
                )
            )
        )
    ).all()
    result = {
        "exported_at": now,
        "account": _row(target),
        "organisation": org.model_dump(include={"id", "name", "country", "city", "timezone"})
        if org
        else None,
        "guardians": [
            {"guardian_id": u.id, "display_name": u.display_name, "linked_at": link.created_at}
            for u, link in guardians.all()
        ],
        "learners": [
            {"learner_id": u.id, "display_name": u.display_name, "linked_at": link.created_at}
            for u, link in learners.all()
        ],
        "classes": [
            {
                "class_id": c.id,
                "name": c.name,
                "organisation_id": c.organisation_id,
                "as": "learner" if c.id in learning_ids else "teacher",
            }
            for c in classes
        ],
        "consents": [_row(c) for c in consents],
        "sessions": [
            _row(s, drop=("created_by", "sequence", "series_id", "cancel_reason")) for s in sessions
        ],
        "refresh_tokens": [_row(t) for t in await _rows(db, RefreshToken, "user_id", uid)],
        "calendar_feeds": [_row(f) for f in await _rows(db, CalendarFeed, "user_id", uid)],
        # Invitations without the addresses: those are the guardians' data, not the learner's.
        "guardian_invites": [
            {
                "id": i.id,
                "learner_id": i.learner_id,
                "status": invite_status(i, now),
                "created_at": i.created_at,
                "expires_at": i.expires_at,
            }
            for i in invites
        ],
        "notifications": [_row(n) for n in await _rows(db, Notification, "user_id", uid)],
        "emails": [
            _row(m, drop=("to_address",))
            for m in await _rows(db, OutboxMessage, "recipient_id", uid)
        ],
        "audit_records": [_row(r) for r in await audit_trail.about(db, uid)],
        "certificates": [_row(c) for c in await _rows(db, Certificate, "learner_id", uid)],
        "mobilities": await mobility_data.export_for(
            db, uid, by_guardian=actor.role == "guardian" and actor.id != uid
        ),
        "hosting": await hosting_data.export_for(db, uid),
        "other_records": await _other_records(db, uid),
    }
    await audit(db, actor, "user.exported", "user", uid, {})
    return result


async def _rows(db: AsyncSession, model: Any, column: str, user_id: uuid.UUID) -> list[Any]:
    rows = await db.scalars(select(model).where(getattr(model, column) == user_id))
    return list(rows.all())


def _user_columns(table: Table) -> list[Any]:
    return [
        c
        for c in table.columns
        if any(fk.column.table.name == "user_account" for fk in c.foreign_keys)
    ]


async def _other_records(db: AsyncSession, user_id: uuid.UUID) -> dict[str, list[Any]]:
    """Rows of every other table with a column pointing at the user (secrets left out)."""
    found: dict[str, list[Any]] = {}
    for table in metadata.sorted_tables:
        columns = _user_columns(table)
        if table.name in _COVERED or not columns:
            continue
        rows = await db.execute(select(table).where(or_(*(c == user_id for c in columns))))
        items = [
            {k: v for k, v in row.items() if not _SECRET_COLUMN.search(k)}
            for row in rows.mappings()
        ]
        if items:
            found[table.name] = items
    return found


# --- erasure ---------------------------------------------------------------------------------


async def _erasable(db: AsyncSession, actor: User, user_id: uuid.UUID) -> User:
    target = await get_visible(db, actor=actor, user_id=user_id)
    if actor.role not in ("admin", "coordinator"):
        raise Forbidden("Only the person's school coordinator or an admin erases an account.")
    if target.id == actor.id:
        raise Conflict("You cannot erase your own account.", code="cannot_erase_self")
    if target.role == "admin":
        raise Forbidden("Admin accounts are never erased; demote the account first.")
    if actor.role == "coordinator" and target.organisation_id != actor.organisation_id:
        # A guardian: only when every learner they are linked to is at this school.
        schools = set(
            (
                await db.scalars(
                    select(col(User.organisation_id))
                    .join(GuardianLink, col(GuardianLink.learner_id) == col(User.id))
                    .where(col(GuardianLink.guardian_id) == target.id)
                )
            ).all()
        )
        if schools != {actor.organisation_id}:
            raise Forbidden("This guardian's family is also at another school; ask an admin.")
    if target.email.endswith(f"@{ERASED_DOMAIN}"):
        raise Conflict("This account is already erased.", code="already_erased")
    return target


async def erase(db: AsyncSession, *, actor: User, user_id: uuid.UUID, now: datetime) -> User:
    target = await _erasable(db, actor, user_id)
    uid = target.id
    old_email, old_name = target.email, target.display_name
    tag = secrets.token_hex(2)
    target.email = f"erased-{uuid.uuid4().hex}@{ERASED_DOMAIN}"
    target.display_name = f"Erased {target.role} {tag}"
    target.birth_date = None
    target.password_hash = await hash_password(secrets.token_urlsafe(32))
    target.is_active = False
    target.updated_at = now
    await db.flush()
    for statement in (
        delete(GuardianLink).where(
            or_(col(GuardianLink.guardian_id) == uid, col(GuardianLink.learner_id) == uid)
        ),
        delete(RefreshToken).where(col(RefreshToken.user_id) == uid),
        delete(CalendarFeed).where(col(CalendarFeed.user_id) == uid),
        delete(GuardianInvite).where(
            or_(col(GuardianInvite.learner_id) == uid, col(GuardianInvite.email) == old_email)
        ),
        delete(Notification).where(col(Notification.user_id) == uid),
        delete(OutboxMessage).where(col(OutboxMessage.recipient_id) == uid),
        delete(PushSubscription).where(col(PushSubscription.user_id) == uid),
        delete(Certificate).where(col(Certificate.learner_id) == uid),  # they hold the name
        delete(Badge).where(col(Badge.learner_id) == uid),  # signed, with the name inside
        # what they wrote in their own words: reflections, self-assessments, word-cloud words
        delete(Reflection).where(col(Reflection.learner_id) == uid),
        delete(SelfAssessment).where(col(SelfAssessment.learner_id) == uid),
        delete(WordcloudEntry).where(col(WordcloudEntry.user_id) == uid),
    ):
        await db.execute(statement)
    await exchange_threads.erase_authorship(db, uid)
    await mobility_data.erase_for(db, uid)
    await hosting_data.erase_for(db, uid, old_email)
    await _replace_copies(db, {old_email: target.email, old_name: target.display_name})
    await audit(db, actor, "user.erased", "user", uid, {"role": target.role})
    return target


def _swap(value: Any, patterns: list[tuple[re.Pattern[str], str]]) -> Any:
    if isinstance(value, str):
        for pattern, replacement in patterns:
            value = pattern.sub(replacement, value)
        return value
    if isinstance(value, list):
        return [_swap(v, patterns) for v in value]
    if isinstance(value, dict):
        return {k: _swap(v, patterns) for k, v in value.items()}
    return value


def _is_text(kind: Any) -> bool:
    """Text columns, SQLModel's `AutoString` (a decorator over `String`) included."""
    return isinstance(kind, String | Text) or isinstance(
        getattr(kind, "impl_instance", None), String | Text
    )


async def _replace_copies(db: AsyncSession, replacements: dict[str, str]) -> None:
    """Replace every copy of the old identifiers in every text and JSON column of every table
    but the account itself and the audit trail (which never holds any)."""
    needles = [n for n in replacements if n]
    patterns = [
        (re.compile(rf"(?<!\w){re.escape(old)}(?!\w)", re.IGNORECASE), new)
        for old, new in replacements.items()
        if old
    ]
    for table in metadata.sorted_tables:
        if table.name in ("user_account", AuditRecord.__tablename__):
            continue
        keys = list(table.primary_key.columns)
        for column in table.columns:
            if isinstance(column.type, JSON):
                text = cast(column, Text)
                # JSON may be stored with non-ASCII characters escaped: look for both forms.
                forms = set(needles) | {json.dumps(n)[1:-1] for n in needles}
                condition = or_(*(text.icontains(f, autoescape=True) for f in forms))
            elif _is_text(column.type):
                condition = or_(*(column.icontains(n, autoescape=True) for n in needles))
            else:
                continue
            rows = await db.execute(select(*keys, column).where(condition))
            for row in rows.all():
                *key, value = row
                changed = _swap(value, patterns)
                if changed != value:
                    where = [k == v for k, v in zip(keys, key, strict=True)]
                    await db.execute(update(table).where(*where).values({column.name: changed}))
