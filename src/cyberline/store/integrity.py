"""Database health: the storage engine's own integrity check plus cyberline's invariants.

Used by ``cyberline db check``, by the crash (SIGKILL) tests and by bench/soak.py, so that
"the database is fine" means the same thing everywhere. Each invariant is one query that lists
offending rows; an empty result is a pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text

from cyberline.store.db import Store

# name -> (why it matters, query returning offending rows). Plain SQL that runs unchanged on
# SQLite and PostgreSQL; booleans are compared with literals both backends accept.
INVARIANTS: dict[str, tuple[str, str]] = {
    "duplicate_documents": (
        "the same bytes stored twice",
        "SELECT content_hash, COUNT(*) FROM documents GROUP BY content_hash HAVING COUNT(*) > 1",
    ),
    "documents_without_current_report": (
        "a document whose report was lost (every stored document has one current report)",
        "SELECT d.id FROM documents d WHERE (SELECT COUNT(*) FROM reports r "
        "WHERE r.document_id = d.id AND r.is_current = true) <> 1",
    ),
    "duplicate_report_versions": (
        "two report rows with the same version of one document",
        "SELECT document_id, version FROM reports GROUP BY document_id, version "
        "HAVING COUNT(*) > 1",
    ),
    "reports_without_document": (
        "a report whose document is gone",
        "SELECT r.id FROM reports r LEFT JOIN documents d ON d.id = r.document_id "
        "WHERE d.id IS NULL",
    ),
    "unlinked_incident_reports": (
        "a current incident report that belongs to no incident (it would be missing from "
        "every timeline)",
        "SELECT r.id FROM reports r WHERE r.is_current = true "
        "AND r.kind IN ('incident_notice', 'incident_news') "
        "AND (SELECT COUNT(*) FROM incident_reports l WHERE l.report_id = r.id) <> 1",
    ),
    "links_to_old_report_versions": (
        "an incident built from a superseded report version (counted twice or stale)",
        "SELECT l.id FROM incident_reports l JOIN reports r ON r.id = l.report_id "
        "WHERE r.is_current = false",
    ),
    "links_without_incident_or_report": (
        "a link row pointing at nothing",
        "SELECT l.id FROM incident_reports l LEFT JOIN incidents i ON i.id = l.incident_id "
        "LEFT JOIN reports r ON r.id = l.report_id WHERE i.id IS NULL OR r.id IS NULL",
    ),
    "empty_incidents": (
        "an incident with no report behind it (a half-written link)",
        "SELECT i.id FROM incidents i WHERE NOT EXISTS "
        "(SELECT 1 FROM incident_reports l WHERE l.incident_id = i.id) "
        "AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.incident_id = i.id)",
    ),
    "broken_version_chains": (
        "a document that supersedes a document that does not exist",
        "SELECT d.id FROM documents d LEFT JOIN documents p ON p.id = d.supersedes_id "
        "WHERE d.supersedes_id IS NOT NULL AND p.id IS NULL",
    ),
}


@dataclass
class CheckResult:
    engine_ok: bool = True
    engine_messages: list[str] = field(default_factory=list)
    problems: dict[str, list[tuple]] = field(default_factory=dict)  # invariant -> sample rows
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.engine_ok and not self.problems

    def lines(self) -> list[str]:
        out = [f"storage engine: {'ok' if self.engine_ok else 'FAILED'}"]
        out += [f"  {m}" for m in self.engine_messages if m != "ok"]
        for name, (why, _query) in INVARIANTS.items():
            rows = self.problems.get(name)
            out.append(f"{name}: ok" if not rows else
                       f"{name}: {len(rows)} problem(s): {why}; e.g. {rows[:5]}")
        out.append("counts: " + ", ".join(f"{k}={v}" for k, v in self.counts.items()))
        return out


COUNTED = ("sources", "documents", "reports", "incidents", "incident_reports", "audit_log")


def _engine_check(store: Store) -> tuple[bool, list[str]]:
    with store.engine.connect() as conn:
        if store.is_sqlite:
            messages = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
            fk = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
            messages += [f"foreign key violation: {tuple(row)}" for row in fk]
            return messages == ["ok"], messages
        # PostgreSQL has no whole-database check in core; WAL replay guarantees page
        # consistency after a crash. Prove every table is readable end to end instead.
        messages = []
        for table in COUNTED:
            conn.execute(text(f"SELECT COUNT(*) FROM {table}"))
        invalid = list(conn.execute(text(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE NOT i.indisvalid")))
        messages += [f"invalid index {row[0]}" for row in invalid]
        return not messages, messages or ["ok"]


def check_database(store: Store, sample: int = 20) -> CheckResult:
    """Run the engine's integrity check and every invariant; never raises on bad data."""
    result = CheckResult()
    result.engine_ok, result.engine_messages = _engine_check(store)
    with store.engine.connect() as conn:
        for name, (_why, query) in INVARIANTS.items():
            rows = [tuple(r) for r in conn.execute(text(query)).fetchmany(sample)]
            if rows:
                result.problems[name] = rows
        for table in COUNTED:
            result.counts[table] = conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
    return result
