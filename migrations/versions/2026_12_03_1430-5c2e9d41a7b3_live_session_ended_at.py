"""live sessions record when they actually ended, so a session ended early is final then

Revision ID: 5c2e9d41a7b3
Revises: 0ddad9fe2a6f
Create Date: 2026-12-03 14:30:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.tables

revision: str = "5c2e9d41a7b3"
down_revision: str | None = "0ddad9fe2a6f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("live_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_at", app.core.tables.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("live_session", schema=None) as batch_op:
        batch_op.drop_column("ended_at")
