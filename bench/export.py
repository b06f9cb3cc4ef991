"""Export benchmark: bulk-generate N incidents (Core inserts, one document + report each), then
export them in each format in a fresh process and print time, rows/s and peak RSS.

    PYTHONPATH=src python bench/export.py --n 1000000 [--formats csv,jsonl,stix,misp,veris]
                                          [--db /tmp/bench.sqlite] [--keep]

Exports stream (batches of 1000 incidents), so peak memory should not grow with N.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from cyberline.model import vocabulary
from cyberline.store import Store
from cyberline.store.schema import Document, Incident, IncidentCountry, IncidentReport, Report

CHUNK = 10_000


def generate(store: Store, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    attack, motive = vocabulary("attack_type"), vocabulary("motivation")
    targets = vocabulary("target_class")
    countries = ["JP", "US", "GB", "DE", "FR", "KR", "AU", "CA"]
    start, now = date(2015, 1, 1), datetime(2024, 1, 1)
    with store.engine.begin() as conn:
        for base in range(0, n, CHUNK):
            incidents, docs, reports, links, ccs = [], [], [], [], []
            for i in range(base + 1, min(base + CHUNK, n) + 1):
                day = start + timedelta(days=rng.randrange(3650))
                cs = rng.sample(countries, rng.choice((1, 1, 1, 2)))
                org = f"Organisation {i}"
                fields = dict(organization=org, org_key=f"organisation{i}", disclosure_date=day,
                              attack_type=rng.choice(attack), motivation=rng.choice(motive),
                              target_class=rng.choice(targets), country=cs[0], countries=cs,
                              affected_persons=rng.choice((None, rng.randrange(1, 10**6))),
                              data_categories=["name", "email"], reported_to=[],
                              provenance={}, published=True, link=f"https://news.invalid/{i}",
                              title=f"Incident notice {i}", language="en",
                              description_en=f"{org} discloses an incident.",
                              created_at=now, updated_at=now)
                incidents.append({"id": i, **fields})
                docs.append({"id": i, "url": f"https://news.invalid/{i}", "content_hash": f"{i:064x}",
                             "raw": b"x" * 200, "text": "x" * 200, "title": f"Incident notice {i}",
                             "fetched_at": now, "version": 1})
                data = {"organization": org, "disclosure_date": day.isoformat(),
                        "attack_type": fields["attack_type"], "country": cs}
                reports.append({"id": i, "document_id": i, "version": 1, "is_current": True,
                                "provenance": "bench", "data": data, "created_at": now,
                                "kind": "incident_news", "organization": org,
                                "org_key": fields["org_key"], "disclosure_date": day,
                                "attack_type": fields["attack_type"], "is_followup": False})
                links.append({"incident_id": i, "report_id": i, "method": "new", "linked_at": now})
                ccs += [{"incident_id": i, "country": c, "disclosure_date": day} for c in cs]
            conn.execute(insert(Incident), incidents)
            conn.execute(insert(Document), docs)
            conn.execute(insert(Report), reports)
            conn.execute(insert(IncidentReport), links)
            conn.execute(insert(IncidentCountry), ccs)


def worker(db: str, fmt: str, out: str) -> None:
    from cyberline.interchange import export

    store = Store.open(db)
    t = time.perf_counter()
    with open(out, "w", encoding="utf-8", newline="") as fh:
        count = export(store, fmt, fh)
    elapsed = time.perf_counter() - t
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"format": fmt, "count": count, "seconds": round(elapsed, 1),
                      "per_second": round(count / elapsed), "peak_rss_mb": round(rss_mb),
                      "bytes": Path(out).stat().st_size}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/cyberline-bench-export.sqlite")
    parser.add_argument("--formats", default="csv,jsonl,stix,misp,veris")
    parser.add_argument("--keep", action="store_true", help="reuse an existing database")
    parser.add_argument("--worker", nargs=2, metavar=("FORMAT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.db, *args.worker)
        return
    db = Path(args.db)
    if not (args.keep and db.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        store = Store.open(db)
        t = time.perf_counter()
        generate(store, args.n)
        print(f"generated {args.n} incidents in {time.perf_counter() - t:.1f} s "
              f"({db.stat().st_size / 2**20:.0f} MiB)")
        store.close()
    for fmt in args.formats.split(","):
        out = f"{db}.{fmt}"
        subprocess.run([sys.executable, __file__, "--db", str(db), "--worker", fmt, out],
                       check=True)
        Path(out).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
