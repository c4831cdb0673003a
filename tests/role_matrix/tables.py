"""Every role's table of rows, and the actors they name."""

from __future__ import annotations

from tests.role_matrix.rows import ADMIN, CA, CB, CC, GA, LA, LB, TA, TB, Row
from tests.role_matrix.rows_admin import ADMIN_ROWS
from tests.role_matrix.rows_coordinator import COORDINATOR_ROWS
from tests.role_matrix.rows_family import GUARDIAN_ROWS, LEARNER_ROWS
from tests.role_matrix.rows_host import HOST_ROWS
from tests.role_matrix.rows_push import push_rows
from tests.role_matrix.rows_teacher import TEACHER_ROWS
from tests.role_matrix.rows_webhooks import webhook_rows

TABLES: dict[str, list[Row]] = {
    "admin": ADMIN_ROWS + push_rows(ADMIN, CA) + webhook_rows(ADMIN, (TA, 403)),
    "coordinator": COORDINATOR_ROWS + push_rows(CA, ADMIN) + webhook_rows(CA, (CB, 404), (CC, 404)),
    "teacher": TEACHER_ROWS + push_rows(TA, TB) + webhook_rows(CA, (TA, 403), (TB, 404)),
    "learner": LEARNER_ROWS + push_rows(LA, GA) + webhook_rows(CA, (LA, 403), (LB, 404)),
    "guardian": GUARDIAN_ROWS + push_rows(GA, LA) + webhook_rows(CA, (GA, 404)),
    "host": HOST_ROWS + push_rows("host_a", TA) + webhook_rows(CA, ("host_a", 404)),
}
ACTORS = {row.actor for rows in TABLES.values() for row in rows}
