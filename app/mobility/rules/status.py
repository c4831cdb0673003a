"""A mobility's status: `planned -> preparing -> abroad -> completed`, or `cancelled` from any
open state. Everything else (a step back, a skipped step, a closed mobility) is refused."""

from __future__ import annotations

from typing import Final, Literal

Status = Literal["planned", "preparing", "abroad", "completed", "cancelled"]
Kind = Literal["physical", "blended"]

STATUSES: Final[tuple[Status, ...]] = ("planned", "preparing", "abroad", "completed", "cancelled")
OPEN: Final[frozenset[str]] = frozenset(("planned", "preparing", "abroad"))
CLOSED: Final[frozenset[str]] = frozenset(("completed", "cancelled"))
_NEXT: Final[dict[str, str]] = {
    "planned": "preparing",
    "preparing": "abroad",
    "abroad": "completed",
}


def can_move(current: str, wanted: str) -> bool:
    """Whether a mobility in `current` may move to `wanted`."""
    if wanted == "cancelled":
        return current in OPEN
    return _NEXT.get(current) == wanted


def allowed_from(current: str) -> list[str]:
    """The statuses reachable from `current`, in order (for an error's details)."""
    return [s for s in STATUSES if can_move(current, s)]


def has_started(status: str) -> bool:
    """Abroad or back: outcomes and a reflection make sense."""
    return status in ("abroad", "completed")
