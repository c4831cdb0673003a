"""Helpers for the families, consent, data-rights and notification tests (through the API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy import select

import app.all_tables
from tests.factories import Actor, Api
from tests.matching.test_matching_api import profile
from tests.scheduling.test_sessions_api import active_exchange

API = "/api/v1"


def local_today(zone: str) -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(zone)).date()


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def born_aged(years: int, zone: str, *, days_past_birthday: int = 40) -> str:
    """A birth date making someone `years` old today in `zone` (not near a birthday)."""
    birthday = years_before(local_today(zone), years) - timedelta(days=days_past_birthday)
    return birthday.isoformat()


def error_code(response: Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


@dataclass
class School:
    org: dict[str, Any]
    coordinator: Actor
    teacher: Actor

    @property
    def id(self) -> str:
        return str(self.org["id"])

    @property
    def zone(self) -> str:
        return str(self.org["timezone"])


async def school(api: Api, country: str, zone: str, city: str = "Town") -> School:
    org = await api.organisation(country=country, timezone=zone, city=city)
    return School(
        org,
        await api.user("coordinator", org["id"]),
        await api.user("teacher", org["id"]),
    )


async def learner(api: Api, where: School, age: int, **overrides: Any) -> Actor:
    body = {"birth_date": born_aged(age, where.zone)} | overrides
    return await api.user("learner", where.id, **body)


async def guardian_of(api: Api, learner_: Actor, **overrides: Any) -> Actor:
    guardian = await api.user("guardian", None, **overrides)
    linked = await api.client.post(
        f"{API}/learners/{learner_.id}/guardians",
        json={"guardian_id": guardian.id},
        headers=api.admin.headers,
    )
    assert linked.status_code == 201, linked.text
    return guardian


async def consents(client: AsyncClient, learner_id: str, as_: Actor) -> dict[str, Any]:
    response = await client.get(f"{API}/learners/{learner_id}/consents", headers=as_.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def item(overview: dict[str, Any], purpose: str) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in overview["items"] if i["purpose"] == purpose)
    return found


def current_term(zone: str) -> dict[str, str]:
    today = local_today(zone)
    return {
        "term_start": (today - timedelta(days=14)).isoformat(),
        "term_end": (today + timedelta(days=150)).isoformat(),
    }


@dataclass
class Exchange:
    id: str
    schools: list[School]
    classes: list[dict[str, Any]]


async def exchange_between(
    client: AsyncClient, api: Api, schools: list[School], learners: list[list[Actor]]
) -> Exchange:
    """An active exchange between one class per school (taught by the school's teacher, with
    these learners), in a network coordinated by the first school, terms covering today."""
    network = await api.network([s.id for s in schools])
    classes = []
    for where, enrolled in zip(schools, learners, strict=True):
        every_day = [{"weekday": d, "start": "00:00", "end": "23:59"} for d in range(7)]
        created = await api.school_class(
            where.id,
            [where.teacher.id],
            **profile(availability=every_day, **current_term(where.zone)),
        )
        roster = await client.put(
            f"{API}/classes/{created['id']}/learners",
            json={"learner_ids": [learner_.id for learner_ in enrolled]},
            headers=where.coordinator.headers,
        )
        assert roster.status_code == 200, roster.text
        classes.append(created)
    exchange_id = await active_exchange(
        client, api, schools[0].coordinator, network, classes, [s.teacher for s in schools]
    )
    return Exchange(exchange_id, schools, classes)


async def schedule(
    client: AsyncClient, exchange: Exchange, starts_at: datetime, title: str = "Our regions"
) -> dict[str, Any]:
    created = await client.post(
        f"{API}/exchanges/{exchange.id}/sessions",
        json={"title": title, "starts_at": starts_at.isoformat(), "duration_minutes": 60},
        headers=exchange.schools[0].teacher.headers,
    )
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


async def columns_holding(application: FastAPI, *needles: str) -> list[str]:
    """`table.column` of every stored value, in every table of the models, that contains one
    of `needles` (case-insensitive)."""
    wanted = [n.lower() for n in needles]
    found: set[str] = set()
    async with application.state.ctx.db_factory() as db:
        for table in app.all_tables.metadata.sorted_tables:
            for row in (await db.execute(select(table))).mappings():
                for column, value in row.items():
                    text = str(value).lower()
                    if any(n in text for n in wanted):
                        found.add(f"{table.name}.{column}")
    return sorted(found)


def blended_mobility(
    learner_: Actor, exchange: Exchange, *, company: str, in_days: int = 20, days: int = 20
) -> dict[str, Any]:
    """The body of a blended mobility of `learner_` from the exchange's first school to its
    second (their teachers the tutors), starting in `in_days` days for `days` days."""
    sending, receiving = exchange.schools[0], exchange.schools[1]
    starts = datetime.now(UTC).date() + timedelta(days=in_days)
    return {
        "learner_id": learner_.id,
        "sending_organisation_id": sending.id,
        "receiving_organisation_id": receiving.id,
        "kind": "blended",
        "exchange_id": exchange.id,
        "starts_on": starts.isoformat(),
        "ends_on": (starts + timedelta(days=days)).isoformat(),
        "city": "Bologna",
        "country": "IT",
        "placement": {"company": company},
        "sending_tutor_id": sending.teacher.id,
        "receiving_tutor_id": receiving.teacher.id,
    }
