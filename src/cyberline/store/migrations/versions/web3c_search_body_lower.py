"""PostgreSQL: a stored lower-cased copy of the search body with its own trigram index (issue 7)

Revision ID: web3c
Revises: pw02

A query term with cased letters (phishing, Contoso) was looked up with ``body ILIKE '%term%'``:
pg_trgm's index finds the candidates, but the recheck lowercases every candidate body (a copy per
row in a multi-byte database), 75-200 ms a term at 1,000,000 incidents. ``body_lower`` is
``lower(body)``, computed once per write; a term is looked up with ``body_lower LIKE
'%' || lower(term) || '%'`` -- the same rows as ILIKE (PostgreSQL's ILIKE in UTF-8 compares the
lower() of both sides). Every trigram lookup uses it, so the index over ``body`` is dropped (one
trigram index to keep up on writes, not two). Adding the column fills it for existing rows.
SQLite: no change (the FTS5 trigram tokenizer is case-insensitive already).
"""
from alembic import op


revision = "web3c"
down_revision = "pw02"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("ALTER TABLE incident_search ADD COLUMN body_lower text "
               "GENERATED ALWAYS AS (lower(body)) STORED")
    op.execute("CREATE INDEX ix_incident_search_body_lower ON incident_search "
               "USING gin (body_lower gin_trgm_ops)")
    op.execute("DROP INDEX IF EXISTS ix_incident_search_body")
    op.execute("ANALYZE incident_search")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("CREATE INDEX ix_incident_search_body ON incident_search "
               "USING gin (body gin_trgm_ops)")
    op.execute("DROP INDEX IF EXISTS ix_incident_search_body_lower")
    op.execute("ALTER TABLE incident_search DROP COLUMN body_lower")
