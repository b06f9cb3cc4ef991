"""Storage: SQLAlchemy tables, Alembic migrations, and the Store handle."""

from cyberline.store.db import Store, default_db_path, resolve_url
from cyberline.store import schema

__all__ = ["Store", "default_db_path", "resolve_url", "schema"]
