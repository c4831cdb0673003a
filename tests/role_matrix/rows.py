"""The role matrix's rows: who calls what, and what must answer (see `test_role_matrix`)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from tests.factories import PASSWORD

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
    names: str = ""  # keys besides `sees` whose names the list shows (a class's teachers)

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


ALL_USERS = "admin " + " ".join(users_of(s, *(p for p, _ in PEOPLE)) for s in SCHOOLS) + " host_a"
RENAME = {"display_name": "Renamed"}
A_STAFF = users_of("a", "coordinator", "teacher", "teacher2", "spare")
A_LEARNERS = users_of("a", "learner", "learner2")

# A school's mobility checklist template (docs/mobility.md).
TEMPLATE = {"items": [{"title": "Passport", "owner": "guardian", "days_before_start": 30}]}

# The actors, by role and school (a, b, c).
ADMIN = "admin"
CA, CB, CC = "coordinator_a", "coordinator_b", "coordinator_c"
TA, T2, TB = "teacher_a", "teacher2_a", "teacher_b"
LA, L2, LB = "learner_a", "learner2_a", "learner_b"
GA, GB = "guardian_a", "guardian_b"
