"""`cyberline backup` / `restore` round trips and `cyberline db check`, end to end on both
backends."""

from __future__ import annotations

from sqlalchemy import text

from cyberline.store import Store
from cyberline.store.integrity import INVARIANTS, check_database
from tests.reliability.data import snapshot, store_incident_report


def said(result) -> str:
    """The command's output with rich's line wrapping undone (it wraps at the terminal width)."""
    return " ".join(result.output.split())


def _populated(url: str, sample_feed, cli, count: int = 30) -> dict:
    assert cli("ingest", str(sample_feed), db=url).exit_code == 0
    store = Store.open(url)
    for number in range(count):
        store_incident_report(store, number)
    data = snapshot(store)
    store.close()
    return data


def test_backup_restore_round_trip(db_url, tmp_path, sample_feed, cli, request):
    before = _populated(db_url, sample_feed, cli)
    assert len(before["documents"]) == 38 and len(before["incidents"]) > 0
    target = tmp_path / "backup.db"
    result = cli("backup", str(target), db=db_url)
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0

    if "://" in db_url:
        other = request.getfixturevalue("postgres_cluster").create_database(
            f"restore_{tmp_path.name[-20:].replace('-', '_').lower()}")
    else:
        other = str(tmp_path / "restored.sqlite")
    restored = cli("restore", str(target), db=other)
    assert restored.exit_code == 0, restored.output
    store = Store.open(other)
    assert snapshot(store) == before
    assert check_database(store).ok
    store.close()

    # A database that holds data is not overwritten without --force.
    refused = cli("restore", str(target), db=db_url)
    assert refused.exit_code == 1 and "--force" in said(refused)
    forced = cli("restore", "--force", str(target), db=db_url)
    assert forced.exit_code == 0, forced.output
    store = Store.open(db_url)
    assert snapshot(store) == before
    store.close()


def test_restore_refuses_a_file_that_is_no_backup(tmp_path, cli):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all")
    result = cli("restore", str(junk), db=str(tmp_path / "t.sqlite"))
    assert result.exit_code == 1 and "not a SQLite database backup" in said(result)
    missing = cli("restore", str(tmp_path / "missing.db"), db=str(tmp_path / "t.sqlite"))
    assert missing.exit_code == 1 and "no backup file" in said(missing)


def test_backup_without_pg_dump_is_a_clear_error(postgres_url, tmp_path, cli, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on PATH: pg_dump cannot be found
    result = cli("backup", str(tmp_path / "b.dump"), db=postgres_url)
    assert result.exit_code == 1 and "pg_dump not found on PATH" in said(result)


def test_db_check_passes_on_a_healthy_database(db_url, sample_feed, cli):
    _populated(db_url, sample_feed, cli, count=10)
    result = cli("db", "check", db=db_url)
    assert result.exit_code == 0, result.output
    assert "database ok" in said(result) and "documents=18" in said(result)


def _break(url: str, statement: str) -> None:
    store = Store.open(url)
    with store.engine.begin() as conn:
        if store.is_sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.execute(text(statement))
    store.close()


BREAKAGES = {
    # invariant -> a statement that violates it on a populated database
    "documents_without_current_report": "UPDATE reports SET is_current = false WHERE id = "
                                        "(SELECT MIN(id) FROM reports)",
    "unlinked_incident_reports": "DELETE FROM incident_reports WHERE id = "
                                 "(SELECT MAX(id) FROM incident_reports)",
    "empty_incidents": "INSERT INTO incidents (attack_type, motivation, target_class, countries,"
                       " data_categories, reported_to, published, provenance, created_at, "
                       "updated_at) VALUES ('unknown', 'unknown', 'Z', '[]', '[]', '[]', true, "
                       "'{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "duplicate_report_versions": "INSERT INTO reports (document_id, version, is_current, "
                                 "provenance, data, created_at, kind, is_followup) SELECT "
                                 "document_id, version, false, 'dup', data, created_at, 'other', "
                                 "false FROM reports WHERE id = (SELECT MIN(id) FROM reports)",
}


def test_db_check_finds_each_broken_invariant(db_url, sample_feed, cli, tmp_path):
    assert set(BREAKAGES) <= set(INVARIANTS)
    _populated(db_url, sample_feed, cli, count=10)
    healthy = tmp_path / "healthy.bak"
    assert cli("backup", str(healthy), db=db_url).exit_code == 0
    for name, statement in BREAKAGES.items():
        assert cli("restore", "--force", str(healthy), db=db_url).exit_code == 0
        _break(db_url, statement)
        result = cli("db", "check", db=db_url)
        assert result.exit_code == 1, (name, result.output)
        assert f"{name}: 1 problem" in said(result), (name, result.output)
