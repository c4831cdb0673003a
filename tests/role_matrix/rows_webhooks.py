"""Webhook subscriptions of school A, for every role: its coordinators and the admins manage
them; the school's other people get 403, anyone outside it 404 (the matrix runs with a sender
that never polls, so nothing is sent)."""

from __future__ import annotations

from tests.role_matrix.rows import Row

BASE = "/organisations/{org_a}/webhooks"
# A literal public address: no name to resolve, and nothing is ever sent to it.
HOOK = {"url": "https://93.184.215.14/passerelle/hooks", "event_types": ["session.scheduled"]}


def _each_route(actor: str, status: int, hook: str, delivery: str) -> list[Row]:
    one = f"{BASE}/{{{hook}}}"
    return [
        Row(actor, "POST", BASE, status, HOOK),
        Row(actor, "GET", BASE, status),
        Row(actor, "GET", one, status),
        Row(actor, "PATCH", one, status, {"description": "Changed"}),
        Row(actor, "POST", f"{one}/rotate-secret", status),
        Row(actor, "POST", f"{one}/ping", status),
        Row(actor, "GET", f"{one}/deliveries", status),
        Row(actor, "POST", f"{one}/deliveries/{{{delivery}}}/replay", status),
        Row(actor, "DELETE", one, status),
    ]


def webhook_rows(owner: str, *refused: tuple[str, int]) -> list[Row]:
    """`owner` (a manager of school A's webhooks) creates one and pings it; each refused actor
    gets its status on every route; then `owner` walks them all."""
    hook, delivery = f"hook_{owner}", f"hook_delivery_{owner}"
    one = f"{BASE}/{{{hook}}}"
    rows = [
        Row(owner, "POST", BASE, 201, HOOK, keep=hook),
        Row(owner, "POST", f"{one}/ping", 202, keep=delivery),
    ]
    for actor, status in refused:
        rows += _each_route(actor, status, hook, delivery)
    return [
        *rows,
        Row(owner, "GET", BASE, 200, sees=hook),
        Row(owner, "GET", one, 200),
        Row(owner, "PATCH", one, 200, {"description": "Timetable sync", "enabled": False}),
        Row(owner, "POST", f"{one}/ping", 409, code="webhook_disabled"),
        Row(owner, "POST", f"{one}/deliveries/{{{delivery}}}/replay", 409, code="webhook_disabled"),
        Row(owner, "PATCH", one, 200, {"enabled": True}),
        Row(owner, "POST", f"{one}/rotate-secret", 200),
        Row(owner, "GET", f"{one}/deliveries", 200, sees=delivery),
        Row(owner, "POST", f"{one}/deliveries/{{{delivery}}}/replay", 202),
        Row(owner, "DELETE", one, 204),
        Row(owner, "GET", BASE, 200, sees=""),
    ]
