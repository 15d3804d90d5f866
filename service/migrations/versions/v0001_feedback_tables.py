"""Feedback submissions and the codes they name.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``feedback`` and ``feedback_code``."""
    op.create_table(
        "feedback",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document_id", sa.String(200), nullable=True),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("model_version", sa.String(100), nullable=False),
        sa.Column("coder_id", sa.String(200), nullable=False),
    )
    op.create_index("ix_feedback_model_version", "feedback", ["model_version"])
    op.create_table(
        "feedback_code",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "record_id",
            sa.Uuid(),
            sa.ForeignKey("feedback.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("system", sa.String(16), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
    )
    op.create_index("ix_feedback_code_record_id", "feedback_code", ["record_id"])
    op.create_index("ix_feedback_code_system_code", "feedback_code", ["system", "code"])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("feedback_code")
    op.drop_table("feedback")
