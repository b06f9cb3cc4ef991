"""Benchmark: link N new reports into a SQLite store that already holds about N incidents.

    PYTHONPATH=src python bench/link.py [N] [DB_PATH]      (N defaults to 100,000)

The synthetic data imitate what the pipeline sees (the mix is printed, so the linking outcome can
be checked against it):

* organisations: drawn from a pool of 20·N invented names (Japanese 3-kanji + business word,
  English 3-syllable + business word), written in legal-form variants (株式会社 / (株) / none,
  Inc. / Co., Ltd. / LLC / none) that share one organisation key. Most reports name an
  organisation no other report names; similar-looking names occur by chance, as in real data.
* fresh (about 60% of the new reports): a first report of a new incident.
* follow-ups (30%): a 第2報 or a news item about an incident already in the store: same
  organisation (possibly another legal-form variant), same incident date and attack type, a
  later disclosure date, usually the same count (a news item sometimes rounds it); 70% carry a
  follow-up marker. These should join their incident automatically.
* repeat (10%): the same organisation, another incident (another date, attack and count). These
  should become new incidents; some land in the review queue, which is what review is for.

The starting store is made the same way (75% fresh, 20% follow-ups, 5% repeats) and linked with
the same code path. Reports are generated as a stream and written with Core executemany inserts
in chunks, so the script itself holds no list of reports. Prints wall-clock time, CPU time and
peak RSS of each step, and the load average.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

from sqlalchemy import func, insert, select

from cyberline.link import link_pending
from cyberline.link.orgkey import org_key
from cyberline.store import Store
from cyberline.store.schema import Document, Incident, Report, ReviewItem

KANJI = list("東西南北大小山川田中森林石松竹梅桜光明朝日月星雲海空青緑赤白金銀富士豊栄和平安泰"
             "新旧高長広美花若葉春秋冬夏神宮")
JA_TAIL = ["商事", "電機", "物流", "製作所", "システム", "ホールディングス", "銀行", "病院", "大学",
           "建設", "食品", "薬品", "工業", "情報サービス", "不動産"]
SYLLABLES = ["ka", "lo", "ven", "tor", "mi", "ra", "sen", "dal", "bri", "co", "nex", "ul", "ta",
             "ver", "gan", "pho", "ri", "zel", "mar", "qui", "den", "sa", "vol", "tri", "ne",
             "lum", "ox", "pel", "ar", "gri", "fen", "ho", "jax", "ki", "ster", "wen", "yo",
             "bel", "cro", "dun"]
EN_TAIL = ["Health", "Bank", "Systems", "Logistics", "Foods", "Medical Center", "University",
           "Insurance", "Energy", "Retail", "Dental", "Labs", "Motors", "Media", "Pharma"]
ATTACKS = ["ransomware", "malware", "unauthorized_access", "misdelivery", "lost_or_stolen_device",
           "phishing", "payment_skimming", "misconfiguration", "unknown"]
START = date(2021, 1, 1)
SPAN_DAYS = 3 * 365


def org_base(org: int) -> tuple[str, bool]:
    """The name of organisation number ``org`` (without legal form) and whether it is Japanese."""
    tail, rest = org % 15, org // 15
    if rest % 2:
        rest //= 2
        a, b, c = rest % 50, rest // 50 % 50, rest // 2500 % 50
        return KANJI[a] + KANJI[b] + KANJI[c] + JA_TAIL[tail], True
    rest //= 2
    a, b, c = rest % 40, rest // 40 % 40, rest // 1600 % 40
    return (SYLLABLES[a] + SYLLABLES[b] + SYLLABLES[c]).capitalize() + " " + EN_TAIL[tail], False


def written(rng: random.Random, org: int) -> str:
    base, ja = org_base(org)
    if ja:
        return rng.choice(["株式会社", "(株)", "", "株式会社 "]) + base
    return base + rng.choice([" Inc.", " Co., Ltd.", "", ", LLC"])


def fresh(seed: int, orgs: int, org: int | None = None) -> dict:
    """A first report of a new incident; a pure function of ``seed`` (regenerated, not stored)."""
    rng = random.Random(seed)
    org = rng.randrange(orgs) if org is None else org
    day = START + timedelta(days=rng.randrange(SPAN_DAYS))
    return {"id": "x", "kind": rng.choice(["incident_notice", "incident_news"]),
            "organization": written(rng, org), "disclosure_date": day.isoformat(),
            "incident_dates": [{"date": (day - timedelta(days=rng.randrange(1, 30))).isoformat(),
                                "role": "discovered"}],
            "attack_type": rng.choice(ATTACKS), "affected_persons": rng.choice(
                [None, rng.randrange(1, 50), rng.randrange(100, 100000)]),
            "is_followup_report": False, "country": ["JP"], "language": "ja", "_org": org}


def followup(rng: random.Random, first: dict) -> dict:
    day = date.fromisoformat(first["disclosure_date"]) + timedelta(days=rng.randrange(1, 40))
    persons = first["affected_persons"]
    if persons and persons >= 1000 and rng.random() < 0.2:
        persons = round(persons, -2)  # news rounds the count
    return {**first, "organization": written(rng, first["_org"]), "disclosure_date": day.isoformat(),
            "is_followup_report": rng.random() < 0.7, "affected_persons": persons,
            "kind": rng.choice(["incident_notice", "incident_news"])}


def stream(rng: random.Random, count: int, first_seed: int, earlier: int, orgs: int,
           p_followup: float, p_repeat: float, mix: Counter) -> Iterator[dict]:
    """``count`` reports: followups of / repeats of the first ``earlier`` fresh seeds, or fresh."""
    for i in range(count):
        x = rng.random()
        if earlier and x < p_followup:
            mix["followup"] += 1
            yield followup(rng, fresh(rng.randrange(earlier), orgs))
        elif earlier and x < p_followup + p_repeat:
            mix["repeat"] += 1
            yield fresh(first_seed + i, orgs, org=fresh(rng.randrange(earlier), orgs)["_org"])
        else:
            mix["fresh"] += 1
            yield fresh(first_seed + i, orgs)


def bulk_store(store: Store, reports: Iterator[dict], tag: str, chunk: int = 5000) -> int:
    """Insert documents and reports with Core executemany (the benchmark times linking)."""
    done = 0
    with store.session() as s:
        while True:
            part = [r for _, r in zip(range(chunk), reports)]
            if not part:
                return done
            docs = []
            for j, r in enumerate(part, done):
                r.pop("_org", None)
                text = f"{r['organization']}は{r['disclosure_date']}に不正アクセスを受けました {tag}{j}"
                docs.append({"url": f"https://bench.invalid/{tag}/{j}", "external_id": None,
                             "content_hash": hashlib.sha256(f"{tag}{j}".encode()).hexdigest(),
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
            done += len(part)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Step:
    def __enter__(self) -> "Step":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.1f} s wall, {self.cpu:.1f} s CPU"


def counts(store: Store) -> tuple[int, int]:
    with store.session() as s:
        return (s.scalar(select(func.count()).select_from(Incident)),
                s.scalar(select(func.count()).select_from(ReviewItem)))


def main(n: int = 100_000, path: str | None = None) -> None:
    rng = random.Random(7)
    orgs = 20 * n
    db = path or str(Path(tempfile.mkdtemp()) / "bench.sqlite")
    store = Store.open(db)
    print(f"load average at start: {os.getloadavg()}")
    base_mix: Counter = Counter()
    with Step() as gen:
        # The starting store: fresh reports of seeds 0..n-1 interleaved with follow-ups/repeats
        # of earlier ones (seeds below the current one).
        bulk_store(store, _starting(rng, n, orgs, base_mix), "a")
    with Step() as base:
        with store.session() as s:
            link_pending(s)
    incidents, base_reviews = counts(store)
    print(f"starting store: {n} reports ({dict(base_mix)}) stored in {gen}, linked into "
          f"{incidents} incidents ({base_reviews} review items) in {base}; "
          f"peak RSS {peak_mb():.0f} MB")
    mix: Counter = Counter()
    fresh_count = base_mix["fresh"]  # seeds 0..fresh_count-1 are incidents of the store
    with Step() as gen2:
        bulk_store(store, stream(rng, n, 10 * n, fresh_count, orgs, 0.30, 0.10, mix), "b")
    rss_before = peak_mb()
    with Step() as step:
        with store.session() as s:
            linked = link_pending(s)
    after, reviews = counts(store)
    reviews -= base_reviews
    print(f"new reports: {linked} ({dict(mix)}) stored in {gen2}")
    print(f"linking {linked} new reports into {incidents} incidents: {step} "
          f"({linked / step.wall:.0f} reports/s wall); {after - incidents} new incidents "
          f"(expected about {mix['fresh'] + mix['repeat']}), {linked - (after - incidents)} joined "
          f"existing ones (expected about {mix['followup']}), {reviews} review items; "
          f"peak RSS {peak_mb():.0f} MB (before linking {rss_before:.0f} MB)")
    print(f"load average at end: {os.getloadavg()}")
    print(json.dumps({"n": n, "base_link_s": round(base.wall, 1), "base_link_cpu_s": round(base.cpu, 1),
                      "link_s": round(step.wall, 1), "link_cpu_s": round(step.cpu, 1),
                      "reports_per_s": round(linked / step.wall), "peak_rss_mb": round(peak_mb()),
                      "incidents_before": incidents, "incidents_after": after,
                      "review_items": reviews, "mix": dict(mix)}))
    store.close()


def _starting(rng: random.Random, n: int, orgs: int, mix: Counter) -> Iterator[dict]:
    """n reports: fresh ones with seeds 0.. and (25%) follow-ups/repeats of earlier fresh ones."""
    seed = 0
    for _ in range(n):
        x = rng.random()
        if seed and x < 0.20:
            mix["followup"] += 1
            yield followup(rng, fresh(rng.randrange(seed), orgs))
        elif seed and x < 0.25:
            mix["repeat"] += 1
            yield fresh(n + seed + mix.total(), orgs, org=fresh(rng.randrange(seed), orgs)["_org"])
        else:
            mix["fresh"] += 1
            yield fresh(seed, orgs)
            seed += 1


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, sys.argv[2] if len(sys.argv) > 2 else None)
