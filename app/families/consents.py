"""Consent records of learners: reading, giving, withdrawing, and `has_consent` for features.

The rules are the pure `app.families.rules`; this module finds the facts they need (the
learner's birth date and school country, who the caller is to the learner, the latest record)
and keeps the history. Every read goes to the database: a withdrawal counts from the next
request on, in every process.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.access import users_visible_to
from app.accounts.tables import User
from app.core.audit import audit, is_linked_guardian, record_cross_school_read
from app.core.errors import AppError, Conflict, InvalidInput, not_found
from app.families import rules
from app.families.tables import Consent
from app.organisations.tables import Organisation

VERIFICATION_METHOD = "authenticated_account"


class ConsentRefused(AppError):
    status_code = 403
    code = "forbidden"


@dataclass(frozen=True)
class LearnerFacts:
    learner: User
    country: str | None
    timezone: str
    today: date
    required: bool
    consent_age: int


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    record: Consent | None
    effective: bool
    may_give: bool
    may_withdraw: bool


async def learner_today(db: AsyncSession, learner: User, now: datetime) -> date:
    """The learner's local date at `now`, in their school's time zone (a birthday starts at
    local midnight): the `today` to give `has_consent`."""
    org = await db.get(Organisation, learner.organisation_id) if learner.organisation_id else None
    return now.astimezone(ZoneInfo(org.timezone if org else "UTC")).date()


async def learner_facts(db: AsyncSession, learner: User, *, now: datetime) -> LearnerFacts:
    """The learner's country and consent age, and whether a guardian must consent on the
    learner's local date at `now` (a birthday starts at midnight in the school's zone)."""
    org = await db.get(Organisation, learner.organisation_id) if learner.organisation_id else None
    country = org.country if org else None
    zone = org.timezone if org else "UTC"
    today = now.astimezone(ZoneInfo(zone)).date()
    return LearnerFacts(
        learner=learner,
        country=country,
        timezone=zone,
        today=today,
        required=rules.guardian_required(
            birth_date=learner.birth_date, country=country, today=today
        ),
        consent_age=rules.consent_age(country),
    )


def _latest_view(row: Consent | None) -> rules.Latest | None:
    if row is None:
        return None
    status: rules.Status = "given" if row.status == "given" else "withdrawn"
    role: rules.GivenBy | None = None
    if row.given_by_role in ("learner", "guardian"):
        role = "learner" if row.given_by_role == "learner" else "guardian"
    return rules.Latest(status=status, given_by_role=role)


async def latest_record(db: AsyncSession, learner_id: uuid.UUID, purpose: str) -> Consent | None:
    rows = await db.scalars(
        select(Consent)
        .where(col(Consent.learner_id) == learner_id, col(Consent.purpose) == purpose)
        .order_by(col(Consent.created_at).desc())
        .limit(1)
    )
    return rows.first()


async def has_consent(db: AsyncSession, learner: User, purpose: str, today: date) -> bool:
    """Whether a consent-based feature may run for `learner` on `today`.

    True for anyone who is not a learner, and for a learner who does not need a consent
    today (at or above their country's age) unless they withdrew or objected; below that age,
    True only while a linked guardian's consent for `purpose` stands."""
    if not rules.is_purpose(purpose):
        raise ValueError(f"unknown consent purpose {purpose!r}")
    if learner.role != "learner":
        return True
    org = await db.get(Organisation, learner.organisation_id) if learner.organisation_id else None
    required = rules.guardian_required(
        birth_date=learner.birth_date, country=org.country if org else None, today=today
    )
    latest = _latest_view(await latest_record(db, learner.id, purpose))
    return rules.effective(required=required, latest=latest)


async def _actor_kind(db: AsyncSession, actor: User, learner: User) -> rules.Actor:
    if actor.id == learner.id:
        return "learner"
    if await is_linked_guardian(db, actor, learner.id):
        return "guardian"
    return "other"


async def visible_learner(db: AsyncSession, *, actor: User, learner_id: uuid.UUID) -> User:
    """The learner, if `actor` may see them (themselves, their guardians, their school's staff,
    admins); 404 otherwise, as for any object out of sight."""
    found = (
        await db.scalars(
            select(User).where(
                col(User.id) == learner_id, col(User.role) == "learner", users_visible_to(actor)
            )
        )
    ).first()
    if found is None:
        raise not_found("Learner")
    return found


async def _state(
    db: AsyncSession, facts: LearnerFacts, kind: rules.Actor, purpose: str
) -> ConsentState:
    row = await latest_record(db, facts.learner.id, purpose)
    age, latest = facts.consent_age, _latest_view(row)
    return ConsentState(
        purpose=purpose,
        record=row,
        effective=rules.effective(required=facts.required, latest=latest),
        may_give=rules.refuse_give(kind, required=facts.required, age=age) is None,
        may_withdraw=rules.refuse_withdraw(kind, required=facts.required, age=age) is None
        and rules.withdrawable(required=facts.required, latest=latest),
    )


async def overview(
    db: AsyncSession, *, actor: User, learner_id: uuid.UUID, now: datetime
) -> tuple[LearnerFacts, list[ConsentState]]:
    learner = await visible_learner(db, actor=actor, learner_id=learner_id)
    return await overview_of(db, actor=actor, learner=learner, now=now)


async def overview_of(
    db: AsyncSession, *, actor: User, learner: User, now: datetime
) -> tuple[LearnerFacts, list[ConsentState]]:
    """Every purpose's state for a learner `actor` may already see."""
    await record_cross_school_read(db, actor=actor, learner=learner, what="consents")
    facts = await learner_facts(db, learner, now=now)
    kind = await _actor_kind(db, actor, learner)
    return facts, [await _state(db, facts, kind, p) for p in rules.PURPOSES]


def check_purpose(purpose: str, where: str) -> None:
    if not rules.is_purpose(purpose):
        raise InvalidInput(where, f"unknown purpose; one of {', '.join(rules.PURPOSES)}")


async def give(
    db: AsyncSession, *, actor: User, learner_id: uuid.UUID, purpose: str, now: datetime
) -> tuple[LearnerFacts, ConsentState, bool]:
    """Record consent; answers whether a new record was made (False: it already stood)."""
    check_purpose(purpose, "body.purpose")
    learner = await visible_learner(db, actor=actor, learner_id=learner_id)
    facts = await learner_facts(db, learner, now=now)
    kind = await _actor_kind(db, actor, learner)
    refusal = rules.refuse_give(kind, required=facts.required, age=facts.consent_age)
    if refusal is not None:
        raise ConsentRefused(refusal.message, code=refusal.code)
    current = await _state(db, facts, kind, purpose)
    if current.effective and current.record is not None and current.record.status == "given":
        return facts, current, False
    if current.record is not None and current.record.status == "given":
        # A standing grant that no longer counts (say, the learner consented alone in a
        # country with a lower age, then moved): the guardian's new grant replaces it.
        current.record.status = "withdrawn"
        current.record.withdrawn_at = now
        current.record.withdrawn_by = actor.id
    given_by = rules.given_by_role(kind)
    row = Consent(
        learner_id=learner.id,
        purpose=purpose,
        status="given",
        legal_basis=rules.legal_basis(given_by),
        notice_version=rules.NOTICE_VERSION,
        given_by=actor.id,
        given_by_role=given_by,
        verification_method=VERIFICATION_METHOD,
        given_at=now,
        created_at=now,
    )
    db.add(row)
    await db.flush()
    await audit(
        db,
        actor,
        "consent.given",
        "user",
        learner.id,
        {"purpose": purpose, "consent_id": str(row.id), "given_by_role": given_by},
    )
    return facts, await _state(db, facts, kind, purpose), True


async def withdraw(
    db: AsyncSession, *, actor: User, learner_id: uuid.UUID, purpose: str, now: datetime
) -> tuple[LearnerFacts, ConsentState]:
    """Withdraw a standing consent. From the consent age on, a learner with nothing on record
    objects instead: a record that is only a withdrawal, which stops the purpose too."""
    check_purpose(purpose, "path.purpose")
    learner = await visible_learner(db, actor=actor, learner_id=learner_id)
    facts = await learner_facts(db, learner, now=now)
    kind = await _actor_kind(db, actor, learner)
    refusal = rules.refuse_withdraw(kind, required=facts.required, age=facts.consent_age)
    if refusal is not None:
        raise ConsentRefused(refusal.message, code=refusal.code)
    row = await latest_record(db, learner.id, purpose)
    if row is not None and row.status == "given":
        row.status = "withdrawn"
        row.withdrawn_at = now
        row.withdrawn_by = actor.id
        action = "consent.withdrawn"
    elif row is None and not facts.required:
        row = Consent(
            learner_id=learner.id,
            purpose=purpose,
            status="withdrawn",
            legal_basis="gdpr_art_21",
            notice_version=rules.NOTICE_VERSION,
            verification_method=VERIFICATION_METHOD,
            withdrawn_at=now,
            withdrawn_by=actor.id,
            created_at=now,
        )
        db.add(row)
        action = "consent.objected"
    else:
        raise Conflict(
            "No consent stands for this purpose: there is nothing to withdraw.",
            code="consent_not_given",
        )
    await db.flush()
    await audit(
        db,
        actor,
        action,
        "user",
        learner.id,
        {"purpose": purpose, "consent_id": str(row.id), "by": kind},
    )
    return facts, await _state(db, facts, kind, purpose)


async def history(db: AsyncSession, learner_id: uuid.UUID) -> list[Consent]:
    """Every consent record of a learner, oldest first (for exports)."""
    rows = await db.scalars(
        select(Consent)
        .where(col(Consent.learner_id) == learner_id)
        .order_by(col(Consent.created_at), col(Consent.id))
    )
    return list(rows.all())
