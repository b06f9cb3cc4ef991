"""Soak test: ingestion passes over changing inputs, concurrent reads and curation-like edits
for N minutes; prints errors, requests served, latency, memory growth and exact final counts.

    PYTHONPATH=src python bench/soak.py --minutes 3 [--db URL_OR_PATH] [--readers 3]
    PYTHONPATH=src:. python bench/soak.py --minutes 3 --throwaway-postgres

Every pass (1) writes a new folder of text notices (one unchanged since the last pass, one
hostile file), ingests it with ``cyberline.pipeline.ingest``; (2) runs one ``fetch`` pass over a
feed on a local HTTP server (127.0.0.1) that grows by --feed-per-pass entries each pass; (3)
stores incident reports directly so that linking runs on known data (--shape steady: each
incident gets a first notice and follow-ups over 5 passes, then new ones start and the dates move
on; --shape growing: 25 incidents that grow forever within one month). Meanwhile curation edits
run, library readers run period reports (steady: the current fortnight or month), and
--web-readers clients read the web app
(``cyberline serve`` in its own process: lists, search, facets) over HTTP. Exit status 1 when
anything is off: an unexpected error, a count that is not exact, a non-200 page, a failed
``db check``, or memory growth over --max-growth-mb.

Memory: both processes' RSS (this one plays `cyberline watch`'s part and applies the same
allocator settings, cyberline.allocator); growth is the highest RSS of the second half minus the
RSS after the warm-up pass.
"""

from __future__ import annotations

import argparse
import gzip
import logging
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: local server, PG

from cyberline.allocator import limit_retention, release_free_memory
from cyberline.analyze import parse_period, period_report
from cyberline.link import link_pending
from cyberline.model import Report, SourceDocument
from cyberline.pipeline import ingest
from cyberline.store import Store
from cyberline.store.integrity import check_database
from cyberline.store.records import get_or_create_source, save_document, save_report
from cyberline.store.schema import AuditEntry, Document, Incident

# (file name, bytes, stored?): refused inputs are logged skips; the others valid documents.
_BOMB = gzip.compress(bytes(60 << 20), 9)  # 60 KB on disk, 60 MB expanded: built once
HOSTILE = [
    ("bomb.gz", lambda: _BOMB, False),
    ("laughs.xml", lambda: b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
                           b"<rss><channel><item><title>&a;</title></item></channel></rss>", False),
    ("binary.bin", lambda: bytes(range(256)) * 64, False),
    ("broken.pdf", lambda: b"%PDF-1.7\n1 0 obj << /Kids [ >> garbage", False),
    ("unclosed.html", lambda n: b"<html><body><p>%d" % n + b"<" * 500_000, True),
    ("nul.txt", lambda n: b"a notice with one stray NUL\x00 byte in it, pass %d" % n, True),
]


INCIDENT_PASSES = 5  # steady shape: passes over which one incident gets its reports


def rss_mb(pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class Soak:
    def __init__(self, store: Store, folder: Path, docs_per_pass: int, shape: str = "steady"):
        self.store = store
        self.shape = shape
        self.folder = folder
        self.docs_per_pass = docs_per_pass
        self.expected_documents = 0
        self.expected_links = 0
        self.expected_edits = 0
        self.skips_expected = 0
        self.skips_seen = 0
        self.errors: list[str] = []
        self.read_latencies: list[float] = []
        self.passes = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.feed = None  # a GrowingFeed when --feed-per-pass > 0
        self.fetched_expected = 0
        self.web_base: str | None = None
        self.web_latencies: list[float] = []
        self.web_statuses: dict[int, int] = {}

    def fetch_pass(self) -> None:
        """One `fetch` pass: the feed shows feed.per_pass more entries than last time."""
        from cyberline.collect.fetch import fetch_pass
        from cyberline.collect.settings import load_settings
        from cyberline.store.schema import Source

        self.feed.grow()
        with self.store.session() as session:
            sources = list(session.scalars(select(Source).where(Source.name == "soak-feed")))
        summary = fetch_pass(self.store, sources, load_settings(per_host_delay=0.0))
        if summary.new != self.feed.per_pass or summary.skipped:
            self.errors.append(f"fetch pass {self.passes}: {summary.new} new (expected "
                               f"{self.feed.per_pass}), skipped {summary.skipped[:3]}")
        self.expected_documents += self.feed.per_pass

    def read_web(self) -> None:
        """A client of the web app: incident list, a Japanese search, a facet filter."""
        import httpx

        paths = ["/incidents.json", "/incidents.json?q=不正アクセス", "/incidents.json?country=JP",
                 "/incidents?attack_type=ransomware", "/incidents.json?q=ソーク"]
        turn = 0
        with httpx.Client(timeout=60) as client:
            while not self.stop.is_set():
                started = time.perf_counter()
                status = client.get(self.web_base + paths[turn % len(paths)]).status_code
                with self.lock:
                    self.web_latencies.append(time.perf_counter() - started)
                    self.web_statuses[status] = self.web_statuses.get(status, 0) + 1
                if status != 200:
                    self.errors.append(f"web {paths[turn % len(paths)]}: HTTP {status}")
                turn += 1
                time.sleep(0.02)

    # --- writers ----------------------------------------------------------------------------

    def one_pass(self) -> None:
        number = self.passes
        folder = self.folder / f"pass-{number:05d}"
        folder.mkdir()
        for i in range(self.docs_per_pass):
            (folder / f"n{i:03d}.txt").write_text(
                f"株式会社ソーク{i} 第{number}回 お知らせ {number}-{i}\n", encoding="utf-8")
        # A file unchanged since the previous pass (deduplicated, not stored again) ...
        (folder / "same.txt").write_text("毎回同じお知らせです。\n", encoding="utf-8")
        # ... and one hostile input, a logged skip that must not cost the rest of the folder.
        name, build, stored = HOSTILE[number % len(HOSTILE)]
        (folder / name).write_bytes(build(number) if stored else build())
        result = ingest(self.store, [str(folder)])
        new_expected = self.docs_per_pass + (1 if number == 0 else 0) + int(stored)
        # The hostile file, when refused, is the one skip of the pass (with its reason).
        if result.new != new_expected or len(result.errors) != int(not stored):
            self.errors.append(f"pass {number}: {result.new} new (expected {new_expected}), "
                               f"errors {result.errors}")
        self.expected_documents += new_expected
        self.skips_expected += int(not stored)
        self.skips_seen += sum(1 for e in result.errors if name in e)
        if self.feed is not None:
            self.fetch_pass()
        for i in range(self.docs_per_pass // 2):
            self.store_incident(number, i)
        self.passes += 1

    def day(self, number: int) -> date:
        """The disclosure day of pass ``number``'s reports."""
        if self.shape == "growing":
            return date(2022, 7, 1) + timedelta(days=number % 28)
        return date(2022, 7, 1) + timedelta(days=number // INCIDENT_PASSES)

    def store_incident(self, number: int, i: int) -> None:
        # steady: each incident gets a first notice and follow-ups over INCIDENT_PASSES passes,
        # then new incidents start, and time moves on (like real disclosures). growing: every
        # report joins one of 25 incidents forever, all within July 2022, so every link and every
        # period report works on ever more data (kept to show how costs grow with incident size).
        if self.shape == "growing":
            org = f"株式会社インシデント{i % 25}"
            day = date(2022, 7, 1) + timedelta(days=(number + i) % 28)
        else:
            org = f"株式会社インシデント{number // INCIDENT_PASSES}-{i}"
            day = self.day(number)
        text = f"{org} 不正アクセス 第{number}-{i}報"
        report = Report(id=f"{number}-{i}", kind="incident_notice", language="ja",
                        organization=org, disclosure_date=day.isoformat(),
                        attack_type="ransomware" if i % 2 else "unauthorized_access",
                        country=["JP"], is_followup_report=number > 0)
        with self.store.session() as session:
            source = get_or_create_source(session, "soak-incidents", "soak:", "import")
            row, created = save_document(session, SourceDocument(
                url=f"soak://{number}/{i}", raw=text.encode(), text=text), source)
            if created:
                save_report(session, row, report, provenance="soak")
                link_pending(session)
        self.expected_documents += 1
        self.expected_links += 1

    def curate(self) -> None:
        edit = 0
        while not self.stop.is_set():
            with self.store.session() as session:
                incident = session.scalar(select(Incident).order_by(func.random()).limit(1))
                if incident is not None:
                    after = f"curated {edit}"
                    session.add(AuditEntry(actor="soak", action="set_field",
                                           incident_id=incident.id, field="title",
                                           before=incident.title, after=after))
                    incident.title = after
                    edit += 1
            time.sleep(0.05)
        self.expected_edits = edit

    # --- readers ----------------------------------------------------------------------------

    def read(self) -> None:
        fixed = [parse_period(p) for p in ("2022-07a", "2022-07b", "2022-07", "2022Q3")]
        last = 0
        turn = 0
        while not self.stop.is_set():
            started = time.perf_counter()
            if self.shape == "growing":
                period = fixed[turn % len(fixed)]
            else:  # the current fortnight or month, as a reader of the latest timeline would
                day = self.day(self.passes)
                half = "a" if day.day <= 15 else "b"
                period = parse_period(f"{day:%Y-%m}{half if turn % 2 else ''}")
            with self.store.session() as session:
                count = session.scalar(select(func.count()).select_from(Document))
                period_report(session, period)
            with self.lock:
                self.read_latencies.append(time.perf_counter() - started)
            if count < last:
                self.errors.append(f"document count went down: {last} -> {count}")
            last = count
            turn += 1
            time.sleep(0.01)


class GrowingFeed:
    """An RSS feed on 127.0.0.1 that shows ``per_pass`` more entries after each grow()."""

    def __init__(self, per_pass: int):
        from tests.support.httpserver import LocalServer, Reply

        self.per_pass = per_pass
        self.shown = 0
        self.server = LocalServer().__enter__()

        def handle(request):
            items = "".join(
                f"<item><title>株式会社フィード{n} 不正アクセスについて</title><guid>urn:soak:{n}</guid>"
                f"<link>https://news.invalid/soak/{n}</link><description>株式会社フィード{n}は"
                f"2022年7月{1 + n % 28}日に不正アクセスを確認しました。({n})</description></item>"
                for n in range(self.shown))
            body = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
                    "<title>soak</title><link>https://news.invalid/</link><description>d"
                    f"</description>{items}</channel></rss>").encode("utf-8")
            return Reply(200, body, {"Content-Type": "application/rss+xml"})

        self.url = self.server.route("/feed.xml", handle)

    def grow(self) -> None:
        self.shown += self.per_pass

    def close(self) -> None:
        self.server.__exit__(None, None, None)


def _start_web(db_url: str) -> tuple[object, str]:
    """`cyberline serve` in its own process on a free loopback port; waits until it answers."""
    import socket
    import subprocess

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "cyberline", "--db", db_url, "serve",
                             "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/incidents.json", timeout=5)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the web app did not start")


def _growth(baseline: float, samples: list[float]) -> tuple[float, float]:
    """(highest RSS of the second half - baseline, last - middle sample): the growth the run
    is judged on, and how much of it came late."""
    if not samples:
        return 0.0, 0.0
    middle = len(samples) // 2
    return max(samples[middle:]) - baseline, samples[-1] - samples[middle]


def _guard(soak: Soak, fn):
    def run(*args):
        try:
            fn(*args)
        except Exception as exc:  # noqa: BLE001 - a soak counts every failure instead of dying
            soak.errors.append(f"{fn.__name__}: {type(exc).__name__}: {exc}")
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--db", help="SQLAlchemy URL or SQLite path (default: a temp file)")
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--docs-per-pass", type=int, default=20)
    parser.add_argument("--max-growth-mb", type=float, default=150)
    parser.add_argument("--feed-per-pass", type=int, default=10,
                        help="entries the local HTTP feed grows by per pass (0: no fetch)")
    parser.add_argument("--web-readers", type=int, default=2,
                        help="HTTP clients of a `cyberline serve` process (0: no web app)")
    parser.add_argument("--shape", choices=["steady", "growing"], default="steady",
                        help="steady: incidents get a few reports each and time moves on; "
                             "growing: 25 incidents that grow forever, all in one month")
    parser.add_argument("--memory-trace", action="store_true",
                        help="print both processes' RSS once a minute")
    parser.add_argument("--throwaway-postgres", action="store_true",
                        help="start a temporary PostgreSQL 15 cluster (tests/support/postgres.py)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cyberline-soak-"))
    cluster = None
    if args.throwaway_postgres:
        from tests.support.postgres import PostgresCluster

        cluster = PostgresCluster()
        cluster.start()
        args.db = cluster.create_database("soak")
    try:
        return run(args, work)
    finally:
        if cluster is not None:
            cluster.stop()


def run(args: argparse.Namespace, work: Path) -> int:
    limit_retention()  # as `cyberline watch` does (this process plays watch's part)
    store = Store.open(args.db or str(work / "soak.sqlite"))
    (work / "inputs").mkdir()
    soak = Soak(store, work / "inputs", args.docs_per_pass, args.shape)
    logging.getLogger("cyberline").setLevel(logging.ERROR)
    logging.getLogger("cyberline").propagate = False

    web = None
    if args.feed_per_pass > 0:
        from cyberline.collect.sources import SourceSpec, add_source

        soak.feed = GrowingFeed(args.feed_per_pass)
        add_source(store, SourceSpec(url=soak.feed.url, name="soak-feed", allow_private=True))
    soak.one_pass()  # warm-up: imports and caches load before the memory baseline
    release_free_memory()
    baseline = rss_mb()
    if args.web_readers > 0:
        db_url = store.engine.url.render_as_string(hide_password=False)
        web, soak.web_base = _start_web(db_url)
    web_samples: list[float] = []
    threads = [threading.Thread(target=_guard(soak, soak.curate))]
    threads += [threading.Thread(target=_guard(soak, soak.read)) for _ in range(args.readers)]
    threads += [threading.Thread(target=_guard(soak, soak.read_web))
                for _ in range(args.web_readers if web is not None else 0)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    samples = []
    minute = 0
    while time.monotonic() - started < args.minutes * 60:
        _guard(soak, soak.one_pass)()
        release_free_memory()  # as `cyberline watch` does after each pass
        samples.append(rss_mb())
        if web is not None:
            web_samples.append(rss_mb(web.pid))
        if time.monotonic() - started >= (minute + 1) * 60:
            minute += 1
            if args.memory_trace:
                web_rss = f", web app {web_samples[-1]:.0f} MB" if web_samples else ""
                print(f"  minute {minute:3d}: pass {soak.passes}, soak process "
                      f"{samples[-1]:.0f} MB{web_rss}", flush=True)
    soak.stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if web is not None:
        web.terminate()
        web.wait(timeout=30)
    if soak.feed is not None:
        soak.feed.close()

    result = check_database(store)
    counts = result.counts
    growth, late_growth = _growth(baseline, samples)
    # The web app's baseline: its first sample, once it has served a pass's worth of requests.
    web_growth, web_late = _growth(web_samples[0], web_samples) if web_samples else (0.0, 0.0)
    latencies = sorted(soak.read_latencies)
    # Links: the incident reports stored here, plus any ingested notice the extractor (a
    # placeholder on some branches) classifies as an incident; db check proves each current
    # incident report is linked exactly once.
    exact = (counts["documents"] == soak.expected_documents
             and counts["incident_reports"] >= soak.expected_links
             and counts["audit_log"] == soak.expected_edits)
    print(f"database           {store.engine.url.render_as_string(hide_password=True)}")
    print(f"duration           {elapsed / 60:.1f} min, {soak.passes} ingest passes")
    print(f"documents          {counts['documents']} stored / {soak.expected_documents} expected")
    print(f"incident links     {counts['incident_reports']} / {soak.expected_links} stored as "
          f"incident reports (+ any the extractor found); "
          f"{counts['incidents']} incidents")
    print(f"curation edits     {counts['audit_log']} / {soak.expected_edits} expected")
    print(f"hostile inputs     {soak.skips_seen} logged skips / {soak.skips_expected} expected")
    if latencies:
        print(f"reads served       {len(latencies)} ({len(latencies) / elapsed:.1f}/s); latency "
              f"p50 {statistics.median(latencies) * 1000:.1f} ms, "
              f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms, "
              f"max {latencies[-1] * 1000:.1f} ms")
    web_lat = sorted(soak.web_latencies)
    if web_lat:
        print(f"web requests       {len(web_lat)} ({len(web_lat) / elapsed:.1f}/s), statuses "
              f"{soak.web_statuses}; p50 {statistics.median(web_lat) * 1000:.1f} ms, "
              f"p95 {web_lat[int(len(web_lat) * 0.95)] * 1000:.1f} ms")
    if soak.feed is not None:
        print(f"fetched            {soak.feed.shown} feed entries served over HTTP")
    print(f"memory (RSS)       {baseline:.0f} MB after warm-up, {samples[-1] if samples else 0:.0f}"
          f" MB at the end; growth {growth:.0f} MB (second half: {late_growth:+.0f} MB)")
    if web_samples:
        print(f"web app (RSS)      {web_samples[0]:.0f} MB after its first pass, "
              f"{web_samples[-1]:.0f} MB at the end; growth {web_growth:.0f} MB "
              f"(second half: {web_late:+.0f} MB)")
    print(f"db check           {'ok' if result.ok else 'FAILED'}")
    print(f"errors             {len(soak.errors)}")
    for error in soak.errors[:20]:
        print(f"  {error}")
    store.close()
    ok = (not soak.errors and exact and result.ok and growth <= args.max_growth_mb
          and web_growth <= args.max_growth_mb
          and soak.skips_seen == soak.skips_expected)
    print("RESULT             " + ("ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
