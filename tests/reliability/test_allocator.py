"""cyberline.allocator: glibc settings that keep long-running processes from holding freed memory."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from cyberline import allocator

glibc = pytest.mark.skipif(allocator._glibc() is None, reason="glibc only")


def _rss_after(code: str) -> float:
    """RSS (MB) of a fresh interpreter after running ``code``."""
    script = textwrap.dedent(code) + textwrap.dedent("""
        from pathlib import Path
        line = [l for l in Path("/proc/self/status").read_text().splitlines()
                if l.startswith("VmRSS:")][0]
        print(int(line.split()[1]) / 1024)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    return float(out.stdout.strip().splitlines()[-1])


# Big buffers freed, then many medium ones that outlive them, interleaved with small survivors:
# with glibc's dynamic mmap threshold the medium buffers land in the heap and their holes stay.
CHURN = """
    import gc
    keep = []
    for round in range(30):
        big = bytearray(24 << 20); del big
        medium = [bytearray((2 << 20) + i) for i in range(20)]
        keep.append(bytearray(100))
        del medium
    gc.collect()
"""


@glibc
def test_settings_return_freed_buffers_to_the_system():
    plain = _rss_after(CHURN)
    limited = _rss_after("from cyberline.allocator import limit_retention\n"
                         "assert limit_retention()\n" + textwrap.dedent(CHURN) +
                         "from cyberline.allocator import release_free_memory\n"
                         "release_free_memory()\n")
    assert limited < plain - 20, (plain, limited)


@glibc
def test_children_inherit_the_settings(monkeypatch):
    for name in ("MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_"):
        monkeypatch.setenv(name, "")  # recorded, so the teardown restores the real environment
        monkeypatch.delenv(name)
    allocator.limit_retention_in_children()
    assert os.environ["MALLOC_ARENA_MAX"] == str(allocator.ARENA_MAX)
    assert os.environ["MALLOC_MMAP_THRESHOLD_"] == str(allocator.MMAP_THRESHOLD)
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    allocator.limit_retention_in_children()
    assert os.environ["MALLOC_ARENA_MAX"] == "4"  # an operator's own setting wins
