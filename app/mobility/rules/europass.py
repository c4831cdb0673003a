"""A mobility's summary in the shape of the Europass Mobility document: who (the holder),
the sending and host organisations, when and where, the placement, the mentors, the learning
outcomes and skills, and the virtual component of a blended mobility (contact hours from the
linked exchange's attendance)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Party:
    id: uuid.UUID
    name: str
    country: str
    city: str


@dataclass(frozen=True)
class Unit:
    title: str
    achieved: bool
    comment: str | None = None


@dataclass(frozen=True)
class SummaryFacts:
    mobility_id: uuid.UUID
    status: str
    kind: str
    holder_id: uuid.UUID
    holder_name: str
    sending: Party
    host: Party
    starts_on: date
    ends_on: date
    city: str
    country: str
    company: str
    sector: str | None
    sending_mentor: str | None
    host_mentor: str | None
    units: list[Unit] = field(default_factory=list)
    self_assessed: list[str] = field(default_factory=list)
    reflection: str | None = None
    exchange_id: uuid.UUID | None = None
    contact_seconds: int = 0
    sessions: int = 0


def _party(p: Party) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "country": p.country, "city": p.city}


def summary(f: SummaryFacts) -> dict[str, Any]:
    """The Europass Mobility shape. Skills: the units achieved (attested by the host) and
    what the learner names in their reflection (self-assessed)."""
    return {
        "document": "Europass Mobility",
        "mobility_id": f.mobility_id,
        "status": f.status,
        "holder": {"id": f.holder_id, "name": f.holder_name},
        "sending_organisation": _party(f.sending),
        "host_organisation": _party(f.host),
        "period": {
            "from": f.starts_on,
            "to": f.ends_on,
            "days": (f.ends_on - f.starts_on).days + 1,
        },
        "location": {"city": f.city, "country": f.country},
        "placement": {"company": f.company, "sector": f.sector},
        "mentors": {"sending": f.sending_mentor, "host": f.host_mentor},
        "learning_outcomes": [
            {"title": u.title, "achieved": u.achieved, "comment": u.comment} for u in f.units
        ],
        "skills": {
            "attested": [u.title for u in f.units if u.achieved],
            "self_assessed": list(f.self_assessed),
        },
        "reflection": f.reflection,
        "virtual_component": None
        if f.kind != "blended"
        else {
            "exchange_id": f.exchange_id,
            "contact_hours": round(f.contact_seconds / 3600, 2),
            "sessions": f.sessions,
        },
    }
