"""matching runs carry a heartbeat, so runs of a dead process can be failed

Revision ID: 3a1f0c2b7d44
Revises: 8b0524af6092
Create Date: 2026-12-03 13:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.tables

revision: str = "3a1f0c2b7d44"
down_revision: str | None = "8b0524af6092"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("matching_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", app.core.tables.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("matching_run", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
