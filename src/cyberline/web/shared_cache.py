"""Text-search match lists shared by the worker processes of one ``cyberline serve --workers N``.

Each worker keeps its own facet snapshot and match cache, so without this a new query is looked
up in the database once per worker: at a million incidents the first search of a common term
walks ~60,000 rows of the id index (20-40 ms of PostgreSQL CPU) and parses 10,000 ids in the
worker, and on a busy server the N copies of that work run at the same moment and queue
everything else behind them. Here the first worker to miss takes an exclusive lock on the
query's lock file, computes, and writes the result; the others wait on the lock and read it.

Files live in a folder that ``serve`` creates for the server's life (a temporary folder, one
server, one store), named by a hash of the key. An entry is fresh for ``ttl`` seconds from its
file's modification time; ``clear()`` (after a curation write in any worker) removes them all.
Workers still hold what they read in their own memory cache for its ttl, as before (so a list
read from a file near the end of its life can be served for up to twice the ttl in all).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np

try:
    import fcntl
except ImportError:  # Windows: no flock; each worker computes its own matches, as before
    fcntl = None

log = logging.getLogger(__name__)

Matches = tuple[np.ndarray, bool]  # (ids ascending, truncated)
MAX_FILES = 1024  # beyond this, entries older than ttl are swept when one is written


class SharedMatches:
    def __init__(self, folder: str | Path, ttl: float = 60.0):
        self.folder = Path(folder)
        self.ttl = ttl

    def _paths(self, key: str) -> tuple[Path, Path]:
        name = hashlib.sha1(key.encode()).hexdigest()
        return self.folder / f"{name}.npy", self.folder / f"{name}.lock"

    def _read(self, path: Path) -> Matches | None:
        try:
            if time.time() - path.stat().st_mtime >= self.ttl:
                return None
            stored = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as error:  # absent, cleared meanwhile, or half-gone
            if not isinstance(error, FileNotFoundError):
                log.warning("shared match cache: unreadable %s (%s)", path.name, error)
            return None
        return stored[1:], bool(stored[0])

    def get(self, key: str, compute: Callable[[], Matches]) -> Matches:
        data, lock = self._paths(key)
        found = self._read(data)
        if found is not None:
            return found
        if fcntl is None:
            return compute()
        try:
            handle = open(lock, "a")
        except OSError as error:  # folder gone (server shutting down): compute alone
            log.warning("shared match cache unavailable (%s)", error)
            return compute()
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
            found = self._read(data)
            if found is not None:
                return found
            ids, truncated = compute()
            self._write(data, np.concatenate([[int(truncated)], ids]).astype(np.int64))
        return ids, truncated

    def _write(self, path: Path, stored: np.ndarray) -> None:
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                np.save(out, stored, allow_pickle=False)
            os.replace(tmp, path)  # readers see the whole file or none
            if sum(1 for _ in self.folder.glob("*.npy")) > MAX_FILES:
                self._sweep(time.time() - self.ttl)
        except OSError as error:
            log.warning("shared match cache: not written (%s)", error)

    def _sweep(self, older_than: float) -> None:
        # Lock files go too (else one per distinct query for the server's life): a worker that
        # still holds a removed one only risks computing a query twice.
        for path in [*self.folder.glob("*.npy"), *self.folder.glob("*.lock")]:
            try:
                if path.stat().st_mtime < older_than:
                    path.unlink()
            except OSError:
                pass

    def clear(self) -> None:
        for path in self.folder.glob("*.npy"):
            try:
                path.unlink()
            except OSError:
                pass
