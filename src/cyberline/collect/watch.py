"""Fetch passes on a schedule until stopped (SIGINT/SIGTERM end it after the current document)."""

from __future__ import annotations

import re
import signal
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from cyberline.allocator import limit_retention, release_free_memory

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_EVERY = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")


def parse_every(text: str) -> float:
    """'30m', '1h30m', '90s', '2h' -> seconds. ValueError for anything else or under 1 s."""
    cleaned = text.strip().lower()
    pos, total = 0, 0.0
    for match in _EVERY.finditer(cleaned):
        if match.start() != pos and cleaned[pos:match.start()].strip():
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if not cleaned or cleaned[pos:].strip() or total < 1:
        raise ValueError(f"{text!r} is not an interval like 30m, 1h30m or 90s (at least 1s)")
    return total


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` instead of killing the process mid-transaction."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def handler(signum, _frame):  # noqa: ANN001
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def watch(run_pass: Callable[[], object], every: float, stop: threading.Event,
          *, max_passes: int | None = None, clock: Callable[[], float] = time.monotonic) -> int:
    """Call ``run_pass`` every ``every`` seconds (start to start) until ``stop`` is set.
    Returns the number of passes run."""
    limit_retention()  # a process that runs for months: see cyberline.allocator
    passes = 0
    while not stop.is_set():
        started = clock()
        run_pass()
        release_free_memory()
        passes += 1
        if max_passes is not None and passes >= max_passes:
            break
        stop.wait(max(0.0, every - (clock() - started)))
    return passes
