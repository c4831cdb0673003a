"""Host families: profiles, vetting, invitations, hosting needs, matching runs, placements
and their threads (docs/hosting.md)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Path, Query, Request, Response

from app.accounts.tables import User
from app.core.schemas import Page
from app.hosting import families, invites, messages, needs, placements, runs, vetting
from app.hosting.schemas import (
    HostFamilyCreate,
    HostFamilyPublic,
    HostFamilyUpdate,
    HostingNeedsPublic,
    HostingNeedsUpdate,
    HostInviteAccept,
    HostInviteAccepted,
    HostInviteCreate,
    HostInviteCreated,
    HostMatchingRunCreate,
    HostMatchingRunPublic,
    MessageIn,
    MessagePage,
    MessagePublic,
    PlacementPage,
    PlacementPublic,
    VettingIn,
    VettingStatus,
)
from app.routers.deps import ContextDep, CurrentUser, Limit, Offset, SessionDep
from app.routers.families import optional_user
from app.routers.limits import InviteFailures
from app.routers.responses import AUTHED, ErrorResponse, errors

router = APIRouter(tags=["hosting"])
WRITE = errors(401, 403, 404, 409, 422)
Id = uuid.UUID


@router.post("/host-families", status_code=201, response_model=HostFamilyPublic, responses=AUTHED)
async def create_family(
    body: HostFamilyCreate, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> HostFamilyPublic:
    """A receiving school's coordinator adds a family to its pool (vetting `pending`)."""
    family = await families.create(db, actor=user, data=body, now=ctx.clock())
    return families.public(family, actor=user)


@router.get("/host-families", response_model=Page[HostFamilyPublic], responses=errors(401, 422))
async def list_families(
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    organisation_id: Annotated[Id | None, Query()] = None,
    vetting_status: Annotated[VettingStatus | None, Query()] = None,
) -> Page[HostFamilyPublic]:
    """The families the caller sees: their school's pool (staff), their own (hosts)."""
    rows, total = await families.list_visible(
        db,
        actor=user,
        limit=limit,
        offset=offset,
        organisation_id=organisation_id,
        vetting_status=vetting_status,
    )
    return Page(items=[families.public(f, actor=user) for f in rows], total=total)


@router.get("/host-families/{family_id}", response_model=HostFamilyPublic, responses=AUTHED)
async def get_family(family_id: Id, db: SessionDep, user: CurrentUser) -> HostFamilyPublic:
    """One host family, as much of it as the caller may see."""
    family = await families.get(db, actor=user, family_id=family_id)
    return families.public(family, actor=user)


@router.patch("/host-families/{family_id}", response_model=HostFamilyPublic, responses=AUTHED)
async def update_family(
    family_id: Id, body: HostFamilyUpdate, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> HostFamilyPublic:
    """Change a host family's fields, as far as the caller's role allows."""
    family = await families.update(db, actor=user, family_id=family_id, data=body, now=ctx.clock())
    return families.public(family, actor=user)


@router.post(
    "/host-families/{family_id}/vetting", response_model=HostFamilyPublic, responses=AUTHED
)
async def vet_family(
    family_id: Id, body: VettingIn, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> HostFamilyPublic:
    """Record a check (the receiving school's coordinator); audited."""
    family = await vetting.record(db, actor=user, family_id=family_id, data=body, now=ctx.clock())
    return families.public(family, actor=user)


@router.post(
    "/host-families/{family_id}/invites",
    status_code=201,
    response_model=HostInviteCreated,
    responses=WRITE,
)
async def invite_member(
    family_id: Id,
    body: HostInviteCreate,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> HostInviteCreated:
    """Invite a family member by e-mail; the token is shown only here, works once, for 7
    days; `invite_url` is where the member accepts it."""
    invite, token = await invites.create(
        db, actor=user, family_id=family_id, email=str(body.email), now=ctx.clock()
    )
    return HostInviteCreated(
        id=invite.id,
        host_family_id=invite.host_family_id,
        invite_url=str(request.url_for("accept_host_invite", token=token)),
        token=token,
        expires_at=invite.expires_at,
    )


@router.post(
    "/host-invites/{token}/accept",
    name="accept_host_invite",
    status_code=201,
    response_model=HostInviteAccepted,
    responses={
        **errors(401, 403, 404, 409, 422, 429),
        200: {"description": "An existing host account was linked"},
        410: {"model": ErrorResponse, "description": "`invite_expired` or `invite_revoked`"},
    },
)
async def accept_invite(
    token: Annotated[str, Path(max_length=100)],
    body: HostInviteAccept,
    response: Response,
    db: SessionDep,
    ctx: ContextDep,
    caller: Annotated[User | None, Depends(optional_user)],
    _failures: InviteFailures,
) -> HostInviteAccepted:
    """No login needed: creates the member's account (role `host`) from `display_name` and
    `password` (201); an existing host account logs in and is linked (200)."""
    host, family, created = await invites.accept(
        db,
        token=token,
        caller=caller,
        display_name=body.display_name,
        password=body.password,
        now=ctx.clock(),
    )
    if not created:
        response.status_code = 200
    return HostInviteAccepted(host_id=host.id, host_family_id=family.id, account_created=created)


@router.get(
    "/mobilities/{mobility_id}/hosting", response_model=HostingNeedsPublic, responses=AUTHED
)
async def get_needs(mobility_id: Id, db: SessionDep, user: CurrentUser) -> HostingNeedsPublic:
    """A mobility's hosting needs (whoever sees the mobility, guardians included)."""
    mobility = await needs.get(db, actor=user, mobility_id=mobility_id)
    return HostingNeedsPublic(mobility_id=mobility.id, hosting=mobility.hosting)


@router.patch(
    "/mobilities/{mobility_id}/hosting", response_model=HostingNeedsPublic, responses=WRITE
)
async def change_needs(
    mobility_id: Id, body: HostingNeedsUpdate, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> HostingNeedsPublic:
    """Tutors and the sending coordinator set the needs; a guardian adds to them."""
    mobility = await needs.change(
        db, actor=user, mobility_id=mobility_id, data=body, now=ctx.clock()
    )
    return HostingNeedsPublic(mobility_id=mobility.id, hosting=mobility.hosting)


@router.post(
    "/host-matching/runs", status_code=202, response_model=HostMatchingRunPublic, responses=AUTHED
)
async def start_run(
    body: HostMatchingRunCreate,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    background: BackgroundTasks,
) -> HostMatchingRunPublic:
    """Queue a run for the school's incoming mobilities needing a family; poll
    `GET /host-matching/runs/{id}` until `done` or `failed`."""
    run = await runs.create_run(db, actor=user, data=body)
    background.add_task(ctx.hosting.start, run.id)  # after the commit and the response
    return await runs.to_public(db, run)


@router.get("/host-matching/runs/{run_id}", response_model=HostMatchingRunPublic, responses=AUTHED)
async def get_run(run_id: Id, db: SessionDep, user: CurrentUser) -> HostMatchingRunPublic:
    """One host-matching run: its status and, when done, the proposed placements and the
    mobilities left unmatched, with why.
    """
    run = await runs.get_run(db, actor=user, run_id=run_id)
    return await runs.to_public(db, run)


@router.get("/placements", response_model=PlacementPage, responses=errors(401, 422))
async def list_placements(
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    mobility_id: Annotated[Id | None, Query()] = None,
    host_family_id: Annotated[Id | None, Query()] = None,
) -> PlacementPage:
    """The placements the caller can see, paged; filter by `mobility_id` and `host_family_id`."""
    rows, total = await placements.list_visible(
        db,
        actor=user,
        limit=limit,
        offset=offset,
        mobility_id=mobility_id,
        host_family_id=host_family_id,
    )
    return PlacementPage(
        items=[await placements.public(db, p, actor=user) for p in rows], total=total
    )


@router.get("/placements/{placement_id}", response_model=PlacementPublic, responses=AUTHED)
async def get_placement(placement_id: Id, db: SessionDep, user: CurrentUser) -> PlacementPublic:
    """One placement: the mobility, the host family, its status and dates."""
    placement = await placements.get(db, actor=user, placement_id=placement_id)
    return await placements.public(db, placement, actor=user)


async def _decide(
    placement_id: Id, db: SessionDep, user: User, ctx: ContextDep, *, accept: bool
) -> PlacementPublic:
    placement = await placements.decide(
        db, actor=user, placement_id=placement_id, accept=accept, now=ctx.clock()
    )
    return await placements.public(db, placement, actor=user)


@router.post("/placements/{placement_id}/accept", response_model=PlacementPublic, responses=WRITE)
async def accept_placement(
    placement_id: Id, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> PlacementPublic:
    """The family or the sending tutor accepts; `accepted` once both have."""
    return await _decide(placement_id, db, user, ctx, accept=True)


@router.post("/placements/{placement_id}/decline", response_model=PlacementPublic, responses=WRITE)
async def decline_placement(
    placement_id: Id, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> PlacementPublic:
    """The family or the sending tutor declines; the pair is never proposed again."""
    return await _decide(placement_id, db, user, ctx, accept=False)


@router.post(
    "/placements/{placement_id}/share-contact", response_model=PlacementPublic, responses=WRITE
)
async def share_contact(
    placement_id: Id,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    share: Annotated[bool, Query()] = True,
) -> PlacementPublic:
    """A guardian shows the family their name and e-mail (`?share=false` to stop)."""
    placement = await placements.share_contact(
        db, actor=user, placement_id=placement_id, share=share, now=ctx.clock()
    )
    return await placements.public(db, placement, actor=user)


@router.get("/placements/{placement_id}/messages", response_model=MessagePage, responses=WRITE)
async def list_messages(
    placement_id: Id, db: SessionDep, user: CurrentUser, limit: Limit = 50, offset: Offset = 0
) -> MessagePage:
    """A placement's message thread, paged: the guardians, the host family and both tutors."""
    rows, total = await messages.list_messages(
        db, actor=user, placement_id=placement_id, limit=limit, offset=offset
    )
    return MessagePage(items=await messages.public(db, rows), total=total)


@router.post(
    "/placements/{placement_id}/messages",
    status_code=201,
    response_model=MessagePublic,
    responses=WRITE,
)
async def post_message(
    placement_id: Id, body: MessageIn, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> MessagePublic:
    """Guardians, the family and both tutors write; everyone in the thread and the schools'
    coordinators read every message; the others are told in their language."""
    message = await messages.post(
        db, actor=user, placement_id=placement_id, text=body.text, now=ctx.clock()
    )
    return (await messages.public(db, [message]))[0]
