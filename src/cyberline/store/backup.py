"""Backups: a consistent copy of a live database, and restoring one.

SQLite uses the online backup API (``sqlite3.Connection.backup``): the copy is consistent even
while ingestion writes, and the file is written under a temporary name and renamed, so a crash
mid-backup never leaves a half file under the requested name. PostgreSQL uses its own tools,
``pg_dump --format=custom`` and ``pg_restore``, which must be on PATH (package
postgresql-client); the password travels in PGPASSWORD, not on the command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables whose rows are user data: a database with any of them is "not empty".
DATA_TABLES = ("sources", "documents", "reports", "incidents", "audit_log", "users")


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in one line."""


@dataclass
class BackupInfo:
    path: Path
    bytes: int
    method: str  # "sqlite-backup-api" | "pg_dump"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(database)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found on PATH: install the PostgreSQL client tools "
                          f"(Debian: apt-get install postgresql-client) to back up PostgreSQL")
    return found


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed: {done.stderr.strip()[-2000:]}")


def backup_database(url: str, target: Path) -> BackupInfo:
    """Write a consistent copy of the database at ``url`` to ``target`` (replaced if present)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    if url.startswith("sqlite"):
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"no database at {source}")
        src = sqlite3.connect(source, timeout=30)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)  # copies page by page, retrying pages a concurrent writer changed
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            dst.close()
            src.close()
        method = "sqlite-backup-api"
    elif url.startswith("postgresql"):
        libpq, env = _libpq(url)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial),
              "--dbname", libpq], env)
        method = "pg_dump"
    else:
        raise BackupError(f"backups of {make_url(url).get_backend_name()} are not supported")
    os.replace(partial, target)
    return BackupInfo(target, target.stat().st_size, method)


def data_rows(url: str) -> int:
    """Rows in the user-data tables of the database at ``url`` (0 when it has none yet)."""
    if url.startswith("sqlite") and not _sqlite_path(url).exists():
        return 0
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            return sum(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                       for t in DATA_TABLES if t in present)
    finally:
        engine.dispose()


def _check_sqlite_backup(path: Path) -> None:
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise BackupError(f"{path} is not a SQLite database backup")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        status = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database ({exc})") from exc
    finally:
        conn.close()
    if status != "ok":
        raise BackupError(f"{path} fails its integrity check ({status})")
    if "documents" not in tables or "alembic_version" not in tables:
        raise BackupError(f"{path} is a SQLite database but not a cyberline backup")


def restore_database(url: str, source: Path, force: bool = False) -> None:
    """Replace the database at ``url`` with the backup ``source``.

    Refuses (BackupError) when the target holds data, unless ``force``.
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    existing = data_rows(url)
    if existing and not force:
        raise BackupError(f"the target database holds {existing} rows; restoring would replace "
                          "them (use --force to overwrite)")
    if url.startswith("sqlite"):
        _check_sqlite_backup(source)
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            # The backup API writes through the target's own lock and journal: readers of
            # the target see the old or the new database, never a mix.
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    elif url.startswith("postgresql"):
        with source.open("rb") as fh:
            if fh.read(5) != b"PGDMP":
                raise BackupError(f"{source} is not a pg_dump custom-format backup")
        libpq, env = _libpq(url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", libpq, str(source)], env)
    else:
        raise BackupError(f"restores into {make_url(url).get_backend_name()} are not supported")
