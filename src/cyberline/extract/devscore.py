"""Score the extractor per field on the labelled dev sets, on the fixed TUNE/HOLDOUT split.

    PYTHONPATH=src python -m cyberline.extract.devscore [--set ja_dev|en_dev] [--split tune|holdout|all] [--errors]

An item is HOLDOUT when sha1(id)[0] is in "01234" (the split the whole project uses); rules are
written looking at TUNE only.  --errors prints mismatches (use it on TUNE only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

from cyberline.extract import extract_report


def is_holdout(item_id: str) -> bool:
    return hashlib.sha1(item_id.encode()).hexdigest()[0] in "01234"


def _f1(pred: set, gold: set) -> float:
    if not pred and not gold:
        return 1.0
    tp = len(pred & gold)
    if tp == 0:
        return 0.0
    p, r = tp / len(pred), tp / len(gold)
    return 2 * p * r / (p + r)


def load(root: Path, split: str):
    rows = [json.loads(line) for line in (root / "labels.jsonl").open(encoding="utf-8")]
    for row in rows:
        if split == "tune" and is_holdout(row["id"]) or split == "holdout" and not is_holdout(row["id"]):
            continue
        raw = (root / "notices" / f"{row['id']}.txt").read_text(encoding="utf-8")
        url, _, text = raw.partition("\n")
        yield row, url.strip(), text.lstrip("\n")


def score(root: Path, split: str, errors: bool = False) -> dict[str, float]:
    acc: dict[str, list[float]] = {}

    def add(field: str, value: float):
        acc.setdefault(field, []).append(value)

    t0 = time.perf_counter()
    n = 0
    for gold, url, text in load(root, split):
        n += 1
        rep = extract_report(text, id=gold["id"], url=url).to_json()
        checks = {
            "attack_type": rep["attack_type"] == gold["attack_type"],
            "cause_category_jnsa": rep["cause_category_jnsa"] == gold["cause_category_jnsa"],
            "organization": rep["organization"] == gold["organization"],
            "is_followup_report": rep["is_followup_report"] == gold["is_followup_report"],
        }
        if gold.get("disclosure_date_source") == "text" or (gold["disclosure_date"] and gold.get("disclosure_date_source") != "url"):
            checks["disclosure_date(text)"] = rep["disclosure_date"] == gold["disclosure_date"]
        if gold["affected_persons"] is not None:
            checks["affected_persons(stated)"] = rep["affected_persons"] == gold["affected_persons"]
        checks["affected_persons(all)"] = rep["affected_persons"] == gold["affected_persons"]
        checks["affected_orgs(all)"] = rep["affected_orgs"] == gold["affected_orgs"]
        for name, ok in checks.items():
            add(name, float(ok))
        pairs = {(d["date"], d["role"]) for d in rep["incident_dates"]}
        gpairs = {(d["date"], d["role"]) for d in gold["incident_dates"]}
        f1s = {
            "incident_dates_F1(date,role)": _f1(pairs, gpairs),
            "incident_dates_F1(date)": _f1({p[0] for p in pairs}, {g[0] for g in gpairs}),
            "data_categories_F1": _f1(set(rep["data_categories"]), set(gold["data_categories"])),
            "reported_to_F1": _f1(set(rep["reported_to"]), set(gold["reported_to"])),
        }
        for name, v in f1s.items():
            add(name, v)
        if errors:
            bad = [k for k, ok in checks.items() if not ok] + [k for k, v in f1s.items() if v < 1 and "(date)" not in k]
            if bad:
                print(f"--- {gold['id']}")
                for k in bad:
                    key = k.split("(")[0].replace("_F1", "")
                    print(f"   {k}: got {rep.get(key)!r} want {gold.get(key)!r}")
    dt = time.perf_counter() - t0
    out = {k: sum(v) / len(v) for k, v in acc.items()}
    out["_n"] = n
    out["_docs_per_s"] = n / dt if dt else 0
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default="ja_dev")
    ap.add_argument("--split", default="tune", choices=["tune", "holdout", "all"])
    ap.add_argument("--root", default="datasets")
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args(argv)
    result = score(Path(args.root) / args.set, args.split, args.errors)
    for k, v in result.items():
        print(f"{k:32s} {v:.3f}" if isinstance(v, float) else f"{k:32s} {v}")


if __name__ == "__main__":
    main()
