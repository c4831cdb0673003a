"""An organisation's impact over a period (JSON, or CSV with `Accept: text/csv` or at
`.csv`): for its coordinators (and admins)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from app.attendance.hours import as_hours
from app.impact.report import Figures, Impact, organisation_impact
from app.routers.attendance import timing
from app.routers.attendance_reports import From, To, csv_response, csv_routes, json_or_csv
from app.routers.deps import ContextDep, CurrentUser, SessionDep

router = APIRouter(tags=["impact"])

COLUMNS = (
    "class_id", "class", "learners_reached", "contact_hours", "partner_countries",
    "exchanges", "sessions", "activities", "reflections", "badges",
)  # fmt: skip


class FiguresPublic(BaseModel):
    learners_reached: int = Field(description="Learners with measured online time")
    contact_hours: float
    partner_countries: list[str]
    exchanges: int
    sessions: int = Field(description="Sessions held (started, not cancelled)")
    activities: int = Field(description="Activities run in those sessions")
    reflections: int
    badges: int


class ClassImpactPublic(FiguresPublic):
    class_id: uuid.UUID
    name: str


class ImpactPublic(BaseModel):
    organisation_id: uuid.UUID
    organisation_name: str
    from_date: str | None
    to_date: str | None
    classes: list[ClassImpactPublic]
    total: FiguresPublic = Field(
        description="Learners, countries, exchanges, sessions counted once"
    )


def _figures(f: Figures) -> FiguresPublic:
    return FiguresPublic(
        learners_reached=len(f.learners),
        contact_hours=as_hours(f.seconds),
        partner_countries=sorted(f.countries),
        exchanges=len(f.exchanges),
        sessions=len(f.sessions),
        activities=f.activities,
        reflections=f.reflections,
        badges=f.badges,
    )


async def _impact(
    organisation_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    first: From = None,
    to: To = None,
) -> Impact:
    return await organisation_impact(
        db, actor=user, organisation_id=organisation_id, first=first, last=to, **timing(ctx)
    )


OrganisationImpact = Annotated[Impact, Depends(_impact)]


async def impact_csv(impact: OrganisationImpact) -> StreamingResponse:
    """The impact as CSV: one row per class, then the total."""
    rows: list[list[str | int | float]] = []
    for item in [*impact.classes, None]:
        v = _figures(impact.total if item is None else item.figures)
        rows.append(
            [
                "" if item is None else str(item.class_id),
                "total" if item is None else item.name,
                v.learners_reached,
                v.contact_hours,
                " ".join(v.partner_countries),
                v.exchanges,
                v.sessions,
                v.activities,
                v.reflections,
                v.badges,
            ]
        )
    return csv_response(f"impact-{impact.organisation.id}", COLUMNS, rows)


csv_routes("/organisations/{organisation_id}/impact", impact_csv, COLUMNS)


@router.get(
    "/organisations/{organisation_id}/impact",
    response_model=ImpactPublic,
    responses=json_or_csv(COLUMNS),
)
async def impact(impact: OrganisationImpact) -> ImpactPublic:
    """What the organisation's classes reached in their exchanges over `from`..`to` (local
    dates of its time zone): learners reached, contact hours, partner countries, exchanges,
    sessions held, activities run, reflections, badges; per class and in total."""
    return ImpactPublic(
        organisation_id=impact.organisation.id,
        organisation_name=impact.organisation.name,
        from_date=impact.first.isoformat() if impact.first else None,
        to_date=impact.last.isoformat() if impact.last else None,
        classes=[
            ClassImpactPublic(class_id=c.class_id, name=c.name, **_figures(c.figures).model_dump())
            for c in impact.classes
        ],
        total=_figures(impact.total),
    )
