"""link keys (blocking index) and organisation aliases

Revision ID: link01
Revises: a6r1
"""
from alembic import op
import sqlalchemy as sa


revision = "link01"
down_revision = "a6r1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_keys",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=220), nullable=False),
        sa.Column("disclosure_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("incident_id", "key"),
    )
    with op.batch_alter_table("link_keys") as batch_op:
        batch_op.create_index("ix_link_keys_key", ["key", "disclosure_date"], unique=False)
    op.create_table(
        "org_aliases",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", "alias"),
    )


def downgrade() -> None:
    with op.batch_alter_table("link_keys") as batch_op:
        batch_op.drop_index("ix_link_keys_key")
    op.drop_table("link_keys")
    op.drop_table("org_aliases")
