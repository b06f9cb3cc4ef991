"""Keep a long-running process's memory from creeping up: glibc malloc settings and trimming.

`watch` and `serve` run for months. Their Python objects do not pile up (a tracemalloc run of the
soak shows ~20 MB traced after many passes), but glibc's allocator keeps what they freed: after a
large temporary buffer (a 20 MB page, a PDF, a decompressed feed) is freed, glibc raises its mmap
threshold to that size (up to 32 MB), so later buffers of that size come from the heap, whose
free holes are rarely returned to the system; and each thread gets its own heap arena. RSS then
grows in steps long after the data is gone. Two remedies, both no-ops where glibc is absent:

* ``limit_retention()`` (once, at start): a fixed 1 MiB mmap threshold (buffers above it go back
  to the system when freed) and at most 2 arenas per process.
* ``release_free_memory()`` (after each pass of a loop): ``malloc_trim(0)`` hands the free pages
  of every arena back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from functools import cache

log = logging.getLogger(__name__)

M_ARENA_MAX = -8
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 1 << 20
ARENA_MAX = 2


@cache
def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc only: musl/macOS lack them
    except (OSError, AttributeError):
        return None
    return libc


def limit_retention() -> bool:
    """Fixed mmap threshold and arena count; True when applied (glibc)."""
    libc = _glibc()
    if libc is None:
        return False
    ok = libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    ok = libc.mallopt(M_ARENA_MAX, ARENA_MAX) == 1 and ok
    if not ok:
        log.debug("mallopt refused the allocator settings")
    return ok


def limit_retention_in_children() -> None:
    """The same settings for processes started from this one (uvicorn's workers), through the
    environment variables glibc reads at start-up; values already set are kept."""
    os.environ.setdefault("MALLOC_MMAP_THRESHOLD_", str(MMAP_THRESHOLD))
    os.environ.setdefault("MALLOC_ARENA_MAX", str(ARENA_MAX))


def release_free_memory() -> bool:
    """Return free heap memory to the system; True when glibc released something."""
    libc = _glibc()
    return bool(libc is not None and libc.malloc_trim(0))
