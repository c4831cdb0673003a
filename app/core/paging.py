from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


async def fetch_page(
    db: AsyncSession, stmt: Select[T], *, limit: int, offset: int
) -> tuple[list[T], int]:
    """One page of `stmt` (which must be ordered) and the total count of its rows."""
    total_stmt: Select[Any] = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = (await db.execute(total_stmt)).scalar_one()
    rows = (await db.scalars(stmt.limit(limit).offset(offset))).all()
    return list(rows), int(total)
