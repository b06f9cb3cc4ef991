"""Benchmark: link 100,000 new reports into a SQLite store that already has ~100,000 incidents.

Synthetic but realistic reports: organisation names drawn from Japanese and English parts with
legal-form variants ((株), 株式会社, Inc., Co., Ltd.) so that names collide; about a third of the
new reports are follow-ups or news about an existing incident, the rest new incidents. Prints the
time and peak memory of each step.

    PYTHONPATH=src python bench/link.py [N] [DB_PATH]
"""

from __future__ import annotations

import hashlib
import json
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from cyberline.link import link_pending
from cyberline.link.orgkey import org_key
from cyberline.store import Store
from cyberline.store.schema import Document, Incident, Report, ReviewItem

JA = ["東都", "北洋", "大和", "日本", "丸山", "さくら", "みどり", "富士", "中央", "平和", "光", "朝日",
      "青葉", "北斗", "新星", "東邦", "南海", "常盤", "若葉", "旭"]
JA_TAIL = ["商事", "電機", "物流", "製作所", "システム", "ホールディングス", "銀行", "病院", "大学",
           "建設", "食品", "薬品", "工業", "情報サービス", "不動産"]
EN = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
      "Tyrell", "Cyberdyne", "Oscorp", "Wonka", "Gringotts", "Monarch", "Aperture", "Massive",
      "Pied Piper", "Blue Sun", "Virtucon"]
EN_TAIL = ["Health", "Bank", "Systems", "Logistics", "Foods", "Medical Center", "University",
           "Insurance", "Energy", "Retail", "Dental", "Labs", "Motors", "Media", "Pharma"]
ATTACKS = ["ransomware", "malware", "unauthorized_access", "misdelivery", "lost_or_stolen_device",
           "phishing", "payment_skimming", "misconfiguration", "unknown"]


def org_name(rng: random.Random, n: int) -> str:
    """One of ~n organisations, written in one of its legal-form variants."""
    i = rng.randrange(n)
    r = random.Random(i)
    if i % 2:
        base = f"{r.choice(JA)}{r.choice(JA_TAIL)}{i % 997 if i > 600 else ''}"
        return rng.choice(["株式会社", "(株)", "", "株式会社 "]) + base
    base = f"{r.choice(EN)} {r.choice(EN_TAIL)}{' ' + str(i % 991) if i > 600 else ''}"
    return base + rng.choice([" Inc.", " Co., Ltd.", "", ", LLC"])


def make_report(rng: random.Random, orgs: int, start: date) -> dict:
    day = start + timedelta(days=rng.randrange(3 * 365))
    return {"id": "x", "kind": rng.choice(["incident_notice", "incident_news"]),
            "organization": org_name(rng, orgs), "disclosure_date": day.isoformat(),
            "incident_dates": [{"date": (day - timedelta(days=rng.randrange(1, 30))).isoformat(),
                                "role": "discovered"}],
            "attack_type": rng.choice(ATTACKS), "affected_persons": rng.choice(
                [None, rng.randrange(1, 50), rng.randrange(100, 100000)]),
            "is_followup_report": False, "country": ["JP"], "language": "ja"}


def followup(rng: random.Random, first: dict) -> dict:
    day = date.fromisoformat(first["disclosure_date"]) + timedelta(days=rng.randrange(1, 40))
    return {**first, "disclosure_date": day.isoformat(), "is_followup_report": rng.random() < 0.7,
            "kind": rng.choice(["incident_notice", "incident_news"])}


def bulk_store(store: Store, reports: list[dict], tag: str) -> None:
    """Insert documents and reports directly (fast): the benchmark times linking, not storage."""
    with store.session() as s:
        for i in range(0, len(reports), 5000):
            part = reports[i:i + 5000]
            docs = []
            for j, r in enumerate(part):
                text = f"{r['organization']}は{r['disclosure_date']}に不正アクセスを受けました {tag}{i + j}"
                docs.append({"url": f"https://bench.invalid/{tag}/{i + j}", "external_id": None,
                             "content_hash": hashlib.sha256(f"{tag}{i + j}".encode()).hexdigest(),
                             "raw": text.encode(), "text": text, "title": None, "version": 1,
                             "language": "ja"})
            ids = s.scalars(insert(Document).returning(Document.id, sort_by_parameter_order=True),
                            docs).all()
            s.execute(insert(Report), [{
                "document_id": doc_id, "version": 1, "is_current": True, "provenance": "bench",
                "data": r, "kind": r["kind"], "language": "ja", "organization": r["organization"],
                "org_key": org_key(r["organization"]),
                "disclosure_date": date.fromisoformat(r["disclosure_date"]),
                "attack_type": r["attack_type"], "is_followup": r["is_followup_report"]}
                for doc_id, r in zip(ids, part)])


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(n: int = 100_000, path: str | None = None) -> None:
    rng = random.Random(7)
    orgs = n // 2  # ~2 incidents per organisation over three years: many same-name collisions
    start = date(2021, 1, 1)
    db = path or str(Path(tempfile.mkdtemp()) / "bench.sqlite")
    store = Store.open(db)
    existing = [make_report(rng, orgs, start) for _ in range(n)]
    bulk_store(store, existing, "a")
    t = time.perf_counter()
    with store.session() as s:
        link_pending(s)
    base_s = time.perf_counter() - t
    with store.session() as s:
        incidents = s.scalar(select(func.count()).select_from(Incident))
    print(f"existing store: {n} reports linked into {incidents} incidents in {base_s:.1f} s "
          f"(peak RSS {peak_mb():.0f} MB)")
    new = [followup(rng, rng.choice(existing)) if rng.random() < 0.35
           else make_report(rng, orgs, start) for _ in range(n)]
    bulk_store(store, new, "b")
    rss_before = peak_mb()
    t = time.perf_counter()
    with store.session() as s:
        linked = link_pending(s)
    took = time.perf_counter() - t
    with store.session() as s:
        after = s.scalar(select(func.count()).select_from(Incident))
        reviews = s.scalar(select(func.count()).select_from(ReviewItem))
    print(f"linking {linked} new reports into {incidents} incidents: {took:.1f} s "
          f"({linked / took:.0f} reports/s); {after - incidents} new incidents, "
          f"{linked - (after - incidents)} joined existing ones, {reviews} review items; "
          f"peak RSS {peak_mb():.0f} MB (before linking {rss_before:.0f} MB)")
    print(json.dumps({"n": n, "base_link_s": round(base_s, 1), "link_s": round(took, 1),
                      "peak_rss_mb": round(peak_mb()), "incidents_before": incidents,
                      "incidents_after": after, "review_items": reviews}))
    store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, sys.argv[2] if len(sys.argv) > 2 else None)
