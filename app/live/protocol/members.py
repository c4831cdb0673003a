"""Who is in a room: a member's role, what the room shows of them (`Member`), and the
`RoomMember` a connection carries once its ticket and membership were checked."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

Role = Literal["teacher", "learner", "observer"]


class Member(BaseModel):
    """What the room shows of a member: partner schools see no more than this."""

    id: uuid.UUID
    display_name: str
    role: Role
    class_id: uuid.UUID | None
    country: str | None


@dataclass(frozen=True)
class RoomMember:
    user_id: uuid.UUID
    display_name: str
    role: Role
    class_id: uuid.UUID | None
    country: str | None

    def public(self) -> Member:
        return Member(
            id=self.user_id,
            display_name=self.display_name,
            role=self.role,
            class_id=self.class_id,
            country=self.country,
        )
