"""Preparation checklists: the default template, and the items a template makes for a
mobility (each due a number of days before the start)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

Owner = Literal["learner", "guardian", "sending_tutor", "receiving_tutor", "coordinator"]
OWNERS: Final[tuple[Owner, ...]] = (
    "learner",
    "guardian",
    "sending_tutor",
    "receiving_tutor",
    "coordinator",
)


@dataclass(frozen=True)
class TemplateItem:
    title: str
    owner: Owner
    days_before_start: int


# What a school starts from when it has not written its own template.
DEFAULT_TEMPLATE: Final[tuple[TemplateItem, ...]] = (
    TemplateItem("Identity document valid for the whole stay", "guardian", 30),
    TemplateItem("European Health Insurance Card", "guardian", 21),
    TemplateItem("Insurance (liability, accident, repatriation)", "coordinator", 21),
    TemplateItem("Signed learning agreement", "sending_tutor", 21),
    TemplateItem("Travel booked", "coordinator", 14),
    TemplateItem("Emergency contacts", "guardian", 14),
    TemplateItem("Language preparation", "learner", 7),
    TemplateItem("Pre-departure meeting", "sending_tutor", 7),
    TemplateItem("Video meeting with the receiving tutor", "receiving_tutor", 5),
)


@dataclass(frozen=True)
class PlannedItem:
    title: str
    owner: Owner
    due_on: date
    position: int


def items_for(
    template: tuple[TemplateItem, ...] | list[TemplateItem], starts_on: date
) -> list[PlannedItem]:
    """The checklist a template makes for a mobility starting on `starts_on`."""
    return [
        PlannedItem(t.title, t.owner, starts_on - timedelta(days=t.days_before_start), i)
        for i, t in enumerate(template)
    ]


def is_overdue(due_on: date, done: bool, today: date) -> bool:
    """An item not done by the end of its due date."""
    return not done and due_on < today


def progress(done: int, total: int) -> float:
    """Share of items done, 0..1 (1 for an empty checklist)."""
    return 1.0 if total == 0 else round(done / total, 2)
