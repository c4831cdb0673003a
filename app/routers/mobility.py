"""Physical and blended mobility: records, checklists, check-ins, incidents, follow-up and
the Beneficiary Module export (docs/mobility.md)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from app.attendance.sheets import measure_from_settings
from app.mobility import checkins, checklists, export, followup, incidents, records
from app.mobility.checkins import checkin_public
from app.mobility.rules import ewp
from app.mobility.rules.checklist import TemplateItem
from app.mobility.rules.status import Status
from app.mobility.schemas import (
    CheckinAnswer,
    CheckinCreate,
    CheckinList,
    CheckinPublic,
    ChecklistItemCreate,
    ChecklistItemPublic,
    ChecklistPublic,
    ChecklistTemplateIn,
    ChecklistTemplatePublic,
    IncidentCreate,
    IncidentList,
    IncidentPublic,
    MobilityCreate,
    MobilityPage,
    MobilityPublic,
    MobilityUpdate,
    OutcomesIn,
    OutcomesPublic,
    OutcomeUnit,
    ReflectionIn,
    ReflectionPublic,
    StatusChange,
    TemplateItemIn,
)
from app.routers.attendance_reports import csv_response
from app.routers.deps import ContextDep, CurrentUser, Limit, Offset, SessionDep
from app.routers.limits import spend_export
from app.routers.responses import AUTHED, csv_content, errors

router = APIRouter(tags=["mobility"])
WRITE = errors(401, 403, 404, 409, 422)
Id = uuid.UUID


@router.post("/mobilities", status_code=201, response_model=MobilityPublic, responses=AUTHED)
async def create_mobility(
    body: MobilityCreate, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> MobilityPublic:
    """The sending school's coordinator records a learner's mobility (`planned`), with a
    checklist from the school's template. The receiving school must be a partner."""
    mobility = await records.create(db, actor=user, data=body, now=ctx.clock())
    return await records.public(db, mobility)


@router.get("/mobilities", response_model=MobilityPage, responses=errors(401, 422))
async def list_mobilities(
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    learner_id: uuid.UUID | None = None,
    status: Status | None = None,
    organisation_id: uuid.UUID | None = None,
) -> MobilityPage:
    """The mobilities the caller sees: their school's (sending or receiving) for a
    coordinator, the ones they tutor, their own, their linked learners'."""
    rows, total = await records.list_visible(
        db,
        actor=user,
        limit=limit,
        offset=offset,
        learner_id=learner_id,
        status=status,
        organisation_id=organisation_id,
    )
    return MobilityPage(items=[await records.public(db, m) for m in rows], total=total)


@router.get(
    "/mobilities/export",
    dependencies=[Depends(spend_export)],
    responses={
        **errors(401, 403, 422, 429),
        200: csv_content(ewp.COLUMNS, "JSON, or CSV with format=csv"),
    },
)
async def export_mobilities(
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    first: Annotated[date | None, Query(alias="from")] = None,
    to: date | None = None,
    format: Literal["json", "csv"] = "json",
) -> Any:
    """The sending school's mobilities whose stay overlaps `from`..`to`, in the field names of
    the Erasmus Without Paper `bm-mobilities` report (`virtual-duration` in contact hours)."""
    rows = await export.bm_rows(
        db,
        actor=user,
        first=first,
        last=to,
        now=ctx.clock(),
        stale_after=measure_from_settings(ctx.settings).stale_after,
    )
    if format == "csv":
        return csv_response("bm-mobilities", ewp.COLUMNS, [ewp.csv_cells(r) for r in rows])
    return {"report": "bm-mobilities", "from": first, "to": to, "items": rows}


@router.get("/mobilities/{mobility_id}", response_model=MobilityPublic, responses=AUTHED)
async def get_mobility(mobility_id: Id, db: SessionDep, user: CurrentUser) -> MobilityPublic:
    """One mobility: learner, organisations, dates, placement, tutors, status, checklist."""
    return await records.public(db, await records.get(db, actor=user, mobility_id=mobility_id))


@router.patch("/mobilities/{mobility_id}", response_model=MobilityPublic, responses=WRITE)
async def update_mobility(
    mobility_id: Id, body: MobilityUpdate, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> MobilityPublic:
    """Tutors and the sending coordinator; 409 `mobility_closed` once completed or cancelled."""
    mobility = await records.update(
        db, actor=user, mobility_id=mobility_id, data=body, now=ctx.clock()
    )
    return await records.public(db, mobility)


@router.post("/mobilities/{mobility_id}/status", response_model=MobilityPublic, responses=WRITE)
async def change_status(
    mobility_id: Id, body: StatusChange, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> MobilityPublic:
    """`planned -> preparing -> abroad -> completed`, `cancelled` from any open state; any
    other move is 409 `invalid_transition`. Audited; the learner and guardians are told."""
    mobility = await records.set_status(
        db,
        actor=user,
        mobility_id=mobility_id,
        status=body.status,
        reason=body.reason,
        now=ctx.clock(),
    )
    return await records.public(db, mobility)


# --- checklists ------------------------------------------------------------------------------


def _template(
    org_id: uuid.UUID, items: list[TemplateItem], default: bool
) -> ChecklistTemplatePublic:
    return ChecklistTemplatePublic(
        organisation_id=org_id,
        default=default,
        items=[
            TemplateItemIn(title=i.title, owner=i.owner, days_before_start=i.days_before_start)
            for i in items
        ],
    )


@router.get(
    "/organisations/{organisation_id}/checklist-template",
    response_model=ChecklistTemplatePublic,
    responses=AUTHED,
)
async def get_checklist_template(
    organisation_id: Id, db: SessionDep, user: CurrentUser
) -> ChecklistTemplatePublic:
    """The school's preparation checklist template (the default one until it writes its
    own); its staff and admins."""
    items, default = await checklists.get_template(db, actor=user, organisation_id=organisation_id)
    return _template(organisation_id, items, default)


@router.put(
    "/organisations/{organisation_id}/checklist-template",
    response_model=ChecklistTemplatePublic,
    responses=AUTHED,
)
async def put_checklist_template(
    organisation_id: Id,
    body: ChecklistTemplateIn,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> ChecklistTemplatePublic:
    """The school's coordinator replaces the template (new mobilities use it)."""
    items = await checklists.put_template(
        db, actor=user, organisation_id=organisation_id, items=body.items, now=ctx.clock()
    )
    return _template(organisation_id, items, False)


@router.get("/mobilities/{mobility_id}/checklist", response_model=ChecklistPublic, responses=AUTHED)
async def get_checklist(mobility_id: Id, db: SessionDep, user: CurrentUser) -> ChecklistPublic:
    """A mobility's checklist: its items, who owns each, when each is due and done."""
    mobility, items = await checklists.checklist(db, actor=user, mobility_id=mobility_id)
    done = sum(1 for i in items if i.done_at is not None)
    return ChecklistPublic(
        mobility_id=mobility.id,
        done=done,
        total=len(items),
        items=[ChecklistItemPublic.model_validate(i) for i in items],
    )


@router.post(
    "/mobilities/{mobility_id}/checklist",
    status_code=201,
    response_model=ChecklistItemPublic,
    responses=WRITE,
)
async def add_checklist_item(
    mobility_id: Id, body: ChecklistItemCreate, db: SessionDep, user: CurrentUser
) -> ChecklistItemPublic:
    """Tutors and the sending coordinator add an item, with its owner and due date."""
    item = await checklists.add_item(db, actor=user, mobility_id=mobility_id, data=body)
    return ChecklistItemPublic.model_validate(item)


@router.post(
    "/mobilities/{mobility_id}/checklist/{item_id}/done",
    response_model=ChecklistItemPublic,
    responses=WRITE,
)
async def tick_checklist_item(
    mobility_id: Id, item_id: Id, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> ChecklistItemPublic:
    """The item's owner ticks it; 403 `not_item_owner` for the others who see it."""
    item = await checklists.mark_done(
        db, actor=user, mobility_id=mobility_id, item_id=item_id, now=ctx.clock()
    )
    return ChecklistItemPublic.model_validate(item)


# --- check-ins and incidents -----------------------------------------------------------------


@router.get("/mobilities/{mobility_id}/checkins", response_model=CheckinList, responses=AUTHED)
async def list_checkins(mobility_id: Id, db: SessionDep, user: CurrentUser) -> CheckinList:
    """Everyone who sees the mobility; the note for the learner and tutors, and for a
    guardian only when the learner shared it."""
    return CheckinList(items=await checkins.listing(db, actor=user, mobility_id=mobility_id))


@router.post(
    "/mobilities/{mobility_id}/checkins",
    status_code=201,
    response_model=CheckinPublic,
    responses=WRITE,
)
async def add_checkin(
    mobility_id: Id, body: CheckinCreate, db: SessionDep, user: CurrentUser
) -> CheckinPublic:
    """A tutor asks for a check-in while the mobility is abroad (409 `not_abroad` else)."""
    row = await checkins.add(db, actor=user, mobility_id=mobility_id, due_at=body.due_at)
    return checkin_public(row, note_visible=True)


@router.post(
    "/mobilities/{mobility_id}/checkins/{checkin_id}/answer",
    response_model=CheckinPublic,
    responses=WRITE,
)
async def answer_checkin(
    mobility_id: Id,
    checkin_id: Id,
    body: CheckinAnswer,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> CheckinPublic:
    """The learner answers; a wellbeing of 1-2 or `placement_ok: false` alerts both tutors
    at once (`mobility.concern`)."""
    row = await checkins.answer(
        db,
        actor=user,
        mobility_id=mobility_id,
        checkin_id=checkin_id,
        data=body,
        now=ctx.clock(),
    )
    return checkin_public(row, note_visible=True)


@router.post(
    "/mobilities/{mobility_id}/incidents",
    status_code=201,
    response_model=IncidentPublic,
    responses=WRITE,
)
async def log_incident(
    mobility_id: Id, body: IncidentCreate, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> IncidentPublic:
    """Tutors and coordinators of both schools. Audited; a high-severity one tells a minor's
    guardians that the school will call them, and nothing more."""
    row = await incidents.log(db, actor=user, mobility_id=mobility_id, data=body, now=ctx.clock())
    return IncidentPublic.model_validate(row)


@router.get("/mobilities/{mobility_id}/incidents", response_model=IncidentList, responses=AUTHED)
async def list_incidents(mobility_id: Id, db: SessionDep, user: CurrentUser) -> IncidentList:
    """A mobility's incidents; tutors and coordinators only."""
    rows = await incidents.listing(db, actor=user, mobility_id=mobility_id)
    return IncidentList(items=[IncidentPublic.model_validate(r) for r in rows])


# --- follow-up -------------------------------------------------------------------------------


@router.post("/mobilities/{mobility_id}/outcomes", response_model=OutcomesPublic, responses=WRITE)
async def record_outcomes(
    mobility_id: Id, body: OutcomesIn, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> OutcomesPublic:
    """The receiving tutor records the units achieved or not (abroad or completed; 409
    `not_started` before). Audited."""
    mobility = await followup.record_outcomes(
        db, actor=user, mobility_id=mobility_id, units=body.units, now=ctx.clock()
    )
    assert mobility.outcomes_at is not None
    return OutcomesPublic(
        mobility_id=mobility.id,
        units=[OutcomeUnit.model_validate(u) for u in mobility.outcomes or []],
        recorded_at=mobility.outcomes_at,
    )


@router.post(
    "/mobilities/{mobility_id}/reflection", response_model=ReflectionPublic, responses=WRITE
)
async def reflect(
    mobility_id: Id, body: ReflectionIn, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> ReflectionPublic:
    """The learner's final reflection, with the skills they name."""
    mobility = await followup.reflect(
        db, actor=user, mobility_id=mobility_id, data=body, now=ctx.clock()
    )
    assert mobility.reflection is not None
    assert mobility.reflection_at is not None
    return ReflectionPublic(
        mobility_id=mobility.id,
        text=mobility.reflection,
        skills=list(mobility.reflection_skills or []),
        answered_at=mobility.reflection_at,
    )


@router.get("/mobilities/{mobility_id}/summary", responses=AUTHED)
async def summary(
    mobility_id: Id, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> dict[str, Any]:
    """In the shape of the Europass Mobility document: holder, organisations, period,
    placement, mentors, learning outcomes, skills, and `virtual_component.contact_hours`
    from the linked exchange's attendance."""
    return await followup.summary(
        db,
        actor=user,
        mobility_id=mobility_id,
        now=ctx.clock(),
        stale_after=measure_from_settings(ctx.settings).stale_after,
    )
