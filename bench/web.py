"""Web app latency under load: p50/p95 of search and faceted list pages, 20 concurrent clients.

Bulk-generates N incidents (with their search index) into a fresh SQLite file and/or a
throwaway PostgreSQL cluster, serves the app with uvicorn in a subprocess on 127.0.0.1, and runs
a bounded number of requests per client over a fixed mix of URLs, twice (the first pass meets
cold per-worker caches). Waits until every worker has built its facet snapshot before loading.
Prints p50/p95 per page type and pass, the server's CPU time (start-up included; PostgreSQL's
own processes not included), the client's CPU time and the load average.

    PYTHONPATH=src python bench/web.py --n 1000000 --backend both [--workers 2]
    PYTHONPATH=src python bench/web.py --backend sqlite --sqlite-file /tmp/b.sqlite  # keep/reuse
    PYTHONPATH=src python bench/web.py --backend postgresql --pg-dir /tmp/webpg  # keep/reuse
"""

from __future__ import annotations

import argparse
import json
import resource
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone
from http.client import HTTPConnection
from urllib.parse import quote, unquote
from pathlib import Path

import httpx
from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support.postgres

from cyberline.model import vocabulary  # noqa: E402
from cyberline.store import Store  # noqa: E402
from cyberline.store.schema import Incident, IncidentCountry, IncidentSearch  # noqa: E402
from cyberline.store.search import tokenize  # noqa: E402

PHRASES = [
    "ランサムウェアによる攻撃を受けサーバーが暗号化されました", "個人情報漏洩の可能性があります",
    "不正アクセスによりクレジットカード情報が流出", "メールの誤送信が発生しました",
    "フィッシングサイトへの誘導を確認", "業務委託先のサーバーが侵害された",
    "ransomware encrypted file servers", "a phishing campaign exposed login credentials",
    "unauthorized access to the customer database", "misconfigured cloud storage bucket",
    "DDoS attack disrupted online services", "business email compromise led to a wire transfer",
    "ソフトウェアの脆弱性を悪用", "不審なプログラムを検知", "システム障害の調査を継続中",
]
ORG_PARTS = ["テスト", "大和", "Example", "Acme", "北海", "Global", "中央", "Pacific", "東京",
             "Northwind", "みらい", "Contoso", "さくら", "Fabrikam"]
COUNTRIES = ["JP", "US", "GB", "DE", "FR", "KR", "TW", "AU", "IN", "CA"]
QUERIES = ["ランサムウェア", "漏洩", "phishing", "不正アクセス", "cloud storage", "Contoso"]


def generate(store: Store, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    tokens = {p: " ".join(tokenize(p)) for p in PHRASES}
    attack, motive = vocabulary("attack_type"), vocabulary("motivation")
    classes = vocabulary("target_class")
    start = date(2015, 1, 1)
    sqlite = store.is_sqlite
    with store.engine.begin() as conn:
        if not sqlite:  # GIN indexes are built faster once, after the load
            conn.execute(text("DROP INDEX IF EXISTS ix_incident_search_body_lower"))
            conn.execute(text("DROP INDEX IF EXISTS ix_incident_search_tokens_tsv"))
    batch = 20_000 if sqlite else 100_000
    for first in range(1, n + 1, batch):
        incidents, countries, search = [], [], []
        for i in range(first, min(first + batch, n + 1)):
            org = rng.choice(ORG_PARTS) + rng.choice(ORG_PARTS) + f" {i}"
            day = start + timedelta(days=rng.randrange(3650))
            cs = rng.sample(COUNTRIES, rng.choice((1, 1, 1, 2)))
            phrases = rng.sample(PHRASES, 3)
            incidents.append({"id": i, "organization": org, "disclosure_date": day,
                              "attack_type": rng.choice(attack), "motivation": rng.choice(motive),
                              "target_class": rng.choice(classes), "country": cs[0],
                              "countries": cs, "data_categories": [], "reported_to": [],
                              "published": rng.random() > 0.02, "provenance": {},
                              "description_en": phrases[0], "description_ja": phrases[1]})
            countries += [{"incident_id": i, "country": c, "disclosure_date": day} for c in cs]
            search.append({"incident_id": i, "body": org + "\n" + "\n".join(phrases),
                           "tokens": " ".join(tokens[p] for p in phrases)})
        with store.engine.begin() as conn:
            if sqlite:
                conn.execute(insert(Incident), incidents)
                conn.execute(insert(IncidentCountry), countries)
                conn.execute(insert(IncidentSearch), search)
            else:
                copy_rows(conn, incidents, countries, search)
    with store.engine.begin() as conn:
        if sqlite:
            conn.execute(text("INSERT INTO search_trigram(search_trigram) VALUES ('rebuild')"))
            conn.execute(text("INSERT INTO search_tokens(search_tokens) VALUES ('rebuild')"))
            conn.execute(text("ANALYZE"))
        else:
            conn.execute(text("CREATE INDEX ix_incident_search_body_lower ON incident_search "
                              "USING gin (body_lower gin_trgm_ops)"))
            conn.execute(text("CREATE INDEX ix_incident_search_tokens_tsv ON incident_search "
                              "USING gin (tokens_tsv)"))
            conn.execute(text("ANALYZE"))


def copy_rows(conn, incidents: list[dict], countries: list[dict], search: list[dict]) -> None:
    """PostgreSQL: COPY is several times faster than executemany for a million rows."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    cursor = conn.connection.dbapi_connection.cursor()
    with cursor.copy("COPY incidents (id, organization, disclosure_date, attack_type, motivation, "
                     "target_class, country, countries, data_categories, reported_to, published, "
                     "provenance, description_en, description_ja, created_at, updated_at) "
                     "FROM STDIN") as copy:
        for r in incidents:
            copy.write_row((r["id"], r["organization"], r["disclosure_date"], r["attack_type"],
                            r["motivation"], r["target_class"], r["country"],
                            json.dumps(r["countries"]), "[]", "[]", r["published"], "{}",
                            r["description_en"], r["description_ja"], now, now))
    with cursor.copy("COPY incident_countries (incident_id, country, disclosure_date) "
                     "FROM STDIN") as copy:
        for r in countries:
            copy.write_row((r["incident_id"], r["country"], r["disclosure_date"]))
    with cursor.copy("COPY incident_search (incident_id, body, tokens, indexed_at) "
                     "FROM STDIN") as copy:
        for r in search:
            copy.write_row((r["incident_id"], r["body"], r["tokens"], now))


def urls(rng: random.Random, count: int) -> list[str]:
    attack = ["ransomware", "phishing", "malware", "unauthorized_access", "ddos"]
    out = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.4:
            out.append(f"/search.json?q={rng.choice(QUERIES)}")
        elif kind < 0.7:
            out.append(f"/incidents.json?attack_type={rng.choice(attack)}"
                       f"&country={rng.choice(COUNTRIES)}")
        elif kind < 0.9:
            out.append(f"/incidents.json?period={rng.randrange(2015, 2025)}-"
                       f"{rng.randrange(1, 13):02d}&motivation=cybercrime")
        else:
            out.append("/incidents.json")
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(url: str, port: int, workers: int, shared: str) -> subprocess.Popen:
    # What ``cyberline serve --workers N`` sets up: the store, a secret, the workers' shared
    # search-match folder.
    env = dict(os.environ, CYBERLINE_WEB_DB=url, CYBERLINE_WEB_SECRET="b" * 40,
               CYBERLINE_WEB_SHARED_CACHE=shared)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory",
                             "cyberline.web.app:app_from_env", "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers),
                             # the facet snapshot build can keep a worker from answering the
                             # supervisor's ping for more than the default 5 s on a busy machine
                             "--timeout-worker-healthcheck", "120",
                             "--log-level", "warning"], env=env, stderr=subprocess.PIPE,
                            text=True)
    built = 0  # every worker prints a line once its facet snapshot is built
    while built < workers:
        line = proc.stderr.readline()
        if not line:
            raise RuntimeError("server did not start")
        sys.stderr.write(line)
        built += "facet snapshot" in line
    threading.Thread(target=lambda: [sys.stderr.write(x) for x in proc.stderr],
                     daemon=True).start()
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/sources.json", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def load(port: int, clients: int, per_client: int) -> dict[str, list]:
    """Each client's requests, one after the other; the latencies by kind, and every request
    as (start offset, latency, path) under "trace"."""
    times: dict[str, list] = {"search": [], "list": [], "trace": []}
    lock = threading.Lock()
    start = time.perf_counter()

    def client(number: int) -> None:
        # http.client on one keep-alive connection (keeping the session cookie, as a browser
        # would): the client shares the server's cores here, and httpx cost about three times
        # more CPU a request.
        rng = random.Random(number)
        http = HTTPConnection("127.0.0.1", port, timeout=60)
        headers: dict[str, str] = {}
        try:
            for path in urls(rng, per_client):
                path = quote(path, safe="/?=&")
                began = time.perf_counter()
                http.request("GET", path, headers=headers)
                response = http.getresponse()
                response.read()
                elapsed = time.perf_counter() - began
                if response.status != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status}")
                cookie = response.getheader("set-cookie")
                if cookie:
                    headers["Cookie"] = cookie.split(";", 1)[0]
                with lock:
                    times["search" if path.startswith("/search") else "list"].append(elapsed)
                    times["trace"].append((began - start, elapsed, path))
        finally:
            http.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) used so far by process ``root`` and its live descendants,
    from /proc (Linux): the server's workers per pass, PostgreSQL's backends."""
    parents, times = {}, {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        # own user + system time and that of its children waited for (a closed connection's
        # backend ends: its time moves to the postmaster's children columns)
        times[int(entry.name)] = sum(int(f) for f in fields[11:15]) / tick
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(times.get(pid, 0.0) for pid in tree)


def postmaster_pid(url: str) -> int | None:
    """The PostgreSQL server's pid (its backends are its children), when the bench started it."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            folder = conn.execute(text("SHOW data_directory")).scalar()
        return int((Path(folder) / "postmaster.pid").read_text().split()[0])
    except Exception:  # noqa: BLE001 - not ours or not readable: not reported
        return None
    finally:
        engine.dispose()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else 0.0


def explain(url: str) -> None:
    """Time each bench query's capped match list (cold) and, on PostgreSQL, EXPLAIN ANALYZE the
    index queries behind it, capped (``ORDER BY id DESC LIMIT``) and whole."""
    from sqlalchemy.dialects import postgresql

    from cyberline.store import search

    store = Store.open(url)
    with store.session() as session:
        pg = session.get_bind().dialect.name == "postgresql"
        for q in QUERIES:
            wall, cpu = time.perf_counter(), time.process_time()
            ids, more = search.capped_matching_ids(session, q)
            print(f"  capped matches {q!r}: {len(ids)}{'+' if more else ''} in "
                  f"{(time.perf_counter() - wall) * 1000:.0f} ms wall, "
                  f"{(time.process_time() - cpu) * 1000:.0f} ms CPU")
            if not pg:
                continue
            for alternatives in search._terms(session, q):
                for ids_query in alternatives:
                    for query in (search._newest(ids_query, search.MATCH_CAP + 1), ids_query):
                        sql = str(query.compile(dialect=postgresql.dialect(),
                                                compile_kwargs={"literal_binds": True}))
                        plan = session.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + sql))
                        print("    " + sql.replace("\n", " "))
                        print("\n".join("      " + row[0] for row in plan))
    store.close()


def KeptCluster(folder: Path):
    """A PostgresCluster whose data folder outlives the run (``--pg-dir``): started again on
    the next run, with the database generated before (a marker file says it was finished)."""
    from tests.support.postgres import PostgresCluster, _free_port

    class Kept(PostgresCluster):
        def __init__(self) -> None:
            super().__init__()
            import shutil
            shutil.rmtree(self.root, ignore_errors=True)
            self.root, self.data = folder, folder / "data"
            folder.mkdir(parents=True, exist_ok=True)
            if self.as_root:
                shutil.chown(folder, "postgres", "postgres")
                os.chmod(folder, 0o755)

        def start_or_reuse(self, extra: str = "") -> bool:
            """True when the folder holds a finished bench database (then it is reused)."""
            if not (self.data / "PG_VERSION").exists():
                self.start()
                return False
            self.port = _free_port()
            self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.root / "log"), "-w",
                      "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                            f"-c fsync=off -c max_connections=200 {extra}", "start")
            return (self.root / "generated").exists()

        def create_database(self, name: str) -> str:
            import psycopg

            with psycopg.connect(f"host=127.0.0.1 port={self.port} user=cyberline "
                                 "dbname=postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')  # a half-generated one
            return super().create_database(name)

        def mark_generated(self) -> None:
            (self.root / "generated").write_text("bench database complete\n")

        def stop(self) -> None:
            try:
                self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "stop")
            except Exception:  # noqa: BLE001
                pass

    return Kept()


def prewarm(url: str) -> None:
    """Load the tables the pages read, and their indexes, into PostgreSQL's buffer cache."""
    import psycopg

    began = time.perf_counter()
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        rows = conn.execute(
            "SELECT c.relname, pg_prewarm(c.oid) FROM pg_class c "
            "WHERE c.relname IN ('incidents', 'incident_search', 'incident_countries') "
            "OR c.oid IN (SELECT indexrelid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname IN ('incidents', 'incident_search', 'incident_countries'))").fetchall()
    blocks = sum(r[1] for r in rows)
    print(f"pg_prewarm: {len(rows)} relations, {blocks * 8 / 1024:.0f} MB in "
          f"{time.perf_counter() - began:.1f} s")


def run(backend: str, url: str, n: int, clients: int, per_client: int, workers: int,
        reuse: bool = False, show_plans: bool = False, generated=None,
        generate_only: bool = False, slowest: int = 0) -> None:
    began = time.perf_counter()
    if reuse:  # a store generated by an older version: apply the migrations since (web3c...)
        Store.open(url).close()
    else:
        store = Store.open(url)
        generate(store, n)
        store.close()
        if generated:
            generated()
    if generate_only:
        print(f"{backend}: N={n:,} incidents generated+indexed in "
              f"{time.perf_counter() - began:.0f} s")
        return
    built = time.perf_counter() - began
    if show_plans:
        explain(url)
    pg = postmaster_pid(url) if backend == "postgresql" else None
    port = free_port()
    cpu_before = _children_cpu()
    started = time.perf_counter()
    shared = tempfile.mkdtemp(prefix="cyberline-web-")
    proc = serve(url, port, workers, shared)
    ready = time.perf_counter() - started
    wall_before, client_cpu_before = time.perf_counter(), time.process_time()
    try:
        passes = []
        for _ in range(2):  # caches empty for most keys; then the same URL mix again
            pass_cpu = (tree_cpu(proc.pid), tree_cpu(pg) if pg else 0.0, time.process_time())
            began_pass = time.perf_counter()
            passes.append(load(port, clients, per_client))
            passes[-1]["cpu"] = [tree_cpu(proc.pid) - pass_cpu[0],
                                 (tree_cpu(pg) - pass_cpu[1]) if pg else None,
                                 time.process_time() - pass_cpu[2],
                                 time.perf_counter() - began_pass, os.getloadavg()[0]]
        cold, warm = passes
        wall = time.perf_counter() - wall_before
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(shared, ignore_errors=True)
    server_cpu = _children_cpu() - cpu_before
    print(f"{backend}: N={n:,} incidents {'reused' if reuse else 'generated+indexed'} in "
          f"{built:.0f} s; server ready in {ready:.1f} s; {workers} worker(s); "
          f"{clients} clients x {per_client} requests per pass")
    print(f"  both passes: wall {wall:.1f} s, server CPU (incl. start-up) "
          f"{server_cpu:.1f} s, client CPU {time.process_time() - client_cpu_before:.1f} s, "
          f"load average {os.getloadavg()[0]:.2f}")
    for name, times in (("first pass", cold), ("second pass", warm)):
        server, database, client, pass_wall, loadavg = times["cpu"]
        requests = len(times["search"]) + len(times["list"])
        print(f"  {name:11s} wall {pass_wall:.1f} s, server CPU {server:.2f} s "
              f"({server / requests * 1000:.1f} ms a request)"
              + (f", PostgreSQL CPU {database:.2f} s" if database is not None else "")
              + f", client CPU {client:.2f} s, load average {loadavg:.2f}")
        for kind in ("search", "list"):
            values = times[kind]
            print(f"  {name:11s} {kind:6s} n={len(values):4d} p50={pct(values, 50):7.1f} ms "
                  f"p95={pct(values, 95):7.1f} ms max={max(values) * 1000:7.1f} ms")
        for offset, took, path in sorted(times["trace"], key=lambda r: -r[1])[:slowest]:
            print(f"    slow: started at {offset * 1000:6.0f} ms, took {took * 1000:6.0f} ms  "
                  f"{unquote(path)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="per client per pass")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--sqlite-file", help="keep the generated SQLite store here and reuse "
                                              "it on the next run (same --n)")
    parser.add_argument("--pg-dir", help="keep the PostgreSQL cluster (and its generated "
                                         "database) in this folder and reuse it on the next run")
    parser.add_argument("--generate-only", action="store_true",
                        help="generate (or find) the stores and stop: for --sqlite-file/--pg-dir")
    parser.add_argument("--pg-warm", action="store_true",
                        help="with --pg-dir: shared_buffers 1GB (the stock 128MB is a toy for a "
                             "million rows) and pg_prewarm of the incident and search tables and "
                             "their indexes before serving, as a long-running server (or "
                             "autoprewarm after a restart) has them; no query of the mix is run")
    parser.add_argument("--slowest", type=int, default=0, metavar="N",
                        help="print each pass's N slowest requests, with when they started")
    parser.add_argument("--explain", action="store_true",
                        help="time the capped match lists first (PostgreSQL: EXPLAIN ANALYZE)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.backend in ("sqlite", "both"):
            path = Path(args.sqlite_file or Path(tmp) / "bench.sqlite")
            reuse = path.exists()
            run("sqlite", str(path), args.n, args.clients, args.requests, args.workers, reuse,
                args.explain, generate_only=args.generate_only, slowest=args.slowest)
        if args.backend in ("postgresql", "both"):
            from tests.support.postgres import PostgresCluster

            if args.pg_dir:
                cluster = KeptCluster(Path(args.pg_dir))
                reuse = cluster.start_or_reuse("-c shared_buffers=1GB" if args.pg_warm else "")
            else:
                cluster, reuse = PostgresCluster(), False
                cluster.start()
            try:
                url = cluster.url("bench") if reuse else cluster.create_database("bench")
                if args.pg_warm and reuse:
                    prewarm(url)
                run("postgresql", url, args.n, args.clients, args.requests, args.workers,
                    reuse, show_plans=args.explain,
                    generated=getattr(cluster, "mark_generated", None),
                    generate_only=args.generate_only, slowest=args.slowest)
            finally:
                cluster.stop()


if __name__ == "__main__":
    main()
