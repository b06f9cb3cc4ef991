"""Benchmark of the collection stage: a local server with N feed entries and their linked pages,
ingested end to end (fetch, extract, store, link), then fetched again.

    PYTHONPATH=src python bench/collect.py [N=10000] [--db URL]

Prints documents/s of the first pass, of a second pass where every page answers 304, of a third
pass inside the recheck interval (no requests), and the peak memory (max RSS) of this process.
The server runs in its own process, so its work is not counted against the client.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import sys
import tempfile
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
    store = Store.open(db)
    add_source(store, SourceSpec(feed, "bench", follow_links=True, allow_private=True))
    settings = FetchSettings(per_host_delay=0, concurrency=8)
    print(f"{n} feed entries with linked pages, database {store.engine.url.drivername}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for label, pass_settings in (("first pass (fetch, extract, store)", settings),
                                 ("second pass (every page 304)", replace(settings,
                                                                          recheck_after=0)),
                                 ("third pass (inside recheck interval)", settings)):
        started = time.perf_counter()
        summary = fetch_pass(store, find_sources(store, []), pass_settings)
        seconds = time.perf_counter() - started
        print(f"{label}: {summary.new} new, {summary.unchanged} unchanged, "
              f"{len(summary.skipped)} skipped in {seconds:.1f}s = "
              f"{summary.documents / seconds:.0f} documents/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of the client process): {peak:.0f} MB")
    server.kill()


if __name__ == "__main__":
    main()
