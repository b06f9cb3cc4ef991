"""Opening a database: URL resolution, engine settings per backend, migrations on first use."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
# Alembic logs every plugin and step at INFO; a user wants only our own messages.
logging.getLogger("alembic").setLevel(logging.WARNING)


def default_db_path(name: str = "cyberline.sqlite") -> Path:
    return Path(user_data_dir("cyberline", appauthor=False)) / name


def resolve_url(url_or_path: str | Path | None) -> str:
    """A SQLAlchemy URL from a URL, a plain file path, or None (the default SQLite file)."""
    if url_or_path is None or str(url_or_path) == "":
        path = default_db_path()
    elif "://" in str(url_or_path):
        url = str(url_or_path)
        # Plain postgresql:// means psycopg 3 here (psycopg2 is not a dependency).
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url
    else:
        path = Path(url_or_path)
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # pool_size: the web app serves from a thread pool; a request beyond the pool's size
        # opened and closed a connection of its own (PRAGMAs, schema read) every time.
        database = make_url(url).database or ""
        memory = database in ("", ":memory:") or "mode=memory" in url  # one shared connection
        engine = create_engine(url, connect_args={"timeout": 30},
                               **({} if memory else {"pool_size": 20, "max_overflow": 10}))

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            # WAL lets the web app read while ingestion writes; foreign keys are off by default.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=10)


def _alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("cyberline.store") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Apply any pending migration (idempotent, cheap when up to date)."""
    cfg = _alembic_config(str(engine.url.render_as_string(hide_password=False)))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    log.debug("migrating database from %s to %s", current, head)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Store:
    """A database handle: ``with store.session() as s: ...`` commits on success."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # PostgreSQL reads without a transaction: psycopg sends BEGIN and COMMIT as round trips
        # of their own, two of the four or five a web page needs. SQLite's driver opens no
        # transaction for a SELECT anyway.
        readers = engine if self.is_sqlite else engine.execution_options(
            isolation_level="AUTOCOMMIT")
        self._readers = sessionmaker(readers, expire_on_commit=False)

    @classmethod
    def open(cls, url_or_path: str | Path | None = None, *, migrate: bool = True) -> "Store":
        engine = make_engine(resolve_url(url_or_path))
        if migrate:
            upgrade(engine)
        return cls(engine)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session:
            with session.begin():
                yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for code that only reads (the web pages): on PostgreSQL each statement
        runs and commits on its own, so two statements may see different committed states;
        writes through it are not allowed (nothing would roll them back)."""
        with self._readers() as session:
            with session.begin():
                yield session

    def close(self) -> None:
        self.engine.dispose()
