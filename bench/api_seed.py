"""A network of generated classes and one live room, built through the public HTTP API.

Every generated `ClassProfile` (`bench.generator`) becomes a class of an organisation named
after the profile's `organisation_id`, in the profile's country and zone, taught by that
organisation's one teacher (so a proposal notifies its teachers, as in real use); every
organisation joins one network. Besides them, a French and a Finnish class (taught by one
teacher each, the French one with one learner) are matched by a one-pair run, accepted by both
teachers, and get a session starting in five minutes, so its room is open: the live room of
the benchmark. Those two classes are then in an active exchange, so a run over the network
leaves them out."""

from __future__ import annotations

import asyncio
import itertools
import secrets
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import httpx

from app.matching.rules.types import ClassProfile
from bench.generator import COUNTRIES
from bench.server_process import ADMIN_EMAIL, Server

T = TypeVar("T")
Headers = dict[str, str]
CITIES = {
    "DE": "Köln",
    "FR": "Lyon",
    "IT": "Bologna",
    "ES": "Valencia",
    "PL": "Poznań",
    "NL": "Utrecht",
    "PT": "Porto",
    "FI": "Salo",
    "TR": "Izmir",
    "IS": "Akureyri",
}
_names = itertools.count(1)


@dataclass
class World:
    admin: Headers
    network_id: str
    classes: int
    exchange_id: str
    session_id: str
    teacher: Headers  # of the French live class
    learner: Headers  # of the French live class
    seconds: dict[str, float]  # how long each seeding step took


def bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


async def call(
    http: httpx.AsyncClient,
    method: str,
    path: str,
    headers: Headers,
    expect: int,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    response = await http.request(method, path, json=body, headers=headers)
    if response.status_code != expect:
        raise SystemExit(f"{method} {path}: {response.status_code} {response.text[:500]}")
    result: dict[str, Any] = response.json()
    return result


async def login(http: httpx.AsyncClient, email: str, password: str) -> Headers:
    response = await http.post("/api/v1/auth/token", data={"username": email, "password": password})
    if response.status_code != 200:
        raise SystemExit(f"login {email}: {response.status_code} {response.text[:300]}")
    return bearer(response.json()["access_token"])


async def bounded(jobs: Iterable[Awaitable[T]], limit: int) -> list[T]:
    """Await `jobs` with at most `limit` in flight, results in order."""
    gate = asyncio.Semaphore(limit)

    async def one(job: Awaitable[T]) -> T:
        async with gate:
            return await job

    return list(await asyncio.gather(*(one(job) for job in jobs)))


def class_body(profile: ClassProfile, organisation_id: str, teacher_id: str) -> dict[str, Any]:
    return {
        "name": f"{profile.field} {profile.id}",
        "organisation_id": organisation_id,
        "teacher_ids": [teacher_id],
        "field": profile.field,
        "eqf_level": profile.eqf_level,
        "learner_count": profile.learner_count,
        "age_min": profile.age_min,
        "age_max": profile.age_max,
        "languages": [{"code": x.code, "level": x.level} for x in profile.languages],
        "availability": [
            {"weekday": w.weekday, "start": f"{w.start:%H:%M}", "end": f"{w.end:%H:%M}"}
            for w in profile.availability
        ],
        "term_start": profile.term_start.isoformat(),
        "term_end": profile.term_end.isoformat(),
        "open_for_matching": True,
    }


async def organisation(
    http: httpx.AsyncClient, admin: Headers, country: str, name: str
) -> dict[str, Any]:
    body = {
        "name": name,
        "country": country,
        "city": CITIES[country],
        "timezone": COUNTRIES[country][1],
        "kind": "school",
    }
    return await call(http, "POST", "/api/v1/organisations", admin, 201, body)


async def new_user(
    http: httpx.AsyncClient, admin: Headers, role: str, organisation_id: str
) -> tuple[str, str, str]:
    """(id, e-mail, password) of a new user."""
    n = next(_names)
    password = secrets.token_urlsafe(12)
    body: dict[str, Any] = {
        "email": f"{role}{n}@bench.passerelle.eu",
        "display_name": f"{role.title()} {n}",
        "role": role,
        "organisation_id": organisation_id,
        "password": password,
    }
    if role == "learner":
        body["birth_date"] = "2008-05-04"
    created = await call(http, "POST", "/api/v1/users", admin, 201, body)
    return created["id"], created["email"], password


async def user(
    http: httpx.AsyncClient, admin: Headers, role: str, organisation_id: str
) -> tuple[str, Headers]:
    """A new user, logged in: (id, headers)."""
    user_id, email, password = await new_user(http, admin, role, organisation_id)
    return user_id, await login(http, email, password)


async def wait_run(http: httpx.AsyncClient, run_id: str, headers: Headers) -> dict[str, Any]:
    while True:
        run = await call(http, "GET", f"/api/v1/matching/runs/{run_id}", headers, 200)
        if run["status"] in ("done", "failed"):
            return run
        await asyncio.sleep(0.2)


async def live_classes(
    http: httpx.AsyncClient,
    admin: Headers,
    teachers: Iterable[tuple[str, str]],
    *,
    name: str,
    learner_count: int,
    age_max: int,
) -> list[dict[str, Any]]:
    """One hospitality class per (organisation, teacher), in a term around today."""
    today = date.today()
    profile = {
        "field": "1013",
        "eqf_level": 4,
        "learner_count": learner_count,
        "age_min": 15,
        "age_max": age_max,
        "languages": [{"code": "en", "level": "B2"}],
        "availability": [{"weekday": 1, "start": "09:00", "end": "12:00"}],
        "term_start": (today - timedelta(days=30)).isoformat(),
        "term_end": (today + timedelta(days=120)).isoformat(),
    }
    return [
        await call(
            http,
            "POST",
            "/api/v1/classes",
            admin,
            201,
            profile | {"name": f"{name} {org} {t}", "organisation_id": org, "teacher_ids": [t]},
        )
        for org, t in teachers
    ]


async def live_room(
    http: httpx.AsyncClient, admin: Headers, network_id: str, fr: str, fi: str
) -> tuple[str, str, Headers, Headers]:
    """The French-Finnish exchange (active) with a session whose room is open; returns the
    exchange, the session, and the French teacher's and learner's headers."""
    (t_fr, teacher), (t_fi, teacher_fi) = [
        await user(http, admin, "teacher", org) for org in (fr, fi)
    ]
    learner_id, learner = await user(http, admin, "learner", fr)
    classes = await live_classes(
        http, admin, ((fr, t_fr), (fi, t_fi)), name="Live", learner_count=20, age_max=18
    )
    await call(
        http,
        "PUT",
        f"/api/v1/classes/{classes[0]['id']}/learners",
        admin,
        200,
        {"learner_ids": [learner_id]},
    )
    body = {"network_id": network_id, "class_ids": [c["id"] for c in classes], "group_size": 2}
    queued = await call(http, "POST", "/api/v1/matching/runs", admin, 202, body)
    run = await wait_run(http, queued["id"], admin)
    if run["status"] != "done" or len(run["proposals"]) != 1:
        raise SystemExit(f"the live-room pair was not proposed: {run}")
    exchange_id: str = run["proposals"][0]["exchange_id"]
    for headers in (teacher, teacher_fi):
        await call(http, "POST", f"/api/v1/exchanges/{exchange_id}/accept", headers, 200)
    starts = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=5)
    session = await call(
        http,
        "POST",
        f"/api/v1/exchanges/{exchange_id}/sessions",
        teacher,
        201,
        {"title": "Live", "starts_at": starts.isoformat(), "duration_minutes": 480},
    )
    session_id: str = session["id"]
    return exchange_id, session_id, teacher, learner


async def seed(
    http: httpx.AsyncClient, server: Server, profiles: list[ClassProfile], concurrency: int
) -> World:
    seconds: dict[str, float] = {}
    clock = asyncio.get_running_loop().time
    started = clock()
    admin = await login(http, ADMIN_EMAIL, server.admin_password)
    fr = (await organisation(http, admin, "FR", "Live school FR"))["id"]
    fi = (await organisation(http, admin, "FI", "Live school FI"))["id"]
    network = await call(
        http,
        "POST",
        "/api/v1/networks",
        admin,
        201,
        {"name": "Benchmark network", "coordinating_organisation_id": fr},
    )
    country = {p.organisation_id: p.country for p in profiles}
    keys = sorted(country)
    created = await bounded(
        (organisation(http, admin, country[k], f"School {k}") for k in keys), concurrency
    )
    org_ids = {k: o["id"] for k, o in zip(keys, created, strict=True)}
    teachers = await bounded(
        (new_user(http, admin, "teacher", org_ids[k]) for k in keys), concurrency
    )
    teacher_of = {k: t[0] for k, t in zip(keys, teachers, strict=True)}
    members = f"/api/v1/networks/{network['id']}/members"
    await bounded(
        (
            call(http, "POST", members, admin, 201, {"organisation_id": org})
            for org in [fi, *org_ids.values()]
        ),
        concurrency,
    )
    seconds["organisations and their teachers"] = clock() - started
    started = clock()
    exchange_id, session_id, teacher, learner = await live_room(http, admin, network["id"], fr, fi)
    seconds["live room"] = clock() - started
    started = clock()
    await bounded(
        (
            call(
                http,
                "POST",
                "/api/v1/classes",
                admin,
                201,
                class_body(p, org_ids[p.organisation_id], teacher_of[p.organisation_id]),
            )
            for p in profiles
        ),
        concurrency,
    )
    seconds["classes"] = clock() - started
    return World(
        admin, network["id"], len(profiles), exchange_id, session_id, teacher, learner, seconds
    )
