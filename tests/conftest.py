"""Shared fixtures: fresh SQLite and PostgreSQL stores, the bundled sample feed, the CLI runner."""

from __future__ import annotations

import itertools
import os
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cyberline.store import Store

_db_numbers = itertools.count()


def _missing_service(reason: str):
    # CI must prove the server path: there a missing PostgreSQL is a failure, not a skip.
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run these tests; scripts/test.sh installs it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_cluster():
    from tests.support.postgres import PostgresCluster

    try:
        cluster = PostgresCluster()
        cluster.start()
    except Exception as exc:  # noqa: BLE001 - any failure to start means "not available here"
        _missing_service(f"PostgreSQL 15 could not be started: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster, worker_id="master") -> str:
    return postgres_cluster.create_database(f"t{os.getpid()}_{next(_db_numbers)}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "test.sqlite")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path: Path) -> str:
    """A fresh database URL on each backend: tests using it run on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "test.sqlite")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(db_url: str):
    s = Store.open(db_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def sample_feed() -> Path:
    with resources.as_file(resources.files("cyberline.sample") / "seed-blog.atom") as path:
        yield path


@pytest.fixture
def cli():
    runner = CliRunner()

    def run(*args: str, db: str | None = None, input: str | None = None):
        from cyberline.cli import app

        argv = (["--db", db] if db else []) + list(args)
        return runner.invoke(app, argv, input=input, catch_exceptions=False)

    return run
