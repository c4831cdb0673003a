"""The role x operation matrix: each role against its own school's objects and others'.

Every test builds one world through the API: schools A and B share a network that A
coordinates; school C stands outside it, with a network of its own. Each school has a
coordinator, two teachers, a spare teacher, two learners and a guardian linked to the first
learner, and one class taught by its first teacher with its first learner enrolled.

A role's table is walked in order (an allowed write changes the world for the rows after it)
and every mismatch is collected, so one run shows the whole picture. Besides the status,
every row checks:

- a 404 is identical to the 404 of a random id on the same route, so it tells nothing;
- a refused call names no one: no name or e-mail of any object of the world in its body;
- a refused write changed nothing: the admin reads the object back before and after;
- a 422 for a field the role may not set says so (`field_not_allowed` on that field);
- a list (`sees`) answers exactly the rows in the caller's scope, and names no one else.
"""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response

from tests.factories import PASSWORD, Api

API = "/api/v1"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
SCHOOLS = ("a", "b", "c")
# Who is who in each school: (key prefix, role).
PEOPLE = (
    ("coordinator", "coordinator"),
    ("teacher", "teacher"),
    ("teacher2", "teacher"),
    ("spare", "teacher"),
    ("learner", "learner"),
    ("learner2", "learner"),
    ("guardian", "guardian"),
)
# The resources the matrix walks (every route under these prefixes, for every role).
RESOURCES = ("/organisations", "/networks", "/users", "/learners", "/classes")
CHAT = {"purpose": "chat"}
ERROR_CODES = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}
_seq = itertools.count(1)


# --- Rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One call: `{key}` in the path or body stands for the id of that object of the world."""

    actor: str
    method: str
    path: str
    status: int
    body: Any = None
    sees: str | None = None  # the keys a list must answer, exactly (space-separated)
    field: str | None = None  # the field a 422 refuses as `field_not_allowed`
    code: str | None = None  # the error code of a 409 (or a 403 more specific than `forbidden`)
    keep: str | None = None  # a key for the id of the object a 201 created

    def __str__(self) -> str:
        body = f" {self.body}" if self.body is not None else ""
        return f"{self.actor} {self.method} {self.path}{body} -> {self.status}"


def new_org() -> dict[str, Any]:
    return {
        "name": f"New school {next(_seq)}",
        "country": "FR",
        "city": "Lyon",
        "timezone": "Europe/Paris",
    }


def new_user(role: str, **extra: Any) -> dict[str, Any]:
    n = next(_seq)
    body: dict[str, Any] = {
        "email": f"matrix-{role}-{n}@schools.passerelle.eu",
        "display_name": f"New {role} {n}",
        "role": role,
        "password": PASSWORD,
    }
    if role == "learner":
        body["birth_date"] = "2011-03-04"
    return body | extra


def new_class(**extra: Any) -> dict[str, Any]:
    return {
        "name": f"New class {next(_seq)}",
        "field": "1013",
        "eqf_level": 4,
        "learner_count": 20,
        "age_min": 15,
        "age_max": 18,
        "languages": [{"code": "en", "level": "B1"}],
        "term_start": "2027-01-11",
        "term_end": "2027-06-25",
    } | extra


def new_network(**extra: Any) -> dict[str, Any]:
    return {"name": f"New network {next(_seq)}"} | extra


def users_of(school: str, *prefixes: str) -> str:
    return " ".join(f"{p}_{school}" for p in prefixes)


ALL_USERS = "admin " + " ".join(users_of(s, *(p for p, _ in PEOPLE)) for s in SCHOOLS)
RENAME = {"display_name": "Renamed"}
A_STAFF = users_of("a", "coordinator", "teacher", "teacher2", "spare")
A_LEARNERS = users_of("a", "learner", "learner2")

# A school's mobility checklist template (docs/mobility.md).
TEMPLATE = {"items": [{"title": "Passport", "owner": "guardian", "days_before_start": 30}]}

ADMIN = "admin"
ADMIN_ROWS = [
    Row(ADMIN, "GET", "/organisations/{org_c}/checklist-template", 200),
    Row(ADMIN, "PUT", "/organisations/{org_c}/checklist-template", 200, TEMPLATE),
    Row(ADMIN, "GET", "/learners/{learner_c}/certificates", 200),
    Row(ADMIN, "GET", "/learners/{learner_a}/hours", 200),
    Row(ADMIN, "GET", "/learners/{learner_a}/hours.csv", 200),
    Row(ADMIN, "GET", "/classes/{class_a}/attendance-report", 200),
    Row(ADMIN, "GET", "/classes/{class_a}/attendance-report.csv", 200),
    Row(ADMIN, "GET", "/organisations", 200, sees="org_a org_b org_c"),
    Row(ADMIN, "GET", "/users", 200, sees=ALL_USERS),
    Row(ADMIN, "GET", "/classes", 200, sees="class_a class_b class_c"),
    Row(ADMIN, "GET", "/networks", 200, sees="net_ab net_c"),
    Row(ADMIN, "GET", "/networks/{net_c}/members", 200, sees="org_c"),
    Row(ADMIN, "GET", "/learners/{learner_b}/guardians", 200, sees="guardian_b"),
    Row(ADMIN, "GET", "/classes/{class_c}/learners", 200, sees="learner_c"),
    Row(ADMIN, "GET", "/users/me", 200),
    Row(ADMIN, "GET", "/organisations/{org_c}", 200),
    Row(ADMIN, "GET", "/users/{guardian_c}", 200),
    Row(ADMIN, "GET", "/classes/{class_b}", 200),
    Row(ADMIN, "GET", "/networks/{net_c}", 200),
    Row(ADMIN, "POST", "/organisations", 201, new_org()),
    Row(
        ADMIN,
        "PATCH",
        "/organisations/{org_c}",
        200,
        {"country": "DE", "city": "Köln", "timezone": "Europe/Berlin"},
    ),
    Row(ADMIN, "DELETE", "/organisations/{org_c}", 409, code="organisation_in_use"),
    Row(ADMIN, "POST", "/users", 201, new_user("coordinator", organisation_id="{org_c}")),
    Row(ADMIN, "POST", "/users", 201, new_user("admin")),
    Row(ADMIN, "PATCH", "/users/{teacher_c}", 200, {"role": "coordinator", **RENAME}),
    Row(ADMIN, "PATCH", "/users/{learner2_b}", 200, {"organisation_id": "{org_c}"}),
    Row(ADMIN, "PATCH", "/users/{admin}", 409, {"is_active": False}, code="cannot_deactivate_self"),
    Row(ADMIN, "DELETE", "/users/{spare_c}", 204),
    Row(ADMIN, "DELETE", "/users/{admin}", 409, code="cannot_deactivate_self"),
    Row(ADMIN, "POST", "/learners/{learner2_c}/guardians", 201, {"guardian_id": "{guardian_c}"}),
    Row(ADMIN, "DELETE", "/learners/{learner_b}/guardians/{guardian_b}", 204),
    Row(
        ADMIN,
        "POST",
        "/classes",
        201,
        new_class(organisation_id="{org_c}", teacher_ids=["{teacher2_c}"]),
    ),
    Row(ADMIN, "PATCH", "/classes/{class_b}", 200, {"eqf_level": 5}),
    Row(ADMIN, "PUT", "/classes/{class_b}/learners", 200, {"learner_ids": ["{learner_b}"]}),
    Row(ADMIN, "DELETE", "/classes/{class_c}", 204),
    Row(ADMIN, "POST", "/networks", 201, new_network(coordinating_organisation_id="{org_b}")),
    Row(ADMIN, "PATCH", "/networks/{net_c}", 200, {"description": "Renamed"}),
    Row(ADMIN, "POST", "/networks/{net_c}/members", 201, {"organisation_id": "{org_a}"}),
    Row(ADMIN, "DELETE", "/networks/{net_c}/members/{org_a}", 204),
    Row(ADMIN, "DELETE", "/networks/{net_c}", 204),
    # Families and data rights.
    Row(ADMIN, "GET", "/learners/{learner_c}/consents", 200),
    Row(ADMIN, "POST", "/learners/{learner_c}/consents", 403, CHAT),
    Row(ADMIN, "DELETE", "/learners/{learner_c}/consents/{purpose}", 403),
    Row(
        ADMIN,
        "POST",
        "/learners/{learner_c}/consent-requests",
        409,
        CHAT,
        code="consent_already_given",
    ),
    Row(ADMIN, "POST", "/learners/{learner_c}/guardian-invites", 201, {"email": "f@example.org"}),
    Row(ADMIN, "GET", "/learners/{learner_c}/guardian-invites", 200),
    Row(ADMIN, "GET", "/users/{learner_c}/export", 200),
    Row(ADMIN, "POST", "/users/{admin}/erase", 409, code="cannot_erase_self"),
    Row(ADMIN, "POST", "/users/{learner2_c}/erase", 200),
    Row(ADMIN, "POST", "/users/{learner2_c}/erase", 409, code="already_erased"),
]

CA, CB, CC = "coordinator_a", "coordinator_b", "coordinator_c"
COORDINATOR_ROWS = [
    Row(CA, "GET", "/organisations/{org_a}/checklist-template", 200),
    Row(CA, "PUT", "/organisations/{org_a}/checklist-template", 200, TEMPLATE),
    Row(CA, "GET", "/organisations/{org_b}/checklist-template", 403),
    Row(CA, "PUT", "/organisations/{org_b}/checklist-template", 403, TEMPLATE),
    Row(CB, "PUT", "/organisations/{org_a}/checklist-template", 403, TEMPLATE),
    Row(CC, "GET", "/organisations/{org_a}/checklist-template", 404),
    Row(CC, "PUT", "/organisations/{org_a}/checklist-template", 404, TEMPLATE),
    Row(CA, "GET", "/learners/{learner_a}/certificates", 200),
    Row(CB, "GET", "/learners/{learner_a}/certificates", 404),
    Row(CA, "GET", "/learners/{learner_a}/hours", 200),
    Row(CA, "GET", "/learners/{learner_a}/hours.csv", 200),
    Row(CB, "GET", "/learners/{learner_a}/hours", 404),
    Row(CB, "GET", "/learners/{learner_a}/hours.csv", 404),
    Row(CA, "GET", "/classes/{class_a}/attendance-report", 200),
    Row(CA, "GET", "/classes/{class_a}/attendance-report.csv", 200),
    Row(CB, "GET", "/classes/{class_a}/attendance-report", 404),
    Row(CB, "GET", "/classes/{class_a}/attendance-report.csv", 404),
    # Lists, before any write adds rows.
    Row(CA, "GET", "/organisations", 200, sees="org_a org_b"),
    Row(CC, "GET", "/organisations", 200, sees="org_c"),
    Row(CA, "GET", "/users", 200, sees=f"{A_STAFF} {A_LEARNERS} guardian_a"),
    Row(CA, "GET", "/users?organisation_id={org_b}", 200, sees=""),
    Row(CA, "GET", "/users?role=guardian", 200, sees="guardian_a"),
    Row(CA, "GET", "/classes", 200, sees="class_a"),
    Row(CA, "GET", "/classes?organisation_id={org_b}", 200, sees=""),
    Row(CA, "GET", "/networks", 200, sees="net_ab"),
    Row(CB, "GET", "/networks", 200, sees="net_ab"),
    Row(CC, "GET", "/networks", 200, sees="net_c"),
    Row(CA, "GET", "/networks/{net_ab}/members", 200, sees="org_a org_b"),
    Row(CB, "GET", "/networks/{net_ab}/members", 200, sees="org_a org_b"),
    Row(CA, "GET", "/learners/{learner_a}/guardians", 200, sees="guardian_a"),
    Row(CA, "GET", "/classes/{class_a}/learners", 200, sees="learner_a"),
    # Reads.
    Row(CA, "GET", "/users/me", 200),
    Row(CA, "GET", "/organisations/{org_a}", 200),
    Row(CA, "GET", "/organisations/{org_b}", 200),
    Row(CA, "GET", "/organisations/{org_c}", 404),
    Row(CC, "GET", "/organisations/{org_a}", 404),
    Row(CA, "GET", "/users/{teacher_a}", 200),
    Row(CA, "GET", "/users/{learner_a}", 200),
    Row(CA, "GET", "/users/{guardian_a}", 200),
    Row(CA, "GET", "/users/{coordinator_b}", 404),
    Row(CA, "GET", "/users/{learner_b}", 404),
    Row(CA, "GET", "/users/{guardian_b}", 404),
    Row(CA, "GET", "/users/{teacher_c}", 404),
    Row(CA, "GET", "/users/{admin}", 404),
    Row(CB, "GET", "/users/{learner_a}", 404),
    Row(CB, "GET", "/users/{guardian_a}", 404),
    Row(CA, "GET", "/classes/{class_a}", 200),
    Row(CA, "GET", "/classes/{class_b}", 404),
    Row(CA, "GET", "/classes/{class_c}", 404),
    Row(CA, "GET", "/classes/{class_b}/learners", 404),
    Row(CA, "GET", "/networks/{net_ab}", 200),
    Row(CB, "GET", "/networks/{net_ab}", 200),
    Row(CA, "GET", "/networks/{net_c}", 404),
    Row(CC, "GET", "/networks/{net_ab}", 404),
    Row(CA, "GET", "/networks/{net_c}/members", 404),
    Row(CA, "GET", "/learners/{learner_b}/guardians", 404),
    # Organisations.
    Row(CA, "POST", "/organisations", 403, new_org()),
    Row(CA, "PATCH", "/organisations/{org_a}", 200, {"city": "Villeurbanne"}),
    Row(CA, "PATCH", "/organisations/{org_a}", 422, {"country": "BE"}, field="body.country"),
    Row(CA, "PATCH", "/organisations/{org_b}", 403, {"city": "Lille"}),
    Row(CB, "PATCH", "/organisations/{org_a}", 403, {"city": "Lille"}),
    Row(CA, "PATCH", "/organisations/{org_c}", 404, {"city": "Lille"}),
    Row(CA, "DELETE", "/organisations/{org_a}", 403),
    Row(CA, "DELETE", "/organisations/{org_b}", 403),
    Row(CA, "DELETE", "/organisations/{org_c}", 404),
    # Users.
    Row(CA, "POST", "/users", 201, new_user("teacher")),
    Row(CA, "POST", "/users", 201, new_user("learner", organisation_id="{org_a}")),
    Row(CA, "POST", "/users", 201, new_user("coordinator")),
    Row(CA, "POST", "/users", 201, new_user("guardian"), keep="new_guardian"),
    Row(CA, "POST", "/users", 422, new_user("admin"), field="body.role"),
    Row(
        CA,
        "POST",
        "/users",
        422,
        new_user("teacher", organisation_id="{org_b}"),
        field="body.organisation_id",
    ),
    Row(
        CA,
        "POST",
        "/users",
        422,
        new_user("learner", organisation_id="{org_c}"),
        field="body.organisation_id",
    ),
    Row(CA, "PATCH", "/users/{teacher_a}", 200, RENAME),
    Row(CA, "PATCH", "/users/{learner_a}", 200, {"birth_date": "2010-01-02"}),
    Row(CA, "PATCH", "/users/{guardian_a}", 200, RENAME),
    Row(
        CA,
        "PATCH",
        "/users/{guardian_a}",
        422,
        {"email": "taken-over@schools.passerelle.eu"},
        field="body.email",
    ),
    Row(
        CA,
        "PATCH",
        "/users/{guardian_a}",
        422,
        {"password": "a-new-password"},
        field="body.password",
    ),
    Row(
        CA,
        "POST",
        "/users",
        422,
        new_user("guardian", organisation_id="{org_a}"),
        field="body.organisation_id",
    ),
    Row(CA, "PATCH", "/users/{teacher2_a}", 200, {"role": "coordinator"}),
    Row(CA, "PATCH", "/users/{spare_a}", 200, {"role": "learner", "birth_date": "2011-02-03"}),
    Row(CA, "PATCH", "/users/{teacher_a}", 422, {"role": "admin"}, field="body.role"),
    Row(
        CA,
        "PATCH",
        "/users/{teacher_a}",
        422,
        {"organisation_id": "{org_b}"},
        field="body.organisation_id",
    ),
    Row(CA, "PATCH", "/users/{coordinator_a}", 200, RENAME),
    Row(CA, "PATCH", "/users/{coordinator_a}", 422, {"role": "teacher"}, field="body.role"),
    Row(
        CA,
        "PATCH",
        "/users/{coordinator_a}",
        409,
        {"is_active": False},
        code="cannot_deactivate_self",
    ),
    Row(CA, "PATCH", "/users/{teacher_b}", 404, RENAME),
    Row(CA, "PATCH", "/users/{guardian_b}", 404, RENAME),
    Row(CA, "PATCH", "/users/{admin}", 404, RENAME),
    Row(CB, "PATCH", "/users/{learner_a}", 404, RENAME),
    Row(CA, "DELETE", "/users/{spare_a}", 204),
    Row(CA, "DELETE", "/users/{coordinator_a}", 409, code="cannot_deactivate_self"),
    Row(CA, "DELETE", "/users/{teacher_b}", 404),
    Row(CA, "DELETE", "/users/{guardian_b}", 404),
    Row(CA, "DELETE", "/users/{admin}", 404),
    # Guardian links: a new guardian is seen once linked to one of the school's learners.
    Row(CA, "GET", "/users/{new_guardian}", 404),
    Row(CA, "POST", "/learners/{learner2_a}/guardians", 201, {"guardian_id": "{new_guardian}"}),
    Row(CA, "GET", "/users/{new_guardian}", 200),
    Row(CB, "GET", "/users/{new_guardian}", 404),
    Row(CA, "DELETE", "/learners/{learner2_a}/guardians/{new_guardian}", 204),
    Row(CA, "POST", "/learners/{learner2_a}/guardians", 201, {"guardian_id": "{guardian_a}"}),
    Row(CA, "DELETE", "/learners/{learner2_a}/guardians/{guardian_a}", 204),
    Row(CA, "POST", "/learners/{learner_b}/guardians", 404, {"guardian_id": "{guardian_a}"}),
    Row(CB, "POST", "/learners/{learner_a}/guardians", 404, {"guardian_id": "{guardian_b}"}),
    Row(CA, "DELETE", "/learners/{learner_b}/guardians/{guardian_b}", 404),
    # Classes.
    Row(CA, "POST", "/classes", 201, new_class(teacher_ids=["{teacher_a}"])),
    Row(
        CA,
        "POST",
        "/classes",
        422,
        new_class(organisation_id="{org_b}"),
        field="body.organisation_id",
    ),
    Row(CA, "POST", "/classes", 422, new_class(teacher_ids=["{teacher_b}"])),
    Row(CA, "PATCH", "/classes/{class_a}", 200, {"eqf_level": 3}),
    Row(
        CA,
        "PATCH",
        "/classes/{class_a}",
        422,
        {"organisation_id": "{org_b}"},
        field="body.organisation_id",
    ),
    Row(CA, "PATCH", "/classes/{class_b}", 404, {"eqf_level": 3}),
    Row(CB, "PATCH", "/classes/{class_a}", 404, {"eqf_level": 3}),
    Row(
        CA,
        "PUT",
        "/classes/{class_a}/learners",
        200,
        {"learner_ids": ["{learner_a}", "{learner2_a}"]},
    ),
    Row(CA, "PUT", "/classes/{class_a}/learners", 422, {"learner_ids": ["{learner_b}"]}),
    Row(CA, "PUT", "/classes/{class_b}/learners", 404, {"learner_ids": []}),
    Row(CA, "DELETE", "/classes/{class_b}", 404),
    Row(CA, "DELETE", "/classes/{class_c}", 404),
    # Networks.
    Row(CA, "POST", "/networks", 201, new_network()),
    Row(
        CA,
        "POST",
        "/networks",
        422,
        new_network(coordinating_organisation_id="{org_b}"),
        field="body.coordinating_organisation_id",
    ),
    Row(CA, "PATCH", "/networks/{net_ab}", 200, {"description": "Renamed"}),
    Row(CB, "PATCH", "/networks/{net_ab}", 403, {"description": "Renamed"}),
    Row(CA, "PATCH", "/networks/{net_c}", 404, {"description": "Renamed"}),
    Row(CB, "DELETE", "/networks/{net_ab}", 403),
    Row(CA, "DELETE", "/networks/{net_c}", 404),
    Row(CB, "POST", "/networks/{net_ab}/members", 403, {"organisation_id": "{org_c}"}),
    Row(CA, "POST", "/networks/{net_c}/members", 404, {"organisation_id": "{org_a}"}),
    Row(CB, "DELETE", "/networks/{net_ab}/members/{org_b}", 403),
    Row(CA, "DELETE", "/networks/{net_c}/members/{org_c}", 404),
    Row(CA, "DELETE", "/networks/{net_ab}/members/{org_a}", 409, code="coordinator_cannot_leave"),
    # Families and data rights.
    Row(CA, "GET", "/learners/{learner_a}/consents", 200),
    Row(CA, "GET", "/learners/{learner_b}/consents", 404),
    Row(CB, "GET", "/learners/{learner_a}/consents", 404),
    Row(CA, "POST", "/learners/{learner_a}/consents", 403, CHAT),
    Row(CA, "POST", "/learners/{learner_b}/consents", 404, CHAT),
    Row(CA, "DELETE", "/learners/{learner_a}/consents/{purpose}", 403),
    Row(CA, "DELETE", "/learners/{learner_b}/consents/{purpose}", 404),
    Row(
        CA,
        "POST",
        "/learners/{learner_a}/consent-requests",
        409,
        CHAT,
        code="consent_already_given",
    ),
    Row(CA, "POST", "/learners/{learner_b}/consent-requests", 404, CHAT),
    Row(CA, "POST", "/learners/{learner_a}/guardian-invites", 201, {"email": "f@example.org"}),
    Row(CB, "POST", "/learners/{learner_a}/guardian-invites", 404, {"email": "f@example.org"}),
    Row(CA, "GET", "/learners/{learner_a}/guardian-invites", 200),
    Row(CA, "GET", "/learners/{learner_b}/guardian-invites", 404),
    Row(CA, "GET", "/users/{learner_a}/export", 200),
    Row(CA, "GET", "/users/{guardian_a}/export", 200),
    Row(CA, "GET", "/users/{learner_b}/export", 404),
    Row(CA, "GET", "/users/{guardian_b}/export", 404),
    Row(CA, "POST", "/users/{coordinator_a}/erase", 409, code="cannot_erase_self"),
    Row(CA, "POST", "/users/{learner_b}/erase", 404),
    Row(CA, "POST", "/users/{admin}/erase", 404),
    Row(CA, "POST", "/users/{spare_a}/erase", 200),
    Row(CA, "POST", "/users/{spare_a}/erase", 409, code="already_erased"),
    # Last: these change who sees what.
    Row(CA, "DELETE", "/networks/{net_ab}/members/{org_b}", 204),
    Row(CA, "GET", "/organisations/{org_b}", 404),
    Row(CA, "POST", "/networks/{net_ab}/members", 201, {"organisation_id": "{org_b}"}),
    Row(CA, "GET", "/organisations/{org_b}", 200),
    Row(CA, "DELETE", "/classes/{class_a}", 204),
    Row(CA, "DELETE", "/networks/{net_ab}", 204),
    Row(CB, "GET", "/organisations/{org_a}", 404),
]

TA, T2, TB = "teacher_a", "teacher2_a", "teacher_b"
TEACHER_ROWS = [
    Row(TA, "GET", "/organisations/{org_a}/checklist-template", 200),
    Row(TA, "PUT", "/organisations/{org_a}/checklist-template", 403, TEMPLATE),
    Row(TA, "GET", "/organisations/{org_b}/checklist-template", 403),
    Row(TA, "GET", "/organisations/{org_c}/checklist-template", 404),
    Row(TA, "PUT", "/organisations/{org_c}/checklist-template", 404, TEMPLATE),
    Row(TA, "GET", "/learners/{learner_a}/certificates", 200),
    Row(TB, "GET", "/learners/{learner_a}/certificates", 404),
    Row(TA, "GET", "/learners/{learner_a}/hours", 200),
    Row(TA, "GET", "/learners/{learner_a}/hours.csv", 200),
    Row(TB, "GET", "/learners/{learner_a}/hours", 404),
    Row(TA, "GET", "/classes/{class_a}/attendance-report", 200),
    Row(TA, "GET", "/classes/{class_a}/attendance-report.csv", 200),
    Row(T2, "GET", "/classes/{class_a}/attendance-report", 404),
    Row(TA, "GET", "/organisations", 200, sees="org_a org_b"),
    Row(TA, "GET", "/users", 200, sees=f"{A_STAFF} {A_LEARNERS}"),
    Row(TA, "GET", "/users?role=guardian", 200, sees=""),
    Row(TA, "GET", "/users?organisation_id={org_b}", 200, sees=""),
    Row(TA, "GET", "/classes", 200, sees="class_a"),
    Row(T2, "GET", "/classes", 200, sees=""),
    Row(TA, "GET", "/networks", 200, sees="net_ab"),
    Row(TA, "GET", "/networks/{net_ab}/members", 200, sees="org_a org_b"),
    Row(TA, "GET", "/classes/{class_a}/learners", 200, sees="learner_a"),
    Row(TA, "GET", "/users/me", 200),
    Row(TA, "GET", "/organisations/{org_b}", 200),
    Row(TA, "GET", "/organisations/{org_c}", 404),
    Row(TA, "GET", "/users/{learner_a}", 200),
    Row(TA, "GET", "/users/{coordinator_a}", 200),
    Row(TA, "GET", "/users/{teacher2_a}", 200),
    Row(TA, "GET", "/users/{guardian_a}", 404),
    Row(TA, "GET", "/users/{learner_b}", 404),
    Row(TA, "GET", "/users/{teacher_b}", 404),
    Row(TA, "GET", "/users/{admin}", 404),
    Row(TB, "GET", "/users/{learner_a}", 404),
    Row(TA, "GET", "/classes/{class_a}", 200),
    Row(T2, "GET", "/classes/{class_a}", 404),
    Row(TA, "GET", "/classes/{class_b}", 404),
    Row(T2, "GET", "/classes/{class_a}/learners", 404),
    Row(TA, "GET", "/networks/{net_ab}", 200),
    Row(TA, "GET", "/networks/{net_c}", 404),
    Row(TA, "GET", "/networks/{net_c}/members", 404),
    Row(TA, "GET", "/learners/{learner_a}/guardians", 403),
    Row(TA, "GET", "/learners/{learner_b}/guardians", 404),
    # Organisations.
    Row(TA, "POST", "/organisations", 403, new_org()),
    Row(TA, "PATCH", "/organisations/{org_a}", 403, {"city": "Lille"}),
    Row(TA, "PATCH", "/organisations/{org_c}", 404, {"city": "Lille"}),
    Row(TA, "DELETE", "/organisations/{org_a}", 403),
    # Users.
    Row(TA, "POST", "/users", 201, new_user("learner"), keep="new_learner"),
    Row(TA, "GET", "/users/{new_learner}", 200),
    Row(TB, "GET", "/users/{new_learner}", 404),
    Row(TA, "POST", "/users", 201, new_user("learner", organisation_id="{org_a}")),
    Row(TA, "POST", "/users", 422, new_user("teacher"), field="body.role"),
    Row(TA, "POST", "/users", 422, new_user("coordinator"), field="body.role"),
    Row(TA, "POST", "/users", 422, new_user("guardian"), field="body.role"),
    Row(
        TA,
        "POST",
        "/users",
        422,
        new_user("learner", organisation_id="{org_b}"),
        field="body.organisation_id",
    ),
    Row(TA, "PATCH", "/users/{learner_a}", 200, {**RENAME, "birth_date": "2010-02-03"}),
    Row(TA, "PATCH", "/users/{learner_a}", 422, {"role": "teacher"}, field="body.role"),
    Row(
        TA,
        "PATCH",
        "/users/{learner_a}",
        422,
        {"email": "new@schools.passerelle.eu"},
        field="body.email",
    ),
    Row(TA, "PATCH", "/users/{learner_a}", 422, {"is_active": False}, field="body.is_active"),
    Row(TA, "PATCH", "/users/{teacher2_a}", 403, RENAME),
    Row(TA, "PATCH", "/users/{coordinator_a}", 403, RENAME),
    Row(TA, "PATCH", "/users/{learner_b}", 404, RENAME),
    Row(TA, "PATCH", "/users/{guardian_a}", 404, RENAME),
    Row(TA, "PATCH", "/users/{teacher_a}", 200, RENAME),
    Row(TA, "PATCH", "/users/{teacher_a}", 422, {"role": "coordinator"}, field="body.role"),
    Row(
        TA,
        "PATCH",
        "/users/{teacher_a}",
        422,
        {"organisation_id": "{org_b}"},
        field="body.organisation_id",
    ),
    Row(TA, "DELETE", "/users/{learner_a}", 403),
    Row(TA, "DELETE", "/users/{teacher2_a}", 403),
    Row(TA, "DELETE", "/users/{learner_b}", 404),
    Row(TA, "DELETE", "/users/{guardian_a}", 404),
    # Guardian links.
    Row(TA, "POST", "/learners/{learner_a}/guardians", 403, {"guardian_id": "{guardian_b}"}),
    Row(TA, "POST", "/learners/{learner_b}/guardians", 404, {"guardian_id": "{guardian_a}"}),
    Row(TA, "DELETE", "/learners/{learner_a}/guardians/{guardian_a}", 403),
    Row(TA, "DELETE", "/learners/{learner_b}/guardians/{guardian_b}", 404),
    # Classes.
    Row(TA, "POST", "/classes", 201, new_class()),
    Row(TA, "POST", "/classes", 201, new_class(teacher_ids=["{teacher_a}", "{teacher2_a}"])),
    Row(TA, "POST", "/classes", 422, new_class(teacher_ids=["{teacher2_a}"])),
    Row(
        TA,
        "POST",
        "/classes",
        422,
        new_class(organisation_id="{org_b}"),
        field="body.organisation_id",
    ),
    Row(TA, "PATCH", "/classes/{class_a}", 200, {"learner_count": 30}),
    Row(
        TA,
        "PATCH",
        "/classes/{class_a}",
        422,
        {"organisation_id": "{org_b}"},
        field="body.organisation_id",
    ),
    Row(T2, "PATCH", "/classes/{class_a}", 404, {"learner_count": 30}),
    Row(TA, "PATCH", "/classes/{class_b}", 404, {"learner_count": 30}),
    Row(
        TA,
        "PUT",
        "/classes/{class_a}/learners",
        200,
        {"learner_ids": ["{learner_a}", "{learner2_a}"]},
    ),
    Row(T2, "PUT", "/classes/{class_a}/learners", 404, {"learner_ids": []}),
    Row(T2, "DELETE", "/classes/{class_a}", 404),
    Row(TA, "DELETE", "/classes/{class_b}", 404),
    # Networks.
    Row(TA, "POST", "/networks", 403, new_network()),
    Row(TA, "PATCH", "/networks/{net_ab}", 403, {"description": "Renamed"}),
    Row(TA, "PATCH", "/networks/{net_c}", 404, {"description": "Renamed"}),
    Row(TA, "DELETE", "/networks/{net_ab}", 403),
    Row(TA, "POST", "/networks/{net_ab}/members", 403, {"organisation_id": "{org_c}"}),
    Row(TA, "DELETE", "/networks/{net_ab}/members/{org_b}", 403),
    # Families and data rights.
    Row(TA, "GET", "/learners/{learner_a}/consents", 200),
    Row(TB, "GET", "/learners/{learner_a}/consents", 404),
    Row(TA, "POST", "/learners/{learner_a}/consents", 403, CHAT),
    Row(TA, "DELETE", "/learners/{learner_a}/consents/{purpose}", 403),
    Row(
        TA,
        "POST",
        "/learners/{learner_a}/consent-requests",
        409,
        CHAT,
        code="consent_already_given",
    ),
    Row(TB, "POST", "/learners/{learner_a}/consent-requests", 404, CHAT),
    Row(TA, "POST", "/learners/{learner_a}/guardian-invites", 201, {"email": "f@example.org"}),
    Row(TB, "POST", "/learners/{learner_a}/guardian-invites", 404, {"email": "f@example.org"}),
    Row(TA, "GET", "/learners/{learner_a}/guardian-invites", 200),
    Row(TB, "GET", "/learners/{learner_a}/guardian-invites", 404),
    Row(TA, "GET", "/users/{teacher_a}/export", 200),
    Row(TA, "GET", "/users/{learner_a}/export", 403),
    Row(TA, "GET", "/users/{learner_b}/export", 404),
    Row(TA, "POST", "/users/{learner_a}/erase", 403),
    Row(TA, "POST", "/users/{learner_b}/erase", 404),
    Row(TA, "DELETE", "/classes/{class_a}", 204),
]

LA, L2, LB = "learner_a", "learner2_a", "learner_b"
LEARNER_ROWS = [
    Row(LA, "GET", "/organisations/{org_a}/checklist-template", 403),
    Row(LA, "PUT", "/organisations/{org_a}/checklist-template", 403, TEMPLATE),
    Row(LA, "GET", "/organisations/{org_c}/checklist-template", 404),
    Row(LA, "PUT", "/organisations/{org_c}/checklist-template", 404, TEMPLATE),
    Row(LA, "GET", "/learners/{learner_a}/certificates", 200),
    Row(L2, "GET", "/learners/{learner_a}/certificates", 404),
    Row(LA, "GET", "/learners/{learner_a}/hours", 200),
    Row(LA, "GET", "/learners/{learner_a}/hours.csv", 200),
    Row(L2, "GET", "/learners/{learner_a}/hours", 404),
    Row(LA, "GET", "/classes/{class_a}/attendance-report", 403, code="not_class_staff"),
    Row(LA, "GET", "/classes/{class_a}/attendance-report.csv", 403, code="not_class_staff"),
    Row(L2, "GET", "/classes/{class_a}/attendance-report", 404),
    Row(LA, "GET", "/organisations", 200, sees="org_a org_b"),
    Row(LA, "GET", "/users", 200, sees="learner_a"),
    Row(LA, "GET", "/classes", 200, sees="class_a"),
    Row(L2, "GET", "/classes", 200, sees=""),
    Row(LA, "GET", "/networks", 200, sees=""),
    Row(LA, "GET", "/learners/{learner_a}/guardians", 200, sees="guardian_a"),
    Row(L2, "GET", "/classes/{class_a}", 404),
    # Once a classmate is enrolled, the roster still shows the learner only themselves.
    Row(
        ADMIN,
        "PUT",
        "/classes/{class_a}/learners",
        200,
        {"learner_ids": ["{learner_a}", "{learner2_a}"]},
    ),
    Row(LA, "GET", "/classes/{class_a}/learners", 200, sees="learner_a"),
    Row(L2, "GET", "/classes/{class_a}/learners", 200, sees="learner2_a"),
    Row(L2, "GET", "/classes", 200, sees="class_a"),
    Row(LA, "GET", "/users/me", 200),
    Row(LA, "GET", "/users/{learner_a}", 200),
    Row(LA, "GET", "/users/{learner2_a}", 404),
    Row(LA, "GET", "/users/{learner_b}", 404),
    Row(LA, "GET", "/users/{teacher_a}", 404),
    Row(LB, "GET", "/users/{learner_a}", 404),
    Row(LA, "GET", "/organisations/{org_a}", 200),
    Row(LA, "GET", "/organisations/{org_b}", 200),
    Row(LA, "GET", "/organisations/{org_c}", 404),
    Row(LA, "GET", "/classes/{class_a}", 200),
    Row(LA, "GET", "/classes/{class_b}", 404),
    Row(LA, "GET", "/classes/{class_b}/learners", 404),
    Row(LA, "GET", "/networks/{net_ab}", 404),
    Row(LA, "GET", "/networks/{net_ab}/members", 404),
    Row(LA, "GET", "/learners/{learner2_a}/guardians", 404),
    # Writes.
    Row(LA, "POST", "/organisations", 403, new_org()),
    Row(LA, "PATCH", "/organisations/{org_a}", 403, {"city": "Lille"}),
    Row(LA, "DELETE", "/organisations/{org_a}", 403),
    Row(LA, "POST", "/users", 403, new_user("learner")),
    Row(LA, "PATCH", "/users/{learner_a}", 200, RENAME),
    Row(LA, "PATCH", "/users/{learner_a}", 422, {"role": "teacher"}, field="body.role"),
    Row(
        LA,
        "PATCH",
        "/users/{learner_a}",
        422,
        {"birth_date": "2001-01-01"},
        field="body.birth_date",
    ),
    Row(
        LA,
        "PATCH",
        "/users/{learner_a}",
        422,
        {"organisation_id": "{org_b}"},
        field="body.organisation_id",
    ),
    Row(LA, "PATCH", "/users/{learner_a}", 422, {"is_active": False}, field="body.is_active"),
    Row(LA, "PATCH", "/users/{learner2_a}", 404, RENAME),
    Row(LA, "PATCH", "/users/{teacher_a}", 404, RENAME),
    Row(LA, "DELETE", "/users/{learner_a}", 403),
    Row(LA, "DELETE", "/users/{learner2_a}", 404),
    Row(LA, "POST", "/learners/{learner_a}/guardians", 403, {"guardian_id": "{guardian_b}"}),
    Row(LA, "DELETE", "/learners/{learner_a}/guardians/{guardian_a}", 403),
    Row(LA, "POST", "/classes", 403, new_class()),
    Row(LA, "PATCH", "/classes/{class_a}", 403, {"eqf_level": 2}),
    Row(LA, "PATCH", "/classes/{class_b}", 404, {"eqf_level": 2}),
    Row(LA, "PUT", "/classes/{class_a}/learners", 403, {"learner_ids": ["{learner_a}"]}),
    Row(LA, "DELETE", "/classes/{class_a}", 403),
    Row(LA, "DELETE", "/classes/{class_b}", 404),
    Row(LA, "POST", "/networks", 403, new_network()),
    Row(LA, "PATCH", "/networks/{net_ab}", 404, {"description": "Renamed"}),
    Row(LA, "DELETE", "/networks/{net_ab}", 404),
    Row(LA, "POST", "/networks/{net_ab}/members", 404, {"organisation_id": "{org_c}"}),
    Row(LA, "DELETE", "/networks/{net_ab}/members/{org_b}", 404),
    # Families and data rights (the learners are 16: at France's consent age, 15).
    Row(LA, "GET", "/learners/{learner_a}/consents", 200),
    Row(LA, "GET", "/learners/{learner2_a}/consents", 404),
    Row(LA, "POST", "/learners/{learner_a}/consents", 201, CHAT),
    Row(LB, "POST", "/learners/{learner_a}/consents", 404, CHAT),
    Row(LA, "DELETE", "/learners/{learner_a}/consents/{purpose}", 200),
    Row(LA, "DELETE", "/learners/{learner_a}/consents/{purpose}", 409, code="consent_not_given"),
    Row(LA, "DELETE", "/learners/{learner2_a}/consents/{purpose}", 404),
    Row(LA, "POST", "/learners/{learner_a}/consent-requests", 403, CHAT, code="school_only"),
    Row(LB, "POST", "/learners/{learner_a}/consent-requests", 404, CHAT),
    Row(LA, "POST", "/learners/{learner_a}/guardian-invites", 403, {"email": "f@example.org"}),
    Row(LA, "GET", "/learners/{learner_a}/guardian-invites", 403),
    Row(LA, "GET", "/users/{learner_a}/export", 200),
    Row(LA, "GET", "/users/{learner2_a}/export", 404),
    Row(LA, "POST", "/users/{learner_a}/erase", 403),
]

GA, GB = "guardian_a", "guardian_b"
GUARDIAN_ROWS = [
    Row(GA, "GET", "/organisations/{org_a}/checklist-template", 403),
    Row(GA, "PUT", "/organisations/{org_a}/checklist-template", 403, TEMPLATE),
    Row(GB, "GET", "/organisations/{org_a}/checklist-template", 404),
    Row(GA, "PUT", "/organisations/{org_c}/checklist-template", 404, TEMPLATE),
    Row(GA, "GET", "/learners/{learner_a}/certificates", 200),
    Row(GB, "GET", "/learners/{learner_a}/certificates", 404),
    Row(GA, "GET", "/learners/{learner_a}/hours", 200),
    Row(GA, "GET", "/learners/{learner_a}/hours.csv", 200),
    Row(GA, "GET", "/learners/{learner_b}/hours", 404),
    Row(GA, "GET", "/classes/{class_a}/attendance-report", 404),
    Row(GA, "GET", "/classes/{class_a}/attendance-report.csv", 404),
    Row(GA, "GET", "/users", 200, sees="guardian_a learner_a"),
    Row(GA, "GET", "/classes", 200, sees=""),
    Row(GA, "GET", "/networks", 200, sees=""),
    # Not in the written policy: a guardian sees their learners' school, not its partners.
    Row(GA, "GET", "/organisations", 200, sees="org_a"),
    Row(GA, "GET", "/users/me", 200),
    Row(GA, "GET", "/users/{guardian_a}", 200),
    Row(GA, "GET", "/users/{learner_a}", 200),
    Row(GA, "GET", "/users/{learner2_a}", 404),
    Row(GA, "GET", "/users/{learner_b}", 404),
    Row(GA, "GET", "/users/{teacher_a}", 404),
    Row(GA, "GET", "/users/{coordinator_a}", 404),
    Row(GA, "GET", "/users/{guardian_b}", 404),
    Row(GB, "GET", "/users/{learner_a}", 404),
    Row(GA, "GET", "/organisations/{org_a}", 200),
    Row(GA, "GET", "/organisations/{org_b}", 404),
    Row(GA, "GET", "/organisations/{org_c}", 404),
    Row(GA, "GET", "/classes/{class_a}", 404),
    Row(GA, "GET", "/classes/{class_a}/learners", 404),
    Row(GA, "GET", "/networks/{net_ab}", 404),
    Row(GA, "GET", "/networks/{net_ab}/members", 404),
    Row(GA, "GET", "/learners/{learner_a}/guardians", 403),
    Row(GA, "GET", "/learners/{learner2_a}/guardians", 404),
    # Writes.
    Row(GA, "POST", "/organisations", 403, new_org()),
    Row(GA, "PATCH", "/organisations/{org_a}", 403, {"city": "Lille"}),
    Row(GA, "DELETE", "/organisations/{org_a}", 403),
    Row(GA, "POST", "/users", 403, new_user("learner")),
    Row(GA, "PATCH", "/users/{guardian_a}", 200, RENAME),
    Row(GA, "PATCH", "/users/{guardian_a}", 422, {"role": "coordinator"}, field="body.role"),
    Row(GA, "PATCH", "/users/{learner_a}", 403, RENAME),
    Row(GA, "PATCH", "/users/{learner2_a}", 404, RENAME),
    Row(GA, "DELETE", "/users/{learner_a}", 403),
    Row(GA, "DELETE", "/users/{learner_b}", 404),
    Row(GA, "POST", "/learners/{learner_a}/guardians", 403, {"guardian_id": "{guardian_b}"}),
    Row(GA, "POST", "/learners/{learner2_a}/guardians", 404, {"guardian_id": "{guardian_a}"}),
    Row(GA, "DELETE", "/learners/{learner_a}/guardians/{guardian_a}", 403),
    Row(GA, "POST", "/classes", 403, new_class()),
    Row(GA, "PATCH", "/classes/{class_a}", 404, {"eqf_level": 2}),
    Row(GA, "PUT", "/classes/{class_a}/learners", 404, {"learner_ids": []}),
    Row(GA, "DELETE", "/classes/{class_a}", 404),
    Row(GA, "POST", "/networks", 403, new_network()),
    Row(GA, "PATCH", "/networks/{net_ab}", 404, {"description": "Renamed"}),
    Row(GA, "DELETE", "/networks/{net_ab}", 404),
    Row(GA, "POST", "/networks/{net_ab}/members", 404, {"organisation_id": "{org_c}"}),
    Row(GA, "DELETE", "/networks/{net_ab}/members/{org_b}", 404),
    # Families and data rights: learner_a is 16, at France's consent age (15): they decide.
    Row(GA, "GET", "/learners/{learner_a}/consents", 200),
    Row(GA, "GET", "/learners/{learner2_a}/consents", 404),
    Row(GB, "GET", "/learners/{learner_a}/consents", 404),
    Row(GA, "POST", "/learners/{learner_a}/consents", 403, CHAT, code="learner_decides"),
    Row(GA, "DELETE", "/learners/{learner_a}/consents/{purpose}", 403, code="learner_decides"),
    Row(GA, "POST", "/learners/{learner2_a}/consents", 404, CHAT),
    Row(GA, "POST", "/learners/{learner_a}/consent-requests", 403, CHAT, code="school_only"),
    Row(GA, "POST", "/learners/{learner2_a}/consent-requests", 404, CHAT),
    Row(GA, "POST", "/learners/{learner_a}/guardian-invites", 403, {"email": "f@example.org"}),
    Row(GA, "GET", "/learners/{learner_a}/guardian-invites", 403),
    Row(GA, "GET", "/users/{learner_a}/export", 200),
    Row(GA, "GET", "/users/{guardian_a}/export", 200),
    Row(GA, "GET", "/users/{learner2_a}/export", 404),
    Row(GA, "POST", "/users/{learner_a}/erase", 403),
]

TABLES: dict[str, list[Row]] = {
    "admin": ADMIN_ROWS,
    "coordinator": COORDINATOR_ROWS,
    "teacher": TEACHER_ROWS,
    "learner": LEARNER_ROWS,
    "guardian": GUARDIAN_ROWS,
}
ACTORS = {row.actor for rows in TABLES.values() for row in rows}


# --- The world -------------------------------------------------------------------------------


@dataclass
class World:
    api: Api
    ids: dict[str, str] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    # Names and e-mails of each object: a refused call must never echo one.
    secrets: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def keep(self, key: str, id_: str, *secrets: str) -> None:
        self.ids[key] = id_
        self.secrets[key] = secrets

    def fill(self, value: Any) -> Any:
        if isinstance(value, str):
            return PLACEHOLDER.sub(lambda m: self.ids[m.group(1)], value)
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value

    def key_of(self, id_: str) -> str:
        return next((k for k, v in self.ids.items() if v == id_), id_)


async def build_world(api: Api) -> World:
    world = World(api)
    world.ids["purpose"] = "chat"  # a consent purpose, in paths
    admin = api.admin
    world.keep("admin", admin.id, admin.email)
    world.headers["admin"] = admin.headers
    for s in SCHOOLS:
        org = await api.organisation(name=f"School org_{s}")
        world.keep(f"org_{s}", org["id"], org["name"])
    for prefix, role in PEOPLE:
        for s in SCHOOLS:
            key = f"{prefix}_{s}"
            org_id = None if role == "guardian" else world.ids[f"org_{s}"]
            person = await api.user(
                role, org_id, login_=key in ACTORS, display_name=f"Person {key}"
            )
            world.keep(key, person.id, person.email, f"Person {key}")
            world.headers[key] = person.headers
    for s in SCHOOLS:
        ids = world.ids
        created = await api.school_class(ids[f"org_{s}"], [ids[f"teacher_{s}"]], name=f"Class {s}")
        world.keep(f"class_{s}", created["id"], created["name"])
        roster = await api.client.put(
            f"{API}/classes/{created['id']}/learners",
            json={"learner_ids": [ids[f"learner_{s}"]]},
            headers=admin.headers,
        )
        assert roster.status_code == 200, roster.text
        await api.create(
            f"{API}/learners/{ids[f'learner_{s}']}/guardians", {"guardian_id": ids[f"guardian_{s}"]}
        )
    for key, members in (("net_ab", ["org_a", "org_b"]), ("net_c", ["org_c"])):
        network = await api.network([world.ids[m] for m in members], name=f"Network {key}")
        world.keep(key, network["id"], network["name"])
    return world


# --- Checking one row ------------------------------------------------------------------------


def readback_path(method: str, path: str) -> str:
    """Where the admin reads what a write would change: the object, or its collection."""
    parts = path.split("/")
    if method == "DELETE" and len(parts) == 5:  # /networks/{id}/members/{org} and the like
        path = "/".join(parts[:-1])
    if path.count("/") % 2 == 1:  # a collection
        path += "?limit=100"
    return path


def returned_ids(payload: Any) -> list[str]:
    if isinstance(payload, list):
        return [item["id"] for item in payload]
    if "learner_ids" in payload:
        return list(payload["learner_ids"])
    return [item["id"] for item in payload["items"]]


async def check(world: World, row: Row) -> list[str]:
    client = world.api.client
    admin = world.api.admin.headers
    path, body = world.fill(row.path), world.fill(row.body)
    write_refused = row.method != "GET" and row.status >= 400
    readback = readback_path(row.method, path) if write_refused else None
    before = (await client.get(API + readback, headers=admin)).json() if readback else None

    response = await client.request(
        row.method, API + path, json=body, headers=world.headers[row.actor]
    )
    if response.status_code != row.status:
        return [f"{row}: got {response.status_code} {response.text[:300]}"]

    if row.keep is not None:
        world.ids[row.keep] = response.json()["id"]
    problems: list[str] = []
    if row.status >= 400:
        problems += _refusal_problems(world, row, response)
    if row.status == 404:
        problems += await _ghost_problems(world, row, response)
    if readback is not None:
        after = (await client.get(API + readback, headers=admin)).json()
        if after != before:
            problems.append(f"{row}: the refused write changed {readback}")
    if row.sees is not None:
        problems += _list_problems(world, row, response)
    if row.method == "PATCH" and row.status == 200:
        got = response.json()
        problems += [
            f"{row}: {name} is {got.get(name)!r}, not {value!r}"
            for name, value in body.items()
            if got.get(name) != value
        ]
    return problems


def _refusal_problems(world: World, row: Row, response: Response) -> list[str]:
    problems: list[str] = []
    error = response.json()["error"]
    expected = row.code or {422: "validation_error"}.get(row.status) or ERROR_CODES[row.status]
    if error["code"] != expected:
        problems.append(f"{row}: error code {error['code']!r}, not {expected!r}")
    if row.field is not None:
        refused = {(d["field"], d["type"]) for d in error["details"] or []}
        if (row.field, "field_not_allowed") not in refused:
            problems.append(f"{row}: {row.field} not refused as field_not_allowed: {refused}")
    leaked = [s for key, secrets in world.secrets.items() for s in secrets if s in response.text]
    if leaked:
        problems.append(f"{row}: the refusal names {leaked}")
    return problems


async def _ghost_problems(world: World, row: Row, response: Response) -> list[str]:
    """The same call on a random id (in place of the first object of the path)."""
    ghost = world.fill(PLACEHOLDER.sub(str(uuid.uuid4()), row.path, count=1))
    twin = await world.api.client.request(
        row.method, API + ghost, json=world.fill(row.body), headers=world.headers[row.actor]
    )
    if (twin.status_code, twin.json()) != (404, response.json()):
        return [f"{row}: differs from a random id's {twin.status_code} {twin.text[:200]}"]
    return []


def _list_problems(world: World, row: Row, response: Response) -> list[str]:
    assert row.sees is not None
    payload = response.json()
    got = returned_ids(payload)
    expected = {world.ids[key] for key in row.sees.split()}
    problems: list[str] = []
    if set(got) != expected or len(got) != len(expected):
        extra = sorted(world.key_of(i) for i in set(got) - expected)
        missing = sorted(world.key_of(i) for i in expected - set(got))
        problems.append(f"{row}: also answers {extra}, lacks {missing}")
    if isinstance(payload, dict) and "total" in payload and payload["total"] != len(got):
        problems.append(f"{row}: total {payload['total']} for {len(got)} rows")
    hidden = set(world.secrets) - set(row.sees.split())
    leaked = [s for key in hidden for s in world.secrets[key] if s in response.text]
    if leaked:
        problems.append(f"{row}: names out-of-scope {leaked}")
    return problems


# --- Tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(TABLES))
async def test_role_matrix(api: Api, role: str) -> None:
    world = await build_world(api)
    problems = [problem for row in TABLES[role] for problem in await check(world, row)]
    if problems:
        pytest.fail(f"{len(problems)} wrong in {len(TABLES[role])} rows:\n" + "\n".join(problems))


def api_routes(application: FastAPI) -> set[tuple[str, str]]:
    """(method, path template without the prefix, parameters as `{}`) of every API route."""
    return {
        (method.upper(), PLACEHOLDER.sub("{}", path.removeprefix(API)))
        for path, operations in application.openapi()["paths"].items()
        if path.startswith(API + "/")
        for method in operations
    }


async def test_each_table_walks_every_route(application: FastAPI) -> None:
    wanted = {(m, p) for m, p in api_routes(application) if p.startswith(RESOURCES)}
    assert len(wanted) > 20
    for role, rows in TABLES.items():
        walked = {(r.method, PLACEHOLDER.sub("{}", r.path.split("?")[0])) for r in rows}
        assert not wanted - walked, f"{role} table misses {sorted(wanted - walked)}"


# Operations that work without logging in.
NO_LOGIN = {
    ("POST", "/auth/token"),
    ("POST", "/guardian-invites/{}/accept"),
    ("GET", "/certificates/{}/verify"),  # anyone holding a certificate checks it
    ("POST", "/certificates/verify"),
}


async def test_unauthenticated_calls_are_refused(application: FastAPI, client: AsyncClient) -> None:
    problems: list[str] = []
    for method, template in sorted(api_routes(application)):
        if (method, template) in NO_LOGIN:
            continue
        path = API + template.replace("{}", str(uuid.uuid4()))
        body = {"refresh_token": "not-a-token"} if template.startswith("/auth/") else {}
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            response = await client.request(method, path, json=body, headers=headers)
            code = response.json()["error"]["code"] if response.status_code == 401 else None
            if code is None or response.headers.get("www-authenticate") != "Bearer":
                problems.append(f"{method} {template} {headers}: {response.status_code}")
    assert not problems, "\n".join(problems)
