"""A mobility's hosting needs, as the learner's family sees and completes them.

The mobility's managers (both tutors, the sending coordinator) set the needs when they create
or change the mobility (`hosting` on `/mobilities`). Through `PATCH .../hosting`, a manager
replaces what it sends; a linked guardian only adds: items to `diet`, `allergies` and
`languages`, and may turn `non_smoking` or `needed` on, never off.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.tables import User
from app.core.audit import audit
from app.core.errors import Conflict, Forbidden
from app.hosting.schemas import HostingNeedsUpdate
from app.mobility.access import visible_with_roles
from app.mobility.rules.status import CLOSED
from app.mobility.tables import Mobility

EMPTY: dict[str, Any] = {
    "needed": False,
    "diet": [],
    "allergies": [],
    "non_smoking": False,
    "languages": [],
    "preferences": [],
    "location": None,
}


def _union(old: list[Any], new: list[Any]) -> list[Any]:
    return old + [item for item in new if item not in old]


async def get(db: AsyncSession, *, actor: User, mobility_id: uuid.UUID) -> Mobility:
    mobility, _ = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    return mobility


async def change(
    db: AsyncSession,
    *,
    actor: User,
    mobility_id: uuid.UUID,
    data: HostingNeedsUpdate,
    now: datetime,
) -> Mobility:
    mobility, roles = await visible_with_roles(db, actor=actor, mobility_id=mobility_id)
    if not (roles.manager or roles.guardian):
        raise Forbidden("Only the tutors, the sending coordinator and guardians change needs.")
    if mobility.status in CLOSED:
        raise Conflict("This mobility is closed.", code="mobility_closed")
    needs = EMPTY | (mobility.hosting or {})
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    for name, value in changes.items():
        if roles.manager:
            needs[name] = value
        elif isinstance(value, list):
            needs[name] = _union(list(needs.get(name) or []), value)
        elif value:  # a guardian turns `needed` or `non_smoking` on, never off
            needs[name] = True
    mobility.hosting = needs
    mobility.updated_at = now
    await db.flush()
    await audit(
        db, actor, "hosting.needs_changed", "mobility", mobility.id, {"fields": sorted(changes)}
    )
    return mobility
