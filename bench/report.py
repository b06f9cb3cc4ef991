"""Benchmark: the JSON period report over a large store.

Generates a SQLite store of N incidents (default 1,000,000) spread over 10 years with Core bulk
inserts (not ORM objects), then times ``period_report`` + ``json.dumps`` for one fortnight with
``--compare 2`` (target < 1 s) and for a year (target < 3 s). Prints the figures.

    PYTHONPATH=src python bench/report.py [--incidents 1000000] [--db /tmp/bench.sqlite]

The store is reused when it already holds N incidents (generation takes a few minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from cyberline.analyze import parse_period, period_report
from cyberline.model import vocabulary
from cyberline.store import Store
from cyberline.store.schema import Incident, IncidentCountry

START = date(2013, 1, 1)
DAYS = 3652  # ten years
BATCH = 20_000
COUNTRIES = ["US"] * 40 + ["JP"] * 12 + ["GB"] * 6 + ["DE"] * 4 + ["FR", "CA", "AU", "KR", "IN",
                                                                    "UA", "RU", "BR", "IT", "ES"]


def _incident(rng: random.Random, number: int, attack_types, motivations, classes, causes):
    day = START + timedelta(days=rng.randrange(DAYS))
    countries = [rng.choice(COUNTRIES)] + ([rng.choice(COUNTRIES)] if rng.random() < 0.05 else [])
    countries = list(dict.fromkeys(countries))
    persons = rng.choice([None, None, rng.randrange(1, 2_000_000)])
    amount = rng.randrange(1_000, 50_000_000) if rng.random() < 0.03 else None
    return {
        "id": number,
        "organization": f"Organisation {number}",
        "org_key": f"organisation{number}",
        "disclosure_date": day,
        "occurred_date": day - timedelta(days=rng.randrange(60)) if rng.random() < 0.4 else None,
        "discovered_date": day - timedelta(days=rng.randrange(30)) if rng.random() < 0.3 else None,
        "attack_type": rng.choice(attack_types),
        "motivation": rng.choice(motivations),
        "target_class": rng.choice(classes),
        "country": countries[0],
        "countries": countries,
        "cause_category_jnsa": rng.choice(causes) if "JP" in countries else None,
        "affected_persons": persons,
        "affected_orgs": None,
        "data_categories": rng.sample(["name", "email", "address", "phone"], rng.randrange(3)),
        "amount_lost": {"amount": amount, "currency": "USD", "text": f"${amount}"} if amount else None,
        "amount_usd": float(amount) if amount else None,
        "reported_to": [],
        "language": "ja" if "JP" in countries else "en",
        "link": f"https://example.invalid/{number}",
        "title": f"Incident {number}",
        "published": True,
        "provenance": {},
    }


def generate(store: Store, count: int, seed: int = 1) -> float:
    rng = random.Random(seed)
    attack_types = vocabulary("attack_type")
    motivations = vocabulary("motivation")
    classes = vocabulary("target_class")
    causes = vocabulary("cause_category_jnsa")
    started = time.perf_counter()
    with store.engine.begin() as conn:
        for first in range(1, count + 1, BATCH):
            batch = [_incident(rng, n, attack_types, motivations, classes, causes)
                     for n in range(first, min(first + BATCH, count + 1))]
            conn.execute(insert(Incident), batch)
            conn.execute(insert(IncidentCountry), [
                {"incident_id": row["id"], "country": c, "disclosure_date": row["disclosure_date"]}
                for row in batch for c in row["countries"]])
    return time.perf_counter() - started


def time_report(store: Store, period_text: str, compare: int, runs: int) -> tuple[list[float], dict]:
    period = parse_period(period_text)
    timings, data = [], {}
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        with store.session() as session:
            data = period_report(session, period, compare=compare)
        json.dumps(data, ensure_ascii=False)
        timings.append((time.perf_counter() - started, time.process_time() - cpu))
    return timings, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--db", default="/tmp/cyberline-bench-report.sqlite")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    store = Store.open(args.db)
    with store.session() as session:
        present = session.scalar(select(func.count()).select_from(Incident))
    if present != args.incidents:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
        store = Store.open(args.db)
        seconds = generate(store, args.incidents)
        print(f"generated {args.incidents:,} incidents over 10 years in {seconds:.1f} s "
              f"({args.incidents / seconds:,.0f} rows/s) -> {args.db}")
    else:
        print(f"reusing {args.db} ({present:,} incidents)")

    print(f"machine load average before timing: {os.getloadavg()[0]:.2f} "
          f"({os.cpu_count()} CPUs)")
    for label, text, target in (("fortnight", "2019-07a", 1.0), ("month", "2019-07", None),
                                ("year", "2019", 3.0)):
        timings, data = time_report(store, text, 2, args.runs)
        wall = [t[0] for t in timings]
        cpu = [t[1] for t in timings]
        print(f"{label:9} {text:8} --compare 2: total {data['total']:,}, rows listed "
              f"{data['incidents_listed']:,}; wall first {wall[0]:.3f} s, median "
              f"{statistics.median(wall):.3f} s, min {min(wall):.3f} s; CPU median "
              f"{statistics.median(cpu):.3f} s over {args.runs} runs"
              + (f" (target < {target:g} s)" if target else ""))
    store.close()


if __name__ == "__main__":
    main()
