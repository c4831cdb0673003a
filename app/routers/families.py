"""Families: consents, guardian invitations and the guardian's family view."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Path, Request, Response

from app.accounts.invitations import invite_status
from app.accounts.tables import User
from app.core.schemas import Page
from app.core.tables import utcnow
from app.families import consent_requests, consents, guardian_invites
from app.families.consents import ConsentState
from app.families.rules import PURPOSES
from app.families.schemas import (
    ConsentGive,
    ConsentOverview,
    ConsentPublic,
    ConsentRequestIn,
    ConsentRequestPublic,
    InviteAccept,
    InviteAccepted,
    InviteCreate,
    InviteCreated,
    InvitePublic,
    Link,
)
from app.families.tables import GuardianInvite
from app.routers.deps import ContextDep, CurrentUser, SessionDep, get_current_user, oauth2_scheme
from app.routers.limits import InviteFailures
from app.routers.responses import AUTHED, ErrorResponse, errors

router = APIRouter(tags=["families"])
API = "/api/v1"


def consent_public(learner_id: uuid.UUID, state: ConsentState) -> ConsentPublic:
    row = state.record
    links: dict[str, Link] = {}
    base = f"{API}/learners/{learner_id}/consents"
    if state.may_give and not (state.effective and row is not None and row.status == "given"):
        links["give"] = Link(method="POST", href=base, body={"purpose": state.purpose})
    if state.may_withdraw and state.effective:
        links["withdraw"] = Link(method="DELETE", href=f"{base}/{state.purpose}")
    return ConsentPublic(
        purpose=state.purpose,
        status="none" if row is None else ("given" if row.status == "given" else "withdrawn"),
        effective=state.effective,
        given_by_role=(
            "guardian"
            if row is not None and row.given_by_role == "guardian"
            else ("learner" if row is not None and row.given_by_role == "learner" else None)
        ),
        given_at=row.given_at if row else None,
        withdrawn_at=row.withdrawn_at if row else None,
        legal_basis=row.legal_basis if row else None,
        notice_version=row.notice_version if row else None,
        may_give=state.may_give,
        may_withdraw=state.may_withdraw,
        links=links,
    )


@router.get("/learners/{learner_id}/consents", response_model=ConsentOverview, responses=AUTHED)
async def list_consents(
    learner_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> ConsentOverview:
    """Every purpose's consent state for the learner, and whether a guardian must consent
    today. For the learner, their guardians, their school's staff and admins."""
    facts, states = await consents.overview(db, actor=user, learner_id=learner_id, now=utcnow())
    return ConsentOverview(
        learner_id=facts.learner.id,
        country=facts.country,
        consent_age=facts.consent_age,
        today=facts.today,
        guardian_required=facts.required,
        items=[consent_public(facts.learner.id, s) for s in states],
    )


@router.post(
    "/learners/{learner_id}/consents",
    status_code=201,
    response_model=ConsentPublic,
    responses={
        **errors(401, 403, 404, 422),
        200: {"description": "The consent already stood; nothing new recorded"},
    },
)
async def give_consent(
    learner_id: uuid.UUID,
    body: ConsentGive,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
) -> ConsentPublic:
    """Give consent for a purpose: the learner from their country's digital-consent age on, a
    linked guardian below it (403 `guardian_consent_required` / `learner_decides` otherwise)."""
    facts, state, created = await consents.give(
        db, actor=user, learner_id=learner_id, purpose=body.purpose, now=utcnow()
    )
    if not created:
        response.status_code = 200
    return consent_public(facts.learner.id, state)


@router.delete(
    "/learners/{learner_id}/consents/{purpose}",
    response_model=ConsentPublic,
    responses=errors(401, 403, 404, 409, 422),
)
async def withdraw_consent(
    learner_id: uuid.UUID,
    purpose: Annotated[str, Path(max_length=40, json_schema_extra={"enum": list(PURPOSES)})],
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    background: BackgroundTasks,
) -> ConsentPublic:
    """Withdraw a consent; the purpose stops from the next request on. The learner may always
    withdraw, a guardian while the learner is below the age. 409 `consent_not_given` when
    nothing stands. Withdrawing `live_sessions` also closes the learner's open live-room
    connections (close code 4003) right after the answer."""
    facts, state = await consents.withdraw(
        db, actor=user, learner_id=learner_id, purpose=purpose, now=utcnow()
    )
    if state.purpose == "live_sessions" and not state.effective:
        # runs after the unit of work has committed, so every process sees the withdrawal
        background.add_task(ctx.hub.consent_withdrawn, facts.learner.id)
    return consent_public(facts.learner.id, state)


async def optional_user(
    ctx: ContextDep, db: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User | None:
    """The caller when a bearer token is sent (and it must then be valid), else None."""
    if not token:
        return None
    return await get_current_user(ctx, db, token)


def invite_public(invite: GuardianInvite) -> InvitePublic:
    return InvitePublic(
        id=invite.id,
        learner_id=invite.learner_id,
        email=invite.email,
        status=invite_status(invite, utcnow()),
        created_at=invite.created_at,
        expires_at=invite.expires_at,
        accepted_at=invite.accepted_at,
        revoked_at=invite.revoked_at,
    )


def _invite_link(request: Request, template: str | None, token: str) -> str:
    if template:
        return template.replace("{token}", token)
    return str(request.url_for("guardian_invite_page", token=token))


@router.post(
    "/learners/{learner_id}/guardian-invites",
    status_code=201,
    response_model=InviteCreated,
    responses=errors(401, 403, 404, 409, 422),
)
async def invite_guardian(
    learner_id: uuid.UUID,
    body: InviteCreate,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> InviteCreated:
    """Invite a guardian by e-mail (the learner's school staff, admins). The token is shown
    only here; pass `invite_url` to the family: the web client's invitation page,
    `/invite/{token}`, or the school frontend's page set by `PASSERELLE_INVITE_LINK_URL`. It
    works once, for 7 days; inviting the same address again revokes the previous link. 409
    `too_many_guardians` (two at most), `already_linked`, `email_taken` (the address is a
    non-guardian account)."""
    invite, token = await guardian_invites.create(
        db, actor=user, learner_id=learner_id, email=str(body.email), now=utcnow()
    )
    return InviteCreated(
        id=invite.id,
        learner_id=invite.learner_id,
        invite_url=_invite_link(request, ctx.settings.invite_link_url, token),
        token=token,
        expires_at=invite.expires_at,
    )


@router.get(
    "/learners/{learner_id}/guardian-invites",
    response_model=Page[InvitePublic],
    responses=AUTHED,
)
async def list_invites(
    learner_id: uuid.UUID, db: SessionDep, user: CurrentUser
) -> Page[InvitePublic]:
    """The guardian invitations sent for a learner, with their status."""
    rows = await guardian_invites.list_for_learner(db, actor=user, learner_id=learner_id)
    return Page(items=[invite_public(r) for r in rows], total=len(rows))


@router.delete(
    "/guardian-invites/{invite_id}", status_code=204, responses=errors(401, 403, 404, 409, 422)
)
async def revoke_invite(invite_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> Response:
    """Revoke an open invitation (idempotent); 409 `invite_used` once accepted."""
    await guardian_invites.revoke(db, actor=user, invite_id=invite_id, now=utcnow())
    return Response(status_code=204)


@router.post(
    "/guardian-invites/{token}/accept",
    name="accept_guardian_invite",
    status_code=201,
    response_model=InviteAccepted,
    responses={
        **errors(401, 403, 404, 409, 422, 429),
        200: {"description": "An existing guardian account was linked"},
        410: {"model": ErrorResponse, "description": "`invite_expired` or `invite_revoked`"},
    },
)
async def accept_invite(
    token: Annotated[str, Path(max_length=100)],
    body: InviteAccept,
    response: Response,
    db: SessionDep,
    caller: Annotated[User | None, Depends(optional_user)],
    _failures: InviteFailures,
) -> InviteAccepted:
    """Accept an invitation (no login needed): creates the guardian's account from
    `display_name` and `password` and links it to the learner (201). When a guardian account
    with the invited address exists, log in as it and send no fields: it is linked (200).
    Used: 409 `invite_used`; expired or revoked: 410."""
    guardian, learner, created = await guardian_invites.accept(
        db,
        token=token,
        caller=caller,
        display_name=body.display_name,
        password=body.password,
        now=utcnow(),
    )
    if not created:
        response.status_code = 200
    return InviteAccepted(guardian_id=guardian.id, learner_id=learner.id, account_created=created)


@router.post(
    "/learners/{learner_id}/consent-requests",
    status_code=201,
    response_model=ConsentRequestPublic,
    responses=errors(401, 403, 404, 409, 422),
)
async def request_consent(
    learner_id: uuid.UUID, body: ConsentRequestIn, db: SessionDep, user: CurrentUser
) -> ConsentRequestPublic:
    """The school asks for a consent: the learner's guardians are told in their feed and by
    e-mail, in their language (the learner, from the age at which they decide alone). Staff of
    the learner's school and admins. 409 `consent_already_given`, or `no_guardian` when a
    guardian must consent and none is linked yet (invite one)."""
    asked = await consent_requests.request(
        db, actor=user, learner_id=learner_id, purpose=body.purpose, now=utcnow()
    )
    return ConsentRequestPublic(
        id=asked.id,
        learner_id=asked.learner_id,
        purpose=asked.purpose,
        to="guardians" if asked.to == "guardians" else "learner",
        notified=asked.notified,
    )
