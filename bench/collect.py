"""Benchmark of the collection stage: a local server with N feed entries and their linked pages,
ingested end to end (fetch, extract, store, link), then fetched again.

    PYTHONPATH=src python bench/collect.py [N=10000] [--db URL]

Three passes: the first (every page new: fetch, parse, extract, store, link, index); the next
scheduled pass (nothing changed: the feed is read again, and a followed link checked within its
recheck interval, 6 h by default, is not asked again, as a polite crawler does); and a forced
revalidation (`cyberline fetch --recheck`: a conditional GET per link, every page answers 304;
one request in flight per host, so it is bound by request round trips).

For each pass: wall time, documents/s, CPU seconds of the client (this process and its parser
worker processes, read from /proc) and of the server, and the load average. At the end, the peak
memory of the client: the largest sum of resident memory of this process and its workers,
sampled every 0.1 s, and this process's own max RSS. The server runs in its own process (a
threaded keep-alive HTTP/1.1 server), so its work is not counted against the client.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support.httpserver

PAGE = ("<html><head><title>お知らせ {i}</title></head><body><article><h1>不正アクセスに関する"
        "お知らせ（{i}）</h1><p>株式会社ベンチ{i}は、2024年8月1日、当社サーバーへの不正アクセスを"
        "確認しました。お客様の個人情報が流出した可能性があります。</p><p>深くお詫び申し上げます。"
        "</p></article></body></html>")


def serve(n: int, ready) -> None:
    from tests.support.httpserver import LocalServer, static

    with LocalServer() as srv:
        items = "".join(f"<item><guid>g{i}</guid><title>notice {i}</title>"
                        f"<link>{srv.url(f'/n/{i}.html')}</link><description>d{i}</description>"
                        f"</item>" for i in range(n))
        srv.route("/feed.xml", static(f"<?xml version='1.0'?><rss version='2.0'><channel>"
                                      f"<title>bench</title>{items}</channel></rss>".encode(),
                                      "application/rss+xml"))
        pages = {f"/n/{i}.html": static(PAGE.format(i=i).encode(), "text/html; charset=utf-8",
                                        etag=f'"{i}"') for i in range(n)}
        srv.routes.update(pages)
        ready.put(srv.url("/feed.xml"))
        while True:
            time.sleep(3600)


TICK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _processes() -> dict[int, tuple[int, float, int]]:
    """pid -> (parent pid, CPU seconds, resident bytes) of every process we can read."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK,
                             int(fields[21]) * PAGE_SIZE)
    return found


def _pss(pid: int) -> int:
    """Proportional set size: shared pages (a forked worker's copy of the parent's modules)
    counted once over the processes sharing them, not once per process as in RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Meter:
    """CPU and resident memory of this process and its descendants (parser workers, started
    through a fork server, are its descendants too), without the server's process tree."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self.cpu: dict[int, float] = {}  # last CPU reading of every client process seen
        self.peak_rss = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _client(self, table: dict) -> list[int]:
        children: dict[int, list[int]] = {}
        for pid, (parent, _, _) in table.items():
            children.setdefault(parent, []).append(pid)
        todo, mine = [os.getpid()], []
        while todo:
            pid = todo.pop()
            if pid == self.server_pid:
                continue
            mine.append(pid)
            todo.extend(children.get(pid, []))
        return mine

    def sample(self) -> None:
        table = _processes()
        mine = self._client(table)
        for pid in mine:
            self.cpu[pid] = table[pid][1]
        self.peak_rss = max(self.peak_rss, sum(table[pid][2] for pid in mine))
        self.peak_pss = max(self.peak_pss, sum(_pss(pid) for pid in mine))

    def _loop(self) -> None:
        while not self._stop.wait(0.1):
            self.sample()

    def client_cpu(self) -> float:
        self.sample()
        return sum(self.cpu.values())

    def server_cpu(self) -> float:
        return _processes().get(self.server_pid, (0, 0.0, 0))[1]


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 10_000
    db = sys.argv[sys.argv.index("--db") + 1] if "--db" in sys.argv else \
        str(Path(tempfile.mkdtemp()) / "bench.sqlite")
    from cyberline.collect.fetch import fetch_pass
    from cyberline.collect.settings import FetchSettings
    from cyberline.collect.sources import SourceSpec, add_source, find_sources
    from cyberline.store import Store

    ready: mp.Queue = mp.Queue()
    server = mp.Process(target=serve, args=(n, ready), daemon=True)
    server.start()
    feed = ready.get(timeout=120)
    meter = Meter(server.pid)
    store = Store.open(db)
    add_source(store, SourceSpec(feed, "bench", follow_links=True, allow_private=True))
    settings = FetchSettings(per_host_delay=0, concurrency=8)
    print(f"{n} feed entries with linked pages, database {store.engine.url.drivername}, "
          f"{os.cpu_count()} CPUs, {getattr(settings, 'workers', 0)} parser workers")
    for label, pass_settings in (("first pass (fetch, extract, store)", settings),
                                 ("second pass (nothing changed; links inside their recheck "
                                  "interval not asked again)", settings),
                                 ("revalidation pass (--recheck: every link asked, every page "
                                  "304)", replace(settings, recheck_after=0))):
        load = os.getloadavg()[0]
        cpu, server_cpu = meter.client_cpu(), meter.server_cpu()
        started = time.perf_counter()
        summary = fetch_pass(store, find_sources(store, []), pass_settings)
        seconds = time.perf_counter() - started
        cpu, server_cpu = meter.client_cpu() - cpu, meter.server_cpu() - server_cpu
        print(f"{label}: {summary.new} new, {summary.unchanged} unchanged, "
              f"{len(summary.skipped)} skipped in {seconds:.1f}s = "
              f"{summary.documents / seconds:.0f} documents/s; client CPU {cpu:.1f}s "
              f"({1000 * cpu / max(summary.documents, 1):.1f} ms/document), server CPU "
              f"{server_cpu:.1f}s, load average {load:.1f} -> {os.getloadavg()[0]:.1f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the client (this process, its fork server and parser workers "
          f"together): {meter.peak_pss / 2**20:.0f} MB proportional (PSS), "
          f"{meter.peak_rss / 2**20:.0f} MB summed RSS (shared pages counted per process); "
          f"{own:.0f} MB max RSS of this process alone")
    server.kill()


if __name__ == "__main__":
    main()
