from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, EmailStr, Field

from app.core.schemas import Input
from app.families.rules import PURPOSES, is_purpose


def _purpose(value: str) -> str:
    if not is_purpose(value):
        raise ValueError(f"unknown purpose; one of {', '.join(PURPOSES)}")
    return value


Purpose = Annotated[str, AfterValidator(_purpose)]


class ConsentGive(Input):
    # the purposes in the schema too, so a client (and a fuzzer) knows them before asking
    purpose: Purpose = Field(examples=list(PURPOSES), json_schema_extra={"enum": list(PURPOSES)})


class Link(BaseModel):
    method: Literal["POST", "DELETE"]
    href: str
    body: dict[str, str] | None = None


class ConsentPublic(BaseModel):
    """One purpose's state for one learner, as the caller may act on it."""

    purpose: str
    status: Literal["given", "withdrawn", "none"]
    effective: bool = Field(description="Whether the purpose runs for the learner today")
    given_by_role: Literal["learner", "guardian"] | None
    given_at: datetime | None
    withdrawn_at: datetime | None
    legal_basis: str | None
    notice_version: str | None
    may_give: bool = Field(description="Whether the caller may give this consent today")
    may_withdraw: bool = Field(description="Whether the caller may withdraw it today")
    links: dict[str, Link] = Field(
        default_factory=dict, description="`give` and/or `withdraw`, when the caller may"
    )


class ConsentOverview(BaseModel):
    learner_id: uuid.UUID
    country: str | None
    consent_age: int
    today: date = Field(description="The learner's local date the rules were applied on")
    guardian_required: bool = Field(
        description="Whether the learner is below their country's digital-consent age today"
    )
    items: list[ConsentPublic]


class InviteCreate(Input):
    email: EmailStr


class InviteCreated(BaseModel):
    id: uuid.UUID
    learner_id: uuid.UUID
    invite_url: str
    token: str
    expires_at: datetime


class InvitePublic(BaseModel):
    """An invitation as the school sees it (never its token)."""

    id: uuid.UUID
    learner_id: uuid.UUID
    email: str
    status: Literal["open", "accepted", "revoked", "expired"]
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class InviteAccept(Input):
    """Both fields create the guardian's account; a guardian who already has an account logs
    in and sends neither (or ignores them)."""

    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    password: str | None = Field(default=None, min_length=10, max_length=256)


class InviteAccepted(BaseModel):
    guardian_id: uuid.UUID
    learner_id: uuid.UUID
    account_created: bool


class ConsentRequestIn(Input):
    # the purposes in the schema too, so a client (and a fuzzer) knows them before asking
    purpose: Purpose = Field(examples=list(PURPOSES), json_schema_extra={"enum": list(PURPOSES)})


class ConsentRequestPublic(BaseModel):
    id: uuid.UUID
    learner_id: uuid.UUID
    purpose: str
    to: Literal["guardians", "learner"]
    notified: int = Field(description="How many people were told")
