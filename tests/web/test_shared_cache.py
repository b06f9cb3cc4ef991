"""Search matches shared by the worker processes of one server (``serve --workers N``)."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient

from cyberline.web.queries import TTLCache
from cyberline.web.shared_cache import SharedMatches

SECRET = "test-secret-" + "s" * 30


def _worker(folder: str, log: str, out: str) -> None:
    """One server process asking for the same new query as the others, at the same moment."""
    def compute():
        with open(log, "a") as f:
            f.write("computed\n")
        time.sleep(0.5)  # long enough for the other processes to arrive meanwhile
        return np.array([3, 5, 8], dtype=np.int64), True

    ids, truncated = SharedMatches(folder).get("('q', 'phishing')", compute)
    Path(out).write_text(f"{ids.tolist()} {truncated}")


def test_processes_asking_at_once_compute_once(tmp_path):
    log = tmp_path / "computed.log"
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_worker, args=(str(tmp_path), str(log),
                                                   str(tmp_path / f"out{i}")))
             for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert log.read_text() == "computed\n"
    assert {(tmp_path / f"out{i}").read_text() for i in range(3)} == {"[3, 5, 8] True"}


def test_entries_expire_and_clear(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return np.arange(len(calls), dtype=np.int64), False

    cache = SharedMatches(tmp_path, ttl=0.3)
    first = cache.get("k", compute)
    again = SharedMatches(tmp_path, ttl=0.3).get("k", compute)  # another worker: read
    assert len(calls) == 1 and again[0].tolist() == first[0].tolist() == [0]
    time.sleep(0.35)
    assert cache.get("k", compute)[0].tolist() == [0, 1] and len(calls) == 2  # expired
    cache.clear()
    assert not list(tmp_path.glob("*.npy"))
    assert cache.get("k", compute)[0].tolist() == [0, 1, 2]


def test_a_broken_entry_or_a_missing_folder_only_costs_a_computation(tmp_path, caplog):
    cache = SharedMatches(tmp_path)
    data, _ = cache._paths("k")
    data.write_bytes(b"not numpy")
    ids, truncated = cache.get("k", lambda: (np.array([1], dtype=np.int64), False))
    assert ids.tolist() == [1] and truncated is False
    assert "unreadable" in caplog.text
    assert cache.get("k", lambda: 1 / 0)[0].tolist() == [1]  # rewritten whole
    gone = SharedMatches(tmp_path / "gone")
    assert gone.get("k", lambda: (np.array([2], dtype=np.int64), True))[0].tolist() == [2]


def test_the_memory_cache_clears_the_shared_one(tmp_path):
    cache = TTLCache(shared=SharedMatches(tmp_path))
    cache.get(("q", "x"), lambda: (np.array([1], dtype=np.int64), False))
    assert len(list(tmp_path.glob("*.npy"))) == 1
    cache.clear()  # after a curation write: no worker reads the old matches again
    assert not list(tmp_path.glob("*.npy"))


def test_workers_built_from_the_environment_share_their_searches(web_store, tmp_path,
                                                                  monkeypatch):
    from cyberline.web.app import app_from_env

    monkeypatch.setenv("CYBERLINE_WEB_DB", web_store.engine.url.render_as_string(False))
    monkeypatch.setenv("CYBERLINE_WEB_SECRET", SECRET)
    shared = tmp_path / "shared"
    shared.mkdir()
    monkeypatch.setenv("CYBERLINE_WEB_SHARED_CACHE", str(shared))
    first, second = app_from_env(), app_from_env()
    with TestClient(first) as a, TestClient(second) as b:
        want = a.get("/search.json?q=ランサムウェア").json()
        assert len(list(shared.glob("*.npy"))) == 1
        calls = []
        second.state.search_cache.shared.get(
            repr(("q", "ランサムウェア")), lambda: calls.append(1))  # found: not computed
        assert calls == []
        assert b.get("/search.json?q=ランサムウェア").json() == want
