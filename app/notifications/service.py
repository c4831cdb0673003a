"""Notifications: who hears of an event, in which language, and where (feed and e-mail).

Each event becomes one in-app notification per recipient and, when e-mail is on
(`PASSERELLE_SMTP_URL`), one outbox row per recipient, and with Web Push on one push delivery
per subscription of the recipient (`app.notifications.push`), all in the caller's unit of work: they
exist exactly when the change does. `(event_key, recipient)` is unique in both tables, so an
event is never announced twice to the same person. `app.notifications.outbox` sends the e-mails.

Recipients of a session event: the teachers and learners of the exchange's classes and the
guardians of those learners; of an exchange event: the teachers of its classes. The person who
made the change is not notified. Texts are in the recipient's language (their school's
country; a guardian's from their learner's school) and times in their school's zone.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import GuardianLink, User
from app.classes.tables import ClassLearner, ClassTeacher, SchoolClass
from app.core.rules.instants import utc_iso
from app.core.tables import utcnow
from app.matching.tables import ExchangeClass
from app.notifications import push
from app.notifications.rules import Event, Facts, language_for, render
from app.notifications.tables import Notification, OutboxMessage, PushDelivery
from app.organisations.tables import Organisation
from app.scheduling.tables import LiveSession

MESSAGE_ID_DOMAIN = "passerelle"
_email = False


def configure(*, email: bool) -> None:
    """Whether events also queue e-mails (set at start-up from `PASSERELLE_SMTP_URL`)."""
    global _email
    _email = email


def email_enabled() -> bool:
    return _email


@dataclass(frozen=True)
class Recipient:
    user: User
    country: str | None
    timezone: str
    organisation_id: uuid.UUID | None = None  # the school they read for (partners exclude it)


async def _people(
    db: AsyncSession, class_ids: Sequence[uuid.UUID], *, learners_and_families: bool
) -> list[Recipient]:
    """Teachers (and learners, and the learners' guardians) of these classes, each once, with
    the school that decides their language and time zone."""
    found: dict[uuid.UUID, Recipient] = {}
    staff = await db.execute(
        select(User, Organisation)
        .join(ClassTeacher, col(ClassTeacher.teacher_id) == col(User.id))
        .join(SchoolClass, col(SchoolClass.id) == col(ClassTeacher.class_id))
        .join(Organisation, col(Organisation.id) == col(SchoolClass.organisation_id))
        .where(col(ClassTeacher.class_id).in_(class_ids), col(User.is_active))
        .order_by(col(User.id))
    )
    for user, org in staff.all():
        found.setdefault(user.id, Recipient(user, org.country, org.timezone, org.id))
    if learners_and_families:
        learners = await db.execute(
            select(User, Organisation)
            .join(ClassLearner, col(ClassLearner.learner_id) == col(User.id))
            .join(SchoolClass, col(SchoolClass.id) == col(ClassLearner.class_id))
            .join(Organisation, col(Organisation.id) == col(SchoolClass.organisation_id))
            .where(col(ClassLearner.class_id).in_(class_ids), col(User.is_active))
            .order_by(col(User.id))
        )
        learner_schools: dict[uuid.UUID, Organisation] = {}
        for user, org in learners.all():
            found.setdefault(user.id, Recipient(user, org.country, org.timezone))
            learner_schools[user.id] = org
        guardians = await db.execute(
            select(User, col(GuardianLink.learner_id))
            .join(GuardianLink, col(GuardianLink.guardian_id) == col(User.id))
            .where(col(GuardianLink.learner_id).in_(list(learner_schools)), col(User.is_active))
            .order_by(col(User.id), col(GuardianLink.learner_id))
        )
        for user, learner_id in guardians.all():
            org = learner_schools[learner_id]
            found.setdefault(user.id, Recipient(user, org.country, org.timezone))
    return list(found.values())


async def _announce(
    db: AsyncSession,
    *,
    event: Event,
    event_key: str,
    recipients: Sequence[Recipient],
    facts: Facts,
    data: dict[str, Any],
    actor: User | None,
    into: list[Notification | OutboxMessage] | None = None,
    schools: Sequence[tuple[uuid.UUID, str]] = (),
) -> None:
    """Add one notification (and e-mail, and Web Push) per recipient, or collect them `into`
    a list for one bulk insert (the caller then queues the pushes). With `schools`
    (`(organisation id, label)`), each recipient's `partners` are those schools but their
    own."""
    now = utcnow()
    added: list[Notification] = []
    add = into.append if into is not None else db.add
    for recipient in recipients:
        if actor is not None and recipient.user.id == actor.id:
            continue
        local = facts
        if schools:
            partners = [label for oid, label in schools if oid != recipient.organisation_id]
            local = replace(local, partners=", ".join(partners))
        if facts.starts_at is not None:
            zone = recipient.timezone
            local = replace(facts, starts_at=facts.starts_at.astimezone(ZoneInfo(zone)), zone=zone)
        message = render(event, language_for(recipient.country), local)
        notification = Notification(
            user_id=recipient.user.id,
            event=event,
            event_key=event_key,
            language=message.language,
            title=message.subject,
            body=message.body,
            data=data,
            created_at=now,
        )
        added.append(notification)
        add(notification)
        if _email:
            add(
                OutboxMessage(
                    event_key=event_key,
                    recipient_id=recipient.user.id,
                    to_address=recipient.user.email,
                    language=message.language,
                    subject=message.subject,
                    body=message.body,
                    message_id=f"<{uuid.uuid4()}@{MESSAGE_ID_DOMAIN}>",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    if into is None:
        await db.flush()
        db.add_all(await push.deliveries_for(db, added))
        await db.flush()


async def _exchange_class_ids(db: AsyncSession, exchange_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await db.scalars(
        select(col(ExchangeClass.class_id)).where(col(ExchangeClass.exchange_id) == exchange_id)
    )
    return list(rows.all())


async def session_event(
    db: AsyncSession,
    *,
    event: Event,
    rows: Sequence[LiveSession],
    actor: User | None,
    reason: str = "",
) -> None:
    """Announce that sessions were scheduled (one series or session), moved or cancelled."""
    if not rows:
        return
    first = min(rows, key=lambda r: r.starts_at)
    if event == "session.scheduled":
        key = f"{event}:{first.series_id or first.id}"
    elif event == "session.rescheduled":
        key = f"{event}:{first.id}:{first.sequence}"
    else:
        key = f"{event}:{first.id}"
    classes = await _exchange_class_ids(db, first.exchange_id)
    await _announce(
        db,
        event=event,
        event_key=key,
        recipients=await _people(db, classes, learners_and_families=True),
        facts=Facts(title=first.title, starts_at=first.starts_at, count=len(rows), reason=reason),
        data={
            "exchange_id": str(first.exchange_id),
            "session_ids": [str(r.id) for r in rows],
            "starts_at": utc_iso(first.starts_at),
        },
        actor=actor,
    )


async def exchange_event(
    db: AsyncSession, *, event: Event, exchange_id: uuid.UUID, actor: User | None
) -> None:
    """Announce to the teachers of its classes that an exchange was proposed or accepted."""
    await db.flush()
    rows = await db.execute(
        select(col(SchoolClass.id), Organisation)
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(SchoolClass.id))
        .join(Organisation, col(Organisation.id) == col(SchoolClass.organisation_id))
        .where(col(ExchangeClass.exchange_id) == exchange_id)
        .order_by(col(Organisation.country), col(Organisation.name))
    )
    members = list(rows.all())
    await _announce(
        db,
        event=event,
        event_key=f"{event}:{exchange_id}",
        recipients=await _people(db, [c for c, _ in members], learners_and_families=False),
        facts=Facts(),
        data={"exchange_id": str(exchange_id)},
        actor=actor,
        schools=_labels(org for _, org in members),
    )


async def exchange_message(
    db: AsyncSession,
    *,
    exchange_id: uuid.UUID,
    message_id: uuid.UUID,
    readers: Sequence[Recipient],
    schools: Sequence[Organisation],
    author: User,
    author_school: str,
) -> None:
    """Tell an exchange thread's readers (not its author) of a new message, without its text."""
    await _announce(
        db,
        event="exchange.message",
        event_key=f"exchange.message:{message_id}",
        recipients=readers,
        facts=Facts(author=f"{author.display_name} ({author_school})"),
        data={"exchange_id": str(exchange_id), "message_id": str(message_id)},
        actor=author,
        schools=_labels(schools),
    )


def _labels(orgs: Iterable[Organisation]) -> list[tuple[uuid.UUID, str]]:
    """Each school once, as `(id, "Name (CC)")`, by country then name."""
    unique = {org.id: org for org in orgs}
    ordered = sorted(unique.values(), key=lambda o: (o.country, o.name))
    return [(org.id, f"{org.name} ({org.country})") for org in ordered]


async def _guardians(db: AsyncSession, learner: User, *, absence_only: bool) -> list[Recipient]:
    """The learner's guardians (those who asked for absence alerts, if `absence_only`), each
    reading in the language and zone of the learner's school."""
    stmt = (
        select(User)
        .join(GuardianLink, col(GuardianLink.guardian_id) == col(User.id))
        .where(col(GuardianLink.learner_id) == learner.id, col(User.is_active))
        .order_by(col(User.id))
    )
    if absence_only:
        stmt = stmt.where(col(GuardianLink.absence_alerts))
    guardians = await db.scalars(stmt)
    return [await _as_of_school(db, g, learner) for g in guardians]


async def _as_of_school(db: AsyncSession, person: User, learner: User) -> Recipient:
    """`person` reading in the language and zone of `learner`'s school."""
    org = await db.get(Organisation, learner.organisation_id) if learner.organisation_id else None
    return Recipient(person, org.country if org else None, org.timezone if org else "UTC")


def _consent_request_prefix(learner_id: uuid.UUID, purpose: str) -> str:
    return f"consent.requested:{learner_id}:{purpose}:"


async def pending_consent_request(
    db: AsyncSession, *, learner_id: uuid.UUID, purpose: str
) -> uuid.UUID | None:
    """The id of a request for this learner and purpose whose notification someone has not
    read yet: asking again while one is pending tells nobody again."""
    key = await db.scalar(
        select(col(Notification.event_key))
        .where(
            col(Notification.event_key).startswith(
                _consent_request_prefix(learner_id, purpose), autoescape=True
            ),
            col(Notification.read_at).is_(None),
        )
        .limit(1)
    )
    return uuid.UUID(key.rsplit(":", 1)[1]) if key else None


async def consent_requested(
    db: AsyncSession,
    *,
    learner: User,
    purpose: str,
    request_id: uuid.UUID,
    actor: User,
    to_guardians: bool,
) -> int:
    """Ask for a consent: the learner's guardians, or the learner when they decide alone.
    Answers how many people were told."""
    if to_guardians:
        recipients = await _guardians(db, learner, absence_only=False)
    else:
        recipients = [await _as_of_school(db, learner, learner)]
    await _announce(
        db,
        event="consent.requested",
        event_key=f"{_consent_request_prefix(learner.id, purpose)}{request_id}",
        recipients=recipients,
        facts=Facts(learner=learner.display_name, purpose=purpose),
        data={"learner_id": str(learner.id), "purpose": purpose},
        actor=actor,
    )
    return len(recipients)


async def consent_regime_changed(
    db: AsyncSession, *, learner: User, guardian_required: bool, actor: User | None
) -> int:
    """Tell the learner's guardians that a new birth date moved the learner across their
    country's digital-consent age (`guardian_required`: the regime now in force)."""
    recipients = await _guardians(db, learner, absence_only=False)
    event: Event = "consent.guardian_required" if guardian_required else "consent.learner_decides"
    await _announce(
        db,
        event=event,
        event_key=f"{event}:{learner.id}:{uuid.uuid4()}",
        recipients=recipients,
        facts=Facts(learner=learner.display_name),
        data={"learner_id": str(learner.id), "guardian_required": guardian_required},
        actor=actor,
    )
    return len(recipients)


async def learner_absent(db: AsyncSession, *, live: LiveSession, learner: User) -> int:
    """Tell the guardians who opted in that `learner` missed `live` (once per session)."""
    recipients = await _guardians(db, learner, absence_only=True)
    await _announce(
        db,
        event="learner.absent",
        event_key=f"learner.absent:{live.id}:{learner.id}",
        recipients=recipients,
        facts=Facts(title=live.title, starts_at=live.starts_at, learner=learner.display_name),
        data={
            "learner_id": str(learner.id),
            "session_id": str(live.id),
            "starts_at": utc_iso(live.starts_at),
        },
        actor=None,
    )
    return len(recipients)


async def exchanges_proposed(
    db: AsyncSession, proposals: Sequence[tuple[uuid.UUID, Sequence[uuid.UUID]]]
) -> None:
    """`exchange.proposed` for many new exchanges at once (a matching run's): two queries for
    all of them, then one bulk insert of every notification (and e-mail): the event loop and
    SQLite's single write lock are held briefly, not once per exchange."""
    class_ids = sorted({c for _, classes in proposals for c in classes})
    if not class_ids:
        return
    schools = await db.execute(
        select(col(SchoolClass.id), Organisation)
        .join(Organisation, col(Organisation.id) == col(SchoolClass.organisation_id))
        .where(col(SchoolClass.id).in_(class_ids))
    )
    school_of: dict[uuid.UUID, Organisation] = {row[0]: row[1] for row in schools.all()}
    staff = await db.execute(
        select(col(ClassTeacher.class_id), User)
        .join(User, col(User.id) == col(ClassTeacher.teacher_id))
        .where(col(ClassTeacher.class_id).in_(class_ids), col(User.is_active))
        .order_by(col(User.id))
    )
    teachers: dict[uuid.UUID, list[User]] = {}
    for class_id, user in staff.all():
        teachers.setdefault(class_id, []).append(user)
    pending: list[Notification | OutboxMessage] = []
    for exchange_id, classes in proposals:
        recipients: dict[uuid.UUID, Recipient] = {}
        for class_id in classes:
            org = school_of[class_id]
            for user in teachers.get(class_id, []):
                recipients.setdefault(user.id, Recipient(user, org.country, org.timezone, org.id))
        await _announce(
            db,
            event="exchange.proposed",
            event_key=f"exchange.proposed:{exchange_id}",
            recipients=list(recipients.values()),
            facts=Facts(),
            data={"exchange_id": str(exchange_id)},
            actor=None,
            into=pending,
            schools=_labels(school_of[c] for c in classes),
        )
    notices = [m for m in pending if isinstance(m, Notification)]
    pushes = await push.deliveries_for(db, notices)
    for model, group in (
        (Notification, notices),
        (OutboxMessage, [m for m in pending if isinstance(m, OutboxMessage)]),
        (PushDelivery, pushes),
    ):
        rows = [m.model_dump() for m in group]
        if rows:
            await db.execute(insert(model), rows)
