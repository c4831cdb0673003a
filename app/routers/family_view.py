"""The guardian's family view and the alerts a guardian asks for."""

from __future__ import annotations

import uuid
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query

from app.attendance.hours import as_hours
from app.attendance.sheets import measure_from_settings
from app.core.schemas import TimeZoneName
from app.family_view import service as family
from app.family_view.schemas import (
    AbsenceAlerts,
    AbsenceAlertsPublic,
    FamilyAttendance,
    FamilyCheckin,
    FamilyChecklistItem,
    FamilyExchangeHours,
    FamilyHours,
    FamilyLearner,
    FamilyMobility,
    FamilySession,
    FamilyView,
    PartnerSchool,
)
from app.family_view.service import FamilyEntry
from app.mobility.family import FamilyMobility as MobilityEntry
from app.organisations.tables import Organisation
from app.routers.deps import ContextDep, CurrentUser, SessionDep
from app.routers.families import consent_public
from app.routers.responses import errors

router = APIRouter(tags=["families"])


def _school(org: Organisation) -> PartnerSchool:
    return PartnerSchool(organisation_id=org.id, name=org.name, country=org.country)


def _mobility(found: MobilityEntry) -> FamilyMobility:
    m = found.mobility
    return FamilyMobility(
        id=m.id,
        kind=m.kind,
        status=m.status,
        starts_on=m.starts_on,
        ends_on=m.ends_on,
        city=m.city,
        country=m.country,
        receiving_school=_school(found.receiving) if found.receiving else None,
        sending_tutor=found.sending_tutor,
        receiving_tutor=found.receiving_tutor,
        emergency_phone=m.emergency_phone,
        checklist_done=found.done,
        checklist_total=found.total,
        my_items=[
            FamilyChecklistItem(id=i.id, title=i.title, due_on=i.due_on, done_at=i.done_at)
            for i in found.guardian_items
        ],
        checkins=[
            FamilyCheckin(id=c.id, due_at=c.due_at, status=c.status, note=c.note)
            for c in found.checkins
        ],
    )


def _learner(entry: FamilyEntry) -> FamilyLearner:
    zone = ZoneInfo(entry.zone)
    return FamilyLearner(
        learner_id=entry.learner.id,
        display_name=entry.learner.display_name,
        school=_school(entry.school) if entry.school else None,
        timezone=entry.zone,
        guardian_required=entry.facts.required,
        consent_age=entry.facts.consent_age,
        upcoming_sessions=[
            FamilySession(
                id=s.id,
                title=s.title,
                status=s.status,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                local_starts_at=s.starts_at.astimezone(zone),
                local_ends_at=s.ends_at.astimezone(zone),
                partner_schools=[_school(o) for o in orgs],
            )
            for s, orgs in entry.sessions
        ],
        partner_schools=[_school(o) for o in entry.partners],
        consents=[consent_public(entry.learner.id, c) for c in entry.consents],
        recent_attendance=[
            FamilyAttendance(
                session_id=a.live.id,
                title=a.live.title,
                starts_at=a.live.starts_at,
                local_starts_at=a.live.starts_at.astimezone(zone),
                status=a.status,
                online_minutes=round(a.online_seconds / 60, 1),
            )
            for a in entry.recent
        ],
        hours=FamilyHours(
            hours=as_hours(entry.hours.seconds),
            exchanges=[
                FamilyExchangeHours(
                    exchange_id=e.exchange_id,
                    hours=as_hours(e.seconds),
                    sessions=e.sessions,
                    countries=e.countries,
                )
                for e in entry.hours.exchanges
            ],
            countries=entry.hours.countries,
        ),
        absence_alerts=entry.absence_alerts,
        mobilities=[_mobility(m) for m in entry.mobilities],
    )


@router.get("/family", response_model=FamilyView, responses=errors(401, 403, 422))
async def family_view(
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    timezone: Annotated[
        TimeZoneName | None,
        Query(description="IANA zone for `local_*` times (default: each learner's school's)"),
    ] = None,
) -> FamilyView:
    """For a guardian: each linked learner's upcoming sessions (with local times), the latest
    sessions held with the learner's attendance, virtual-mobility hours and countries met,
    partner schools (name and country) and consents, with the links to give or withdraw
    them."""
    entries = await family.view(
        db,
        actor=user,
        timezone=timezone,
        now=ctx.clock(),
        measure=measure_from_settings(ctx.settings),
    )
    return FamilyView(items=[_learner(e) for e in entries])


@router.put(
    "/family/learners/{learner_id}/alerts",
    response_model=AbsenceAlertsPublic,
    responses=errors(401, 404, 422),
)
async def set_alerts(
    learner_id: uuid.UUID, body: AbsenceAlerts, db: SessionDep, user: CurrentUser
) -> AbsenceAlertsPublic:
    """A guardian asks to hear (feed and e-mail) when this linked learner misses a session:
    sent once per session after its scheduled end, when the learner's status is `absent`.
    404 for anyone but a linked guardian."""
    absence = await family.set_absence_alerts(
        db, actor=user, learner_id=learner_id, absence=body.absence
    )
    return AbsenceAlertsPublic(learner_id=learner_id, absence=absence)
