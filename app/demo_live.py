"""The demo's live part: an active exchange between the Lyon and Köln hospitality classes, with
one session running now and one starting in a few minutes, and consents that let one German
minor in and keep another out. Run at every `make run`: when no demo session is running or
due within the hour, two new ones are scheduled around the time of the run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.classes.tables import ClassTeacher, SchoolClass
from app.families import consents
from app.matching.tables import Exchange, ExchangeClass
from app.organisations.tables import Network
from app.scheduling.tables import LiveSession

RUNNING_TITLE = "Kitchen tour: Lyon meets Köln"
UPCOMING_TITLE = "Breakfast service compared"
CLASSES = ("Service en salle 2A", "Hotelfachleute HF21")
RUNNING_FOR = timedelta(minutes=20)  # the running session started this long ago
STARTS_IN = timedelta(minutes=10)  # the next one starts this soon
LENGTH = timedelta(hours=1)


async def _classes(db: AsyncSession) -> list[SchoolClass]:
    found = await db.scalars(select(SchoolClass).where(col(SchoolClass.name).in_(CLASSES)))
    return sorted(found, key=lambda c: CLASSES.index(c.name))


async def _exchange(db: AsyncSession, network: Network, classes: list[SchoolClass]) -> Exchange:
    existing = await db.scalar(
        select(Exchange)
        .join(ExchangeClass, col(ExchangeClass.exchange_id) == col(Exchange.id))
        .where(col(ExchangeClass.class_id) == classes[0].id, col(Exchange.status) == "active")
    )
    if existing is not None:
        return existing
    exchange = Exchange(
        network_id=network.id,
        status="active",
        score=912,
        score_breakdown={
            "field": 350,
            "language": 200,
            "age": 100,
            "size": 92,
            "availability": 170,
        },
        shared_languages=["en"],
    )
    db.add(exchange)
    await db.flush()
    for school_class in classes:
        db.add(
            ExchangeClass(exchange_id=exchange.id, class_id=school_class.id, decision="accepted")
        )
    await db.flush()
    return exchange


async def _sessions(db: AsyncSession, exchange: Exchange, organiser: User, now: datetime) -> None:
    current = await db.scalar(
        select(col(LiveSession.id)).where(
            col(LiveSession.exchange_id) == exchange.id,
            col(LiveSession.status).in_(("scheduled", "live")),
            col(LiveSession.ends_at) > now + STARTS_IN,
        )
    )
    if current is not None:
        return
    start = now.replace(second=0, microsecond=0)
    for title, starts_at in (
        (RUNNING_TITLE, start - RUNNING_FOR),
        (UPCOMING_TITLE, start + STARTS_IN),
    ):
        db.add(
            LiveSession(
                exchange_id=exchange.id,
                title=title,
                starts_at=starts_at,
                ends_at=starts_at + LENGTH,
                timezone="Europe/Paris",
                created_by=organiser.id,
            )
        )
    await db.flush()


async def _consents(db: AsyncSession, now: datetime) -> None:
    """Jonas (15, Köln: below Germany's 16) has his guardian's consent; Mia (14) has none."""
    guardian = await db.scalar(
        select(User).where(col(User.email) == "guardian@koeln.demo.passerelle.eu")
    )
    jonas = await db.scalar(
        select(User).where(col(User.email) == "learner1@koeln.demo.passerelle.eu")
    )
    if guardian is None or jonas is None:
        return
    for purpose in ("live_sessions", "chat"):
        await consents.give(db, actor=guardian, learner_id=jonas.id, purpose=purpose, now=now)


async def load_live(db: AsyncSession, *, network_name: str, now: datetime) -> bool:
    """The exchange, the sessions and the consents; False when the demo schools are missing."""
    network = await db.scalar(select(Network).where(col(Network.name) == network_name))
    classes = await _classes(db)
    if network is None or len(classes) != len(CLASSES):
        return False
    organiser = await db.scalar(
        select(User)
        .join(ClassTeacher, col(ClassTeacher.teacher_id) == col(User.id))
        .where(col(ClassTeacher.class_id) == classes[0].id)
    )
    assert organiser is not None
    exchange = await _exchange(db, network, classes)
    await _sessions(db, exchange, organiser, now)
    await _consents(db, now)
    return True
