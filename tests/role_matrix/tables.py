"""Every role's table of rows, and the actors they name."""

from __future__ import annotations

from tests.role_matrix.rows import ADMIN, CA, GA, LA, TA, TB, Row
from tests.role_matrix.rows_admin import ADMIN_ROWS
from tests.role_matrix.rows_coordinator import COORDINATOR_ROWS
from tests.role_matrix.rows_family import GUARDIAN_ROWS, LEARNER_ROWS
from tests.role_matrix.rows_host import HOST_ROWS
from tests.role_matrix.rows_push import push_rows
from tests.role_matrix.rows_teacher import TEACHER_ROWS

TABLES: dict[str, list[Row]] = {
    "admin": ADMIN_ROWS + push_rows(ADMIN, CA),
    "coordinator": COORDINATOR_ROWS + push_rows(CA, ADMIN),
    "teacher": TEACHER_ROWS + push_rows(TA, TB),
    "learner": LEARNER_ROWS + push_rows(LA, GA),
    "guardian": GUARDIAN_ROWS + push_rows(GA, LA),
    "host": HOST_ROWS + push_rows("host_a", TA),
}
ACTORS = {row.actor for rows in TABLES.values() for row in rows}
