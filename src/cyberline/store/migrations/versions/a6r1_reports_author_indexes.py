"""reports: incidents.author, covering index for period statistics

Revision ID: a6r1
Revises: web1
"""
from alembic import op
import sqlalchemy as sa


revision = "a6r1"
down_revision = "web1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author", sa.Text(), nullable=True))
        batch_op.create_index("ix_incidents_period_groups", [
            "disclosure_date", "published", "attack_type", "motivation", "target_class",
            "cause_category_jnsa", "affected_persons", "amount_usd"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_period_groups")
        batch_op.drop_column("author")
