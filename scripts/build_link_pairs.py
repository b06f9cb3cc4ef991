"""Build the labelled "same incident?" pair set in datasets/links/ from real data.

Sources (see datasets/links/README.md): VERIS Community Database incidents and US HHS OCR breach
reports that describe one breach; hard negatives (one organisation, two incidents; one count and
year, two organisations); two notices of 青梅市 in ja_dev about different incidents.

The labelling rule is deliberately independent of the linker: positives need the same affected
count, submission year within one of the VCDB year, and word overlap of the names (lower-cased
words, Jaccard >= 0.5 or one name's words inside the other's); the linker never sees these labels.

    python scripts/build_link_pairs.py /work/shared/data datasets/links
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path

SEED = 20240601
N_POSITIVE, N_SAME_COUNT_NEG, N_SAME_ORG_NEG = 220, 120, 120
TEXT_CHARS = 400

HHS_TYPES = {"hacking/it incident": "unauthorized_access", "theft": "lost_or_stolen_device",
             "loss": "lost_or_stolen_device", "improper disposal": "other",
             "unauthorized access/disclosure": "unknown"}
VCDB_VARIETIES = [("malware.Ransomware", "ransomware"), ("error.Misdelivery", "misdelivery"),
                  ("error.Misconfiguration", "misconfiguration"), ("error.Loss", "lost_or_stolen_device"),
                  ("physical.Theft", "lost_or_stolen_device"), ("social.Phishing", "phishing"),
                  ("hacking.SQLi", "sql_injection"), ("misuse.", "insider"), ("malware.", "malware"),
                  ("hacking.", "unauthorized_access")]
_STOP = {"the", "of", "and", "inc", "llc", "ltd", "co", "corp", "pc", "pa", "dds", "md", "a", "at",
         "for", "in"}


def words(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in _STOP}


# Checked by hand: the word rule misses these abbreviations of one name (same breach, same count).
SAME_NAME = {frozenset({"Fayetteville VA Medical Center", "Fayetteville VAMC"})}


def names_match(a: str, b: str) -> bool:
    if frozenset({a, b}) in SAME_NAME:
        return True
    x, y = words(a), words(b)
    if not x or not y:
        return False
    return len(x & y) / len(x | y) >= 0.5 or x <= y or y <= x


def hhs_items(path: Path) -> list[dict]:
    items = []
    with path.open(encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            day = datetime.strptime(row["Breach Submission Date"], "%m/%d/%Y").date().isoformat()
            count = int(row["Individuals Affected"] or 0)
            items.append({
                "id": f"hhs-{n:04d}", "source": "hhs_ocr", "language": "en",
                "kind": "incident_notice", "organization": row["Name of Covered Entity"].strip(),
                "disclosure_date": day, "incident_dates": [],
                "affected_persons": count or None,
                "attack_type": HHS_TYPES.get(row["Type of Breach"].split(",")[0].strip().lower(),
                                             "unknown"),
                "is_followup_report": False, "country": ["US"],
                "text": (row["Web Description"] or "")[:TEXT_CHARS]})
    return items


def vcdb_attack(varieties: list[str]) -> str:
    for prefix, attack in VCDB_VARIETIES:
        if any(v.startswith(prefix) for v in varieties):
            return attack
    return "unknown"


def vcdb_items(path: Path) -> list[dict]:
    items = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            v = json.loads(line)
            if not v.get("victim_name") or not v.get("year"):
                continue
            dates = []
            if v.get("month") and v.get("day"):
                try:
                    day = datetime(v["year"], v["month"], v["day"]).date().isoformat()
                    dates = [{"date": day, "role": "occurred"}]
                except ValueError:
                    pass
            items.append({
                "id": f"vcdb-{v['id']}", "source": "vcdb", "language": "en", "kind": "incident_news",
                "organization": v["victim_name"].strip(), "disclosure_date": None,
                "incident_dates": dates, "affected_persons": v.get("data_total") or None,
                "attack_type": vcdb_attack(v.get("action_varieties") or []),
                "is_followup_report": False, "country": v.get("victim_country") or [],
                "text": (v.get("summary") or "")[:TEXT_CHARS], "year": v["year"]})
    return items


def ja_items(root: Path) -> list[dict]:
    """The two 青梅市 notices of ja_dev (different incidents: a hard negative)."""
    out = []
    for line in (root / "ja_dev" / "labels.jsonl").open(encoding="utf-8"):
        label = json.loads(line)
        if label["organization"] != "青梅市":
            continue
        text = (root / "ja_dev" / "notices" / f"{label['id']}.txt").read_text(encoding="utf-8")
        out.append({"id": f"ja-{label['id']}", "source": "ja_dev", "language": "ja",
                    "kind": "incident_notice", "organization": label["organization"],
                    "disclosure_date": label["disclosure_date"],
                    "incident_dates": [{"date": d["date"], "role": d["role"]}
                                       for d in label["incident_dates"]],
                    "affected_persons": label["affected_persons"],
                    "attack_type": label["attack_type"],
                    "is_followup_report": label["is_followup_report"], "country": ["JP"],
                    "text": text.split("\n", 2)[-1][:TEXT_CHARS]})
    return out


def pair(a: dict, b: dict, same: bool, kind: str) -> dict:
    pid = "|".join(sorted((a["id"], b["id"])))
    digest = hashlib.sha1(pid.encode()).hexdigest()
    return {"pair_id": pid, "a": a["id"], "b": b["id"], "same": same, "kind": kind,
            "split": "holdout" if digest[0] in "01234" else "train"}


def build(root: Path) -> tuple[list[dict], list[dict]]:
    rng = random.Random(SEED)
    hhs = hhs_items(root / "training" / "hhs_ocr" / "breach_reports_2009_2019.csv")
    vcdb = vcdb_items(root / "training" / "vcdb" / "incidents.jsonl")
    by_count = defaultdict(list)
    for h in hhs:
        if h["affected_persons"]:
            by_count[h["affected_persons"]].append(h)
    positives, count_negatives = [], []
    for v in vcdb:
        for h in by_count.get(v["affected_persons"] or -1, []):
            if abs(int(h["disclosure_date"][:4]) - v["year"]) > 1:
                continue
            if names_match(v["organization"], h["organization"]):
                positives.append(pair(v, h, True, "vcdb_hhs_same_breach"))
            elif (v["affected_persons"] or 0) >= 100:
                count_negatives.append(pair(v, h, False, "same_count_other_org"))
    # One organisation, two incidents: HHS entities reporting twice, VCDB victims listed twice.
    org_negatives = []
    for source in (hhs, vcdb):
        groups = defaultdict(list)
        for item in source:
            groups[" ".join(sorted(words(item["organization"])))].append(item)
        for group in groups.values():
            found = [pair(a, b, False, "same_org_two_incidents")
                     for i, a in enumerate(group) for b in group[i + 1:]
                     if a["affected_persons"] != b["affected_persons"] and _apart(a, b)]
            # A few per organisation: the VA alone would otherwise fill the set.
            org_negatives.extend(rng.sample(found, min(2, len(found))))
    ja = ja_items(root)
    chosen = (rng.sample(positives, min(N_POSITIVE, len(positives)))
              + rng.sample(count_negatives, min(N_SAME_COUNT_NEG, len(count_negatives)))
              + rng.sample(org_negatives, min(N_SAME_ORG_NEG, len(org_negatives))))
    if len(ja) == 2:
        chosen.append(pair(ja[0], ja[1], False, "same_org_two_incidents_ja"))
    by_id = {item["id"]: item for item in hhs + vcdb + ja}
    used = sorted({p["a"] for p in chosen} | {p["b"] for p in chosen})
    items = [{k: v for k, v in by_id[i].items() if k != "year"} for i in used]
    print(f"candidates: {len(positives)} positives, {len(count_negatives)} same-count negatives, "
          f"{len(org_negatives)} same-org negatives; chose {len(chosen)} pairs over "
          f"{len(items)} reports", file=sys.stderr)
    return items, sorted(chosen, key=lambda p: p["pair_id"])


def _apart(a: dict, b: dict) -> bool:
    """Two reports of one organisation that are clearly two incidents: filed 180+ days apart
    (HHS), or in different years (VCDB, which often gives only the year)."""
    if a.get("disclosure_date") and b.get("disclosure_date"):
        da = datetime.fromisoformat(a["disclosure_date"])
        db = datetime.fromisoformat(b["disclosure_date"])
        return abs((da - db).days) >= 180
    ya = int((a.get("disclosure_date") or str(a.get("year")))[:4])
    yb = int((b.get("disclosure_date") or str(b.get("year")))[:4])
    return abs(ya - yb) >= 1


def main(root: str, out: str) -> None:
    items, pairs = build(Path(root))
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    with (target / "reports.jsonl").open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    with (target / "pairs.jsonl").open("w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*(sys.argv[1:3] if len(sys.argv) >= 3 else ("/work/shared/data", "datasets/links")))
