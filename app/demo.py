"""Idempotent demo data: `python -m app.demo` (run by `make run`).

A network of five invented vocational schools in France, Italy, Germany, Spain and Finland,
with coordinators, teachers, learners (some of them minors), guardians and a dozen classes in a
term that is running, and an active exchange between Lyon and Köln whose session runs now.
Running it again changes nothing but schedules new live sessions once the last ones are over,
and prints the same logins.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts import auth, users
from app.accounts.schemas import UserCreate
from app.accounts.tables import User
from app.classes import service as classes
from app.classes.schemas import ClassCreate
from app.core.db import create_engine, session_factory, unit_of_work
from app.core.security import passwords
from app.core.settings import Settings, get_settings
from app.demo_live import load_live
from app.organisations import networks
from app.organisations import service as organisations
from app.organisations.schemas import NetworkCreate, OrganisationCreate
from app.organisations.tables import Network

NETWORK_NAME = "Passerelle demo network"
DEMO_PASSWORD = "passerelle-demo"  # noqa: S105 (printed for the demo accounts)
DEMO_ADMIN = "admin@demo.passerelle.eu"


@dataclass(frozen=True)
class DemoSchool:
    slug: str
    name: str
    country: str
    city: str
    timezone: str
    language: str
    learners: tuple[tuple[str, int], ...]  # display name, age in years
    classes: tuple[tuple[str, str, int], ...]  # name, ISCED-F field, EQF level


SCHOOLS = (
    DemoSchool(
        "lyon",
        "Lycée professionnel Rhône-Alpes Hôtellerie",
        "FR",
        "Lyon",
        "Europe/Paris",
        "fr",
        (("Léa Moreau", 15), ("Hugo Lefèvre", 17), ("Chloé Garnier", 19)),
        (
            ("Service en salle 2A", "1013", 4),
            ("Cuisine 1B", "1013", 3),
            ("Maintenance des véhicules", "0716", 4),
        ),
    ),
    DemoSchool(
        "bologna",
        "Istituto Alberghiero Colli Bolognesi",
        "IT",
        "Bologna",
        "Europe/Rome",
        "it",
        (("Giulia Ricci", 14), ("Matteo Conti", 16), ("Sofia Gallo", 18)),
        (("Accoglienza turistica 3A", "1015", 4), ("Enogastronomia 2B", "1013", 3)),
    ),
    DemoSchool(
        "koeln",
        "Berufskolleg Rheinufer",
        "DE",
        "Köln",
        "Europe/Berlin",
        "de",
        (("Jonas Schäfer", 15), ("Emma Weiß", 17), ("Lukas Brandt", 20), ("Mia Hoffmann", 14)),
        (
            ("Hotelfachleute HF21", "1013", 4),
            ("Kfz-Mechatronik KM2", "0716", 4),
            ("Kaufleute Büromanagement", "0413", 4),
        ),
    ),
    DemoSchool(
        "barcelona",
        "Institut Escola del Port",
        "ES",
        "Barcelona",
        "Europe/Madrid",
        "es",
        (("Núria Puig", 16), ("Àlex Ferrer", 14), ("Marta Soler", 18)),
        (("Cuina i gastronomia 1r", "1013", 3), ("Desenvolupament web DAW", "0613", 5)),
    ),
    DemoSchool(
        "salo",
        "Salon ammattiopisto Meri",
        "FI",
        "Salo",
        "Europe/Helsinki",
        "fi",
        (("Aino Virtanen", 16), ("Eetu Mäkinen", 17), ("Sanni Heikkinen", 19)),
        (("Ravintola- ja catering-ala R22", "1013", 4), ("Ohjelmistokehitys OK1", "0613", 5)),
    ),
)


def _birth_date(age: int, today: date) -> date:
    return today.replace(year=today.year - age) - timedelta(days=40)


def _email(role: str, slug: str, n: int | None = None) -> str:
    return f"{role}{n or ''}@{slug}.demo.passerelle.eu"


async def _create_user(db: AsyncSession, admin: User, data: UserCreate) -> User:
    return await users.create(db, actor=admin, data=data)


async def _load(db: AsyncSession, admin: User, today: date) -> None:
    org_ids = []
    for school in SCHOOLS:
        org = await organisations.create(
            db,
            actor=admin,
            data=OrganisationCreate(
                name=school.name,
                country=school.country,
                city=school.city,
                timezone=school.timezone,
                kind="school",
            ),
        )
        org_ids.append(org.id)
        staff = {
            "coordinator": await _create_user(
                db,
                admin,
                UserCreate(
                    email=_email("coordinator", school.slug),
                    display_name=f"Coordinator {school.city}",
                    role="coordinator",
                    organisation_id=org.id,
                    password=DEMO_PASSWORD,
                ),
            ),
        }
        teachers = [
            await _create_user(
                db,
                admin,
                UserCreate(
                    email=_email("teacher", school.slug, n),
                    display_name=f"Teacher {n} {school.city}",
                    role="teacher",
                    organisation_id=org.id,
                    password=DEMO_PASSWORD,
                ),
            )
            for n in (1, 2)
        ]
        learners = []
        for n, (name, age) in enumerate(school.learners, start=1):
            learner = await _create_user(
                db,
                admin,
                UserCreate(
                    email=_email("learner", school.slug, n),
                    display_name=name,
                    role="learner",
                    organisation_id=org.id,
                    birth_date=_birth_date(age, today),
                    password=DEMO_PASSWORD,
                ),
            )
            learners.append((learner, age))
        guardian = await _create_user(
            db,
            admin,
            UserCreate(
                email=_email("guardian", school.slug),
                display_name=f"Guardian {school.city}",
                role="guardian",
                password=DEMO_PASSWORD,
            ),
        )
        for learner, age in learners:
            if age < 18:
                await users.link_guardian(
                    db,
                    actor=staff["coordinator"],
                    learner_id=learner.id,
                    guardian_id=guardian.id,
                )
        term_start = today - timedelta(weeks=6)  # the term is running: sessions can be held
        for n, (class_name, field, eqf) in enumerate(school.classes):
            created, _ = await classes.create(
                db,
                actor=admin,
                data=ClassCreate(
                    name=class_name,
                    organisation_id=org.id,
                    teacher_ids=[teachers[n % 2].id],
                    field=field,
                    eqf_level=eqf,
                    learner_count=18 + 2 * n,
                    age_min=15,
                    age_max=19,
                    languages=[
                        {"code": "en", "level": "B1"},
                        {"code": school.language, "level": "C2"},
                    ],
                    availability=[
                        {"weekday": 1, "start": "09:00", "end": "12:00"},
                        {"weekday": 3, "start": "13:30", "end": "16:00"},
                    ],
                    term_start=term_start,
                    term_end=term_start + timedelta(weeks=24),
                ),
            )
            if n == 0:
                await classes.set_roster(
                    db,
                    actor=admin,
                    class_id=created.id,
                    learner_ids=[learner.id for learner, _ in learners],
                )
    coordinating = await db.scalar(
        select(User).where(col(User.email) == _email("coordinator", SCHOOLS[0].slug))
    )
    assert coordinating is not None
    network = await networks.create(
        db,
        actor=coordinating,
        data=NetworkCreate(name=NETWORK_NAME, description="Five VET schools, one joint term."),
    )
    for org_id in org_ids[1:]:
        await networks.add_member(
            db, actor=coordinating, network_id=network.id, organisation_id=org_id
        )


async def load_demo(settings: Settings, today: date, now: datetime | None = None) -> bool:
    """Load the demo unless it is there already (True when it was loaded now); either way, make
    sure a demo session runs now and another starts soon (app/demo_live.py)."""
    now = now or datetime.now(UTC)
    engine = create_engine(settings.database_url)
    try:
        async with unit_of_work(session_factory(engine)) as db:
            exists = await db.scalar(
                select(col(Network.id)).where(col(Network.name) == NETWORK_NAME)
            )
            if exists is None:
                admin_email = settings.admin_email or DEMO_ADMIN
                admin_password = settings.admin_password or DEMO_PASSWORD
                await auth.ensure_admin(db, email=admin_email, password=admin_password)
                admin = await db.scalar(select(User).where(col(User.role) == "admin"))
                assert admin is not None
                await _load(db, admin, today)
            await load_live(db, network_name=NETWORK_NAME, now=now)
            return exists is None
    finally:
        await engine.dispose()


def logins(settings: Settings, base_url: str = "http://localhost:8000") -> str:
    lines = [
        f"Passerelle demo: every demo account's password is {DEMO_PASSWORD!r}",
        f"  admin        {settings.admin_email or DEMO_ADMIN}",
    ]
    for school in SCHOOLS:
        lines.append(f"  {school.city} ({school.country}):")
        lines.append(f"    coordinator  {_email('coordinator', school.slug)}")
        lines.append(
            f"    teachers     {_email('teacher', school.slug, 1)}, "
            f"{_email('teacher', school.slug, 2)}"
        )
        lines.append(
            f"    learners     {_email('learner', school.slug, 1)} .. "
            f"{_email('learner', school.slug, len(school.learners))}"
        )
        lines.append(f"    guardian     {_email('guardian', school.slug)}")
    lines += [
        "Try the live room (a session of Lyon and Köln runs now, another starts in minutes):",
        f"  teacher, runs the room      {_email('teacher', 'lyon', 1)}  at {base_url}/console",
        f"  learner, joins from a phone {_email('learner', 'lyon', 1)}  at {base_url}/",
        f"  minor with consent (15, DE) {_email('learner', 'koeln', 1)}",
        f"  minor without consent (14)  {_email('learner', 'koeln', 4)}  (the room says why)",
        f"  her guardian, gives it      {_email('guardian', 'koeln')}  at {base_url}/family",
        f"  coordinator, matching       {_email('coordinator', 'lyon')}",
        "Log in: POST /api/v1/auth/token (form fields username, password); "
        f"docs at {base_url}/docs",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app.demo", description="Load the demo data.")
    parser.add_argument("--base-url", default="http://localhost:8000", help="where it is served")
    args = parser.parse_args(argv)
    settings = get_settings()
    passwords.configure(
        time_cost=settings.password_hash_time_cost, memory_kib=settings.password_hash_memory_kib
    )
    loaded = asyncio.run(load_demo(settings, date.today(), datetime.now(UTC)))
    status = "loaded" if loaded else "already present, unchanged"
    sys.stdout.write(f"Demo data {status}.\n{logins(settings, args.base_url)}\n")


if __name__ == "__main__":
    main()
