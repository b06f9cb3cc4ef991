"""full-text search index of incidents (issue 7)

Revision ID: web1
Revises: 0001

SQLite: the incident_search table plus two external-content FTS5 tables over it (trigram for
words of 3+ characters in any script; unicode61 over Sudachi tokens so 2-character Japanese words
such as 漏洩 are found). PostgreSQL: pg_trgm GIN index over the body and a GIN tsvector index over
the tokens.
"""
from alembic import op
import sqlalchemy as sa


revision = "web1"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_search",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("incident_id"),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_trigram USING fts5(body, content='incident_search',"
                   " content_rowid='incident_id', tokenize='trigram')")
        op.execute("CREATE VIRTUAL TABLE search_tokens USING fts5(tokens, content='incident_search',"
                   " content_rowid='incident_id', tokenize='unicode61')")
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_incident_search_body ON incident_search "
                   "USING gin (body gin_trgm_ops)")
        op.execute("CREATE INDEX ix_incident_search_tokens ON incident_search "
                   "USING gin (to_tsvector('simple', tokens))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_tokens")
        op.execute("DROP TABLE IF EXISTS search_trigram")
    op.drop_table("incident_search")
