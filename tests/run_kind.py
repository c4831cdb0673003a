"""Which of `make test`'s two runs this is: SQLite with the memory broker, or PostgreSQL with
Redis. A few tests belong to the second only, and say why when skipped in the first."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.engine import make_url


def on_postgres() -> bool:
    given = os.environ.get("PASSERELLE_TEST_DATABASE_URL") or "sqlite+aiosqlite://"
    return make_url(given).get_backend_name().startswith("postgresql")


# Several server processes sharing one database: production refuses SQLite with several
# workers, so these run where processes can share it, in the PostgreSQL + Redis run.
several_processes = pytest.mark.skipif(
    not on_postgres(),
    reason="several processes need PostgreSQL (production refuses SQLite with several "
    "workers): the PostgreSQL + Redis run covers this",
)
# Tests that start a PostgreSQL of their own: the suite's database plays no part, so they run
# once, in the PostgreSQL + Redis run.
own_postgres = pytest.mark.skipif(
    not on_postgres(),
    reason="starts a PostgreSQL of its own: runs once, in the PostgreSQL + Redis run",
)
