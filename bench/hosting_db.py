"""Benchmark, end to end through the database: the host-matching run of `bench.hosting`'s
instance stored in a fresh, migrated SQLite file (see docs/benchmarks.md, "Host matching").

    python -m bench.hosting_db [--learners 2000] [--families 3000] [--seed 1]

Writes the organisations, learners, mobilities (with their hosting needs) and families, then
times what a run does after it is queued: load the instance (`runner.instance_of`), solve it
(`rules.assign.solve`, in this process), store the proposals as placements (`runner.store`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import insert

from app.accounts.tables import User
from app.core.db import create_engine, session_factory, unit_of_work
from app.core.rules.codes import CEFR_LEVELS
from app.hosting.rules.assign import solve
from app.hosting.runner import instance_of, store
from app.hosting.tables import HostFamily, HostMatchingRun
from app.mobility.tables import Mobility
from app.organisations.tables import Organisation
from bench.hosting import generate

ROOT = Path(__file__).resolve().parent.parent


def _language(lang: object) -> dict[str, str]:
    return {"code": lang.code, "level": CEFR_LEVELS[lang.level]}  # type: ignore[attr-defined]


async def _seed(url: str, learners: int, families: int, seed: int) -> uuid.UUID:
    instance = generate(learners, families, seed)
    engine = create_engine(url)
    sending = Organisation(
        name="Lycée", country="FR", city="Lyon", timezone="Europe/Paris", kind="school"
    )
    receiving = Organisation(
        name="Istituto", country="IT", city="Bologna", timezone="Europe/Rome", kind="school"
    )
    people, stays, homes = [], [], []
    for need in instance.needs:
        learner = uuid.uuid4()
        people.append(
            {
                "id": learner,
                "email": f"{need.id}@bench.example",
                "display_name": need.id,
                "role": "learner",
                "organisation_id": sending.id,
                "password_hash": "x",
                "is_active": True,
            }
        )
        stays.append(
            {
                "id": uuid.UUID(int=int(need.id[1:]) + 1),
                "learner_id": learner,
                "sending_organisation_id": sending.id,
                "receiving_organisation_id": receiving.id,
                "kind": "physical",
                "starts_on": need.starts_on,
                "ends_on": need.ends_on,
                "city": need.city,
                "country": "IT",
                "placement_company": "Bench",
                "checkin_every_days": 7,
                "status": "planned",
                "hosting": {
                    "needed": True,
                    "diet": sorted(need.diet),
                    "allergies": sorted(need.allergies),
                    "non_smoking": need.non_smoking,
                    "languages": [_language(lang) for lang in need.languages],
                    "preferences": sorted(need.preferences),
                    "location": {"lat": need.placement.lat, "lon": need.placement.lon}
                    if need.placement
                    else None,
                },
            }
        )
    for f in instance.families:
        homes.append(
            {
                "id": uuid.UUID(int=int(f.id[1:]) + 10**6),
                "organisation_id": receiving.id,
                "display_name": f.id,
                "city": f.city,
                "lat": f.location.lat if f.location else None,
                "lon": f.location.lon if f.location else None,
                "languages": [_language(lang) for lang in f.languages],
                "adults": 2,
                "children": f.children,
                "pets": sorted(f.pets),
                "smoking": f.smoking,
                "diets": sorted(f.diets),
                "rooms": f.rooms,
                "available": [
                    {"from": w.first.isoformat(), "to": w.last.isoformat()} for w in f.available
                ],
                "max_drive_km": f.max_drive_km,
                "vetting_status": "approved" if f.approved else "pending",
                "vetting_valid_until": f.valid_until,
            }
        )
    factory = session_factory(engine)
    async with unit_of_work(factory) as db:
        db.add_all([sending, receiving])
        await db.flush()
        await db.execute(insert(User), people)
        await db.execute(insert(Mobility), stays)
        await db.execute(insert(HostFamily), homes)
        run = HostMatchingRun(
            receiving_organisation_id=receiving.id,
            status="running",
            mobility_ids=sorted(str(s["id"]) for s in stays),
        )
        db.add(run)
    await engine.dispose()
    return run.id


async def _run(url: str, run_id: uuid.UUID) -> None:
    engine = create_engine(url)
    factory = session_factory(engine)
    started = time.perf_counter()
    async with unit_of_work(factory) as db:
        run = await db.get(HostMatchingRun, run_id)
        assert run is not None
        instance = await instance_of(db, run, 8.0)
    loaded = time.perf_counter()
    outcome = solve(instance)
    solved = time.perf_counter()
    async with unit_of_work(factory) as db:
        await store(db, run_id, outcome)
    stored = time.perf_counter()
    await engine.dispose()
    print(
        f"load {loaded - started:.2f} s, solve {solved - loaded:.2f} s, "
        f"store {stored - solved:.2f} s: the run in {stored - started:.2f} s; "
        f"{len(outcome.proposals)} placed, {len(outcome.unmatched)} unmatched, "
        f"optimal {outcome.optimal}"
    )
    met = "met" if stored - started < 10 else "NOT met"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"target (under 10 s): {met}; load average {load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--families", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        cfg = Config(str(ROOT / "alembic.ini"))
        cfg.set_main_option("sqlalchemy.url", url)
        command.upgrade(cfg, "head")
        run_id = asyncio.run(_seed(url, args.learners, args.families, args.seed))
        print(f"{args.learners} learners, {args.families} families in a fresh SQLite database")
        asyncio.run(_run(url, run_id))


if __name__ == "__main__":
    main()
