from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import EmailStr, Field

from app.core.schemas import Input, Output

Role = Literal["admin", "coordinator", "teacher", "learner", "guardian", "host"]
ROLES: tuple[Role, ...] = ("admin", "coordinator", "teacher", "learner", "guardian", "host")


class UserCreate(Input):
    email: EmailStr
    display_name: str = Field(min_length=1, max_length=120)
    role: Role
    organisation_id: uuid.UUID | None = None
    birth_date: date | None = None
    password: str = Field(min_length=10, max_length=256)


class UserUpdate(Input):
    email: EmailStr | None = None
    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    role: Role | None = None
    organisation_id: uuid.UUID | None = None
    birth_date: date | None = None
    password: str | None = Field(default=None, min_length=10, max_length=256)
    is_active: bool | None = None


class UserPublic(Output):
    id: uuid.UUID
    email: str
    display_name: str
    role: str
    organisation_id: uuid.UUID | None
    birth_date: date | None
    is_active: bool
    created_at: datetime


class GuardianLinkCreate(Input):
    guardian_id: uuid.UUID
