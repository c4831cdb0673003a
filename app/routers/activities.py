"""Activities: the library, session plans, what activities produced, the glossary,
reflections and self-assessments (docs/activities.md)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query

from app.activities import plans, reflections, results, templates
from app.activities.schemas import (
    ActivityClone,
    ActivityCreate,
    ActivityPublic,
    ActivityUpdate,
    GlossaryPublic,
    PendingReflection,
    PlanPublic,
    PlanPut,
    ReflectionCreate,
    ReflectionPublic,
    SelfAssessmentCreate,
    SelfAssessmentSummary,
    SessionResults,
)
from app.core.schemas import Page
from app.routers.deps import ContextDep, CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, errors

router = APIRouter(tags=["activities"])
WRITE = errors(401, 403, 404, 409, 422)


@router.get("/activities", response_model=Page[ActivityPublic], responses=AUTHED)
async def list_activities(
    db: SessionDep,
    user: CurrentUser,
    kind: str | None = Query(default=None, max_length=32),
    language: str | None = Query(default=None, pattern=r"^[a-z]{2}$"),
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ActivityPublic]:
    """The built-in templates (`owner_organisation_id` null), then the caller's organisation's
    and those its networks' organisations share."""
    views, total = await templates.list_visible(
        db, actor=user, kind=kind, language=language, limit=limit, offset=offset
    )
    return Page(items=[templates.public(v) for v in views], total=total)


@router.post("/activities", status_code=201, response_model=ActivityPublic, responses=WRITE)
async def create_activity(
    body: ActivityCreate, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> ActivityPublic:
    """Teachers and coordinators, for their organisation; every text in the six languages."""
    view = await templates.create(db, actor=user, data=body, now=ctx.clock())
    return templates.public(view)


@router.get("/activities/{activity_id}", response_model=ActivityPublic, responses=AUTHED)
async def get_activity(activity_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> ActivityPublic:
    """One activity of the library, its texts in the six languages."""
    return templates.public(await templates.get_visible(db, actor=user, activity_id=activity_id))


@router.patch("/activities/{activity_id}", response_model=ActivityPublic, responses=WRITE)
async def update_activity(
    activity_id: uuid.UUID, body: ActivityUpdate, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> ActivityPublic:
    """Its organisation's staff; built-ins never change (clone them)."""
    view = await templates.update(
        db, actor=user, activity_id=activity_id, data=body, now=ctx.clock()
    )
    return templates.public(view)


@router.post(
    "/activities/{activity_id}/clone",
    status_code=201,
    response_model=ActivityPublic,
    responses=WRITE,
)
async def clone_activity(
    activity_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    body: ActivityClone | None = None,
) -> ActivityPublic:
    """A copy for the caller's organisation, to adapt (`source_id` names the original)."""
    view = await templates.clone(
        db, actor=user, activity_id=activity_id, data=body or ActivityClone(), now=ctx.clock()
    )
    return templates.public(view)


@router.get("/sessions/{session_id}/plan", response_model=PlanPublic, responses=AUTHED)
async def get_plan(session_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> PlanPublic:
    """A session's plan: the activities it will run, in order, with their minutes."""
    return await plans.read(db, actor=user, session_id=session_id)


@router.put("/sessions/{session_id}/plan", response_model=PlanPublic, responses=WRITE)
async def put_plan(
    session_id: uuid.UUID, body: PlanPut, db: SessionDep, user: CurrentUser
) -> PlanPublic:
    """The teachers of the exchange and its coordinators, while the session is scheduled."""
    return await plans.replace(db, actor=user, session_id=session_id, data=body)


@router.get(
    "/sessions/{session_id}/activity-results", response_model=SessionResults, responses=AUTHED
)
async def activity_results(
    session_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> SessionResults:
    """What the session's activities produced, by class and country, never by learner."""
    return await results.session_results(db, actor=user, session_id=session_id)


@router.get(
    "/exchanges/{exchange_id}/glossary", response_model=Page[GlossaryPublic], responses=AUTHED
)
async def glossary(
    exchange_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> Page[GlossaryPublic]:
    """The glossary an exchange's classes built in their sessions, term by term, translated."""
    items = await results.exchange_glossary(db, actor=user, exchange_id=exchange_id)
    return Page(items=items, total=len(items))


@router.post(
    "/sessions/{session_id}/reflections",
    status_code=201,
    response_model=ReflectionPublic,
    responses=WRITE,
)
async def submit_reflection(
    session_id: uuid.UUID,
    body: ReflectionCreate,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> ReflectionPublic:
    """A learner who attended the ended session, once (409 `already_submitted`)."""
    return await reflections.submit(
        db, actor=user, session_id=session_id, data=body, now=ctx.clock()
    )


@router.get(
    "/learners/{learner_id}/reflections/pending",
    response_model=Page[PendingReflection],
    responses=AUTHED,
)
async def pending_reflections(
    learner_id: uuid.UUID, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> Page[PendingReflection]:
    """The ended sessions the learner attended and has not reflected on, with the questions."""
    items = await reflections.pending(db, actor=user, learner_id=learner_id, now=ctx.clock())
    return Page(items=items, total=len(items))


@router.get(
    "/exchanges/{exchange_id}/reflections",
    response_model=Page[ReflectionPublic],
    responses=AUTHED,
)
async def exchange_reflections(
    exchange_id: uuid.UUID, db: SessionDep, user: CurrentUser, limit: Limit = 50, offset: Offset = 0
) -> Page[ReflectionPublic]:
    """The teachers of the exchange (and its schools' coordinators) read the reflections."""
    items, total = await reflections.for_exchange(
        db, actor=user, exchange_id=exchange_id, limit=limit, offset=offset
    )
    return Page(items=items, total=total)


@router.post(
    "/exchanges/{exchange_id}/self-assessments",
    status_code=201,
    response_model=SelfAssessmentSummary,
    responses=WRITE,
)
async def submit_self_assessment(
    exchange_id: uuid.UUID,
    body: SelfAssessmentCreate,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> SelfAssessmentSummary:
    """A learner of the exchange, once at its `start` and once at its `end`; answers the
    statements (1-5 each)."""
    return await reflections.self_assess(
        db, actor=user, exchange_id=exchange_id, data=body, now=ctx.clock()
    )


@router.get(
    "/exchanges/{exchange_id}/self-assessments",
    response_model=SelfAssessmentSummary,
    responses=AUTHED,
)
async def self_assessments(
    exchange_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> SelfAssessmentSummary:
    """Averages per class and statement, at the start and the end (staff of the exchange)."""
    return await reflections.self_assessment_summary(db, actor=user, exchange_id=exchange_id)
