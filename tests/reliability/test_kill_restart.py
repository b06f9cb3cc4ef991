"""SIGKILL in the middle of a run, restart, and nothing is lost, duplicated or corrupt
(SQLite in WAL mode and PostgreSQL)."""

from __future__ import annotations

import random
import re
import sys

import pytest
from sqlalchemy import text

from cyberline.store import Store
from cyberline.store.integrity import check_database
from tests.reliability.workload import edits_shown
from tests.reliability.harness import cyberline_argv, run_and_kill, run_to_end

pytestmark = pytest.mark.slow  # two child processes per test (~10 s)

FILES = 200


def _folder(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for number in range(FILES):
        (folder / f"notice-{number:04d}.txt").write_text(
            f"株式会社テスト{number} 不正アクセスに関するお知らせ 第{number}報\n" * 3,
            encoding="utf-8")
    return folder


def _assert_healthy(url: str, seen: set[str]) -> dict[str, int]:
    store = Store.open(url)
    try:
        result = check_database(store)
        assert result.ok, "\n".join(result.lines())
        with store.engine.connect() as conn:
            stored = {r[0]: r[1] for r in conn.execute(text(
                "SELECT content_hash, COUNT(*) FROM documents GROUP BY content_hash"))}
        missing = seen - set(stored)
        assert not missing, f"{len(missing)} committed documents lost by the kill"
        assert all(count == 1 for count in stored.values())
        return result.counts
    finally:
        store.close()


def test_ingest_survives_sigkill_and_resumes(db_url, tmp_path):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    folder = _folder(tmp_path)
    Store.open(db_url).close()  # migrated before the child starts: the kill hits ingestion
    after = rng.randint(10, 100)
    outcome = run_and_kill(cyberline_argv(db_url, "ingest", str(folder)), db_url, after, rng)
    assert outcome.killed, f"seed {seed}: ingest ended before {after} documents\n{outcome.output}"
    assert outcome.returncode == -9
    counts = _assert_healthy(db_url, outcome.seen)
    assert counts["documents"] < FILES, f"seed {seed}: killed too late to prove a resume"

    rerun = run_to_end(cyberline_argv(db_url, "ingest", str(folder)))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    new, unchanged = map(int, re.search(r"(\d+)\s+new\s+documents,\s+(\d+)\s+already\s+stored",
                                        rerun.stdout).groups())
    # The resumed run stores exactly the rest.
    assert (new, unchanged) == (FILES - counts["documents"], counts["documents"]), seed
    final = _assert_healthy(db_url, outcome.seen)
    assert final["documents"] == final["reports"] == FILES


def test_linking_and_curation_survive_sigkill(db_url, tmp_path):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    total = 200
    Store.open(db_url).close()
    argv = [sys.executable, "-m", "tests.reliability.workload", "--db", db_url,
            "--count", str(total)]
    outcome = run_and_kill(argv, db_url, rng.randint(10, 100), rng)
    assert outcome.killed, f"seed {seed}: workload ended first\n{outcome.output}"
    counts = _assert_healthy(db_url, outcome.seen)
    assert counts["documents"] < total
    _assert_edits_atomic(db_url)

    rerun = run_to_end(argv)
    assert rerun.returncode == 0, rerun.stderr
    final = _assert_healthy(db_url, outcome.seen)
    assert final["documents"] == final["reports"] == final["incident_reports"] == total
    _assert_edits_atomic(db_url)


def _assert_edits_atomic(url: str) -> None:
    """Every person-edited incident shows the value of its latest audit entry, and every audit
    entry belongs to such an incident: an edit is never half applied."""
    store = Store.open(url)
    latest, shown = edits_shown(store)
    store.close()
    assert latest == shown
