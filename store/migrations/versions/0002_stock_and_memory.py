"""stock reservations, customer memory and handoff requests

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stock_reservations",
        sa.Column("variant_id", sa.String(50), primary_key=True),
        sa.Column("reserved", sa.Integer(), nullable=False),
    )
    op.create_table(
        "remembered_sizes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("size", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("owner", "category"),
    )
    op.create_index("ix_remembered_sizes_owner", "remembered_sizes", ["owner"])
    op.create_table(
        "personalisation",
        sa.Column("owner", sa.String(200), primary_key=True),
        sa.Column("use_history", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "handoff_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("conversation_id", sa.String(200), nullable=False),
        sa.Column("message", sa.String(2000), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_index("ix_handoff_requests_owner", "handoff_requests", ["owner"])


def downgrade() -> None:
    op.drop_index("ix_handoff_requests_owner", "handoff_requests")
    op.drop_table("handoff_requests")
    op.drop_table("personalisation")
    op.drop_index("ix_remembered_sizes_owner", "remembered_sizes")
    op.drop_table("remembered_sizes")
    op.drop_table("stock_reservations")
