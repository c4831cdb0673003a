"""Every role's table of rows, and the actors they name."""

from __future__ import annotations

from tests.role_matrix.rows import Row
from tests.role_matrix.rows_admin import ADMIN_ROWS
from tests.role_matrix.rows_coordinator import COORDINATOR_ROWS
from tests.role_matrix.rows_family import GUARDIAN_ROWS, LEARNER_ROWS
from tests.role_matrix.rows_host import HOST_ROWS
from tests.role_matrix.rows_teacher import TEACHER_ROWS

TABLES: dict[str, list[Row]] = {
    "admin": ADMIN_ROWS,
    "coordinator": COORDINATOR_ROWS,
    "teacher": TEACHER_ROWS,
    "learner": LEARNER_ROWS,
    "guardian": GUARDIAN_ROWS,
    "host": HOST_ROWS,
}
ACTORS = {row.actor for rows in TABLES.values() for row in rows}
