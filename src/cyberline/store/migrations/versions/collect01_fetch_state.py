"""fetch_state: HTTP validators per followed URL (issue 4, collection)

Revision ID: collect01
Revises: link01
"""
from alembic import op
import sqlalchemy as sa


revision = "collect01"
down_revision = "link01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fetch_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url_hash"),
    )
    with op.batch_alter_table("fetch_state", schema=None) as batch_op:
        batch_op.create_index("ix_fetch_state_source", ["source_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fetch_state", schema=None) as batch_op:
        batch_op.drop_index("ix_fetch_state_source")
    op.drop_table("fetch_state")
