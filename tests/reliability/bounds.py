"""Measuring that one call stays within time and memory bounds (Linux /proc peak RSS)."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_kb(key: str) -> int | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_mb() -> float | None:
    kb = _status_kb("VmRSS")
    return kb / 1024 if kb is not None else None


@dataclass
class Usage:
    seconds: float = 0.0
    peak_mb: float | None = None  # peak RSS growth over the RSS at the start; None off Linux


@contextmanager
def measured():
    """Yields a Usage filled in on exit: wall time and peak RSS growth of this process."""
    usage = Usage()
    try:
        _CLEAR_REFS.write_text("5")  # resets VmHWM to the current RSS
        start_kb = _status_kb("VmRSS")
    except OSError:
        start_kb = None
    started = time.perf_counter()
    try:
        yield usage
    finally:
        usage.seconds = time.perf_counter() - started
        peak = _status_kb("VmHWM")
        if start_kb is not None and peak is not None:
            usage.peak_mb = (peak - start_kb) / 1024
