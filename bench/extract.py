"""Extractor benchmark: throughput, start-up time and peak memory; GiNZA as the Japanese peer.

    PYTHONPATH=src python bench/extract.py [--docs 200] [--ja-dir datasets/ja_dev] [--no-ginza]

Throughput is given per wall-clock second and per CPU second of the process (the machine is
shared: the load average before and after is printed too).  Japanese documents are the ja_dev notices (``datasets/ja_dev`` or ``--ja-dir``), each repeated /
concatenated to about 2,000 characters; English documents are the timeline descriptions in
``datasets/samples``. Throughput is measured in this one process after a warm-up call; start-up
time (import + first extraction, which loads the classifier) in a fresh subprocess; peak memory
with resource.getrusage. GiNZA (``ja-ginza``, the optional ``ginza`` extra) is scored on the same
notices for organisation extraction (its first ORG-like entity vs the label, labelled non-null
only), for dates (the days a timeline needs: labelled incident dates and the notice's own date
where the text states it, against every date entity GiNZA finds, read by cyberline's date
parser; micro P/R/F1 over all notices and over HOLDOUT) and speed; skipped with a message when
it cannot be imported. Prints figures only; the
lead writes bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

FALLBACK_JA = ("このたび、当社のサーバーが第三者による不正アクセスを受け、お客様の個人情報が流出した"
               "可能性があることが判明いたしました。2024年1月16日に異常を検知し、直ちに外部との通信を遮断"
               "しました。対象となる可能性があるのは氏名、住所、電話番号、メールアドレスの1,234名分です。"
               "個人情報保護委員会および警察に報告しております。")


def load_ja(ja_dir: Path, target_chars: int = 2000) -> list[dict]:
    docs = []
    labels_path = ja_dir / "labels.jsonl"
    if labels_path.exists():
        labels = {json.loads(l)["id"]: json.loads(l) for l in labels_path.read_text(encoding="utf-8").splitlines() if l.strip()}
        for path in sorted((ja_dir / "notices").glob("*.txt")):
            lines = path.read_text(encoding="utf-8").split("\n")
            text = "\n".join(lines[2:])
            docs.append({"id": path.stem, "url": lines[0].strip(), "text": text, "label": labels.get(path.stem, {})})
    else:
        print(f"(no {labels_path}: using a built-in Japanese sample, no accuracy figures)")
        docs = [{"id": "sample", "url": None, "text": FALLBACK_JA, "label": {}}]
    for doc in docs:  # pad to ~2,000 characters by repeating the notice
        body = doc["text"]
        padded = body
        while body and len(padded) < target_chars:
            padded += "\n" + body
        doc["padded"] = padded[: max(target_chars, len(body))]
    return docs


def load_en() -> list[dict]:
    from cyberline.classify.data import read_timeline

    return [{"id": i.id, "url": i.url, "text": i.text} for i in read_timeline()]


def throughput(docs: list[dict], key: str, n: int) -> tuple[float, float]:
    """(documents per wall-clock second, documents per CPU second of this process).  On a
    shared machine the wall figure falls with the load; the CPU figure is what one free core
    would do."""
    from cyberline.extract import extract_report

    extract_report(docs[0][key], id="warmup")
    start, cpu = time.perf_counter(), time.process_time()
    for k in range(n):
        doc = docs[k % len(docs)]
        extract_report(doc[key], id=doc["id"], url=doc.get("url"))
    return n / (time.perf_counter() - start), n / (time.process_time() - cpu)


def startup_seconds() -> tuple[float, float]:
    """(wall, CPU) seconds of import + first extraction in a fresh process (CPU counts the
    interpreter's own start too)."""
    code = ("import time; t=time.perf_counter(); from cyberline.extract import extract_report; "
            "extract_report('The hospital was hit by ransomware.', id='x'); "
            "print(time.perf_counter()-t, time.process_time())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def _norm(s):
    return "".join(unicodedata.normalize("NFKC", s or "").split())


def org_accuracy_ours(docs):
    from cyberline.extract import extract_report

    scored = [d for d in docs if d["label"].get("organization")]
    if not scored:
        return None, 0
    ok = sum(_norm(extract_report(d["text"], id=d["id"], url=d["url"]).organization) == _norm(d["label"]["organization"]) for d in scored)
    return ok / len(scored), len(scored)


def _dates_that_matter(label: dict) -> set[str]:
    """The dates a timeline needs from a notice: its labelled incident dates (occurred,
    discovered, contained, reported; day-precise) and its own date where the text states it.
    Roles are left out: GiNZA has none, so both sides are scored on the days alone."""
    days = {d["date"] for d in label.get("incident_dates") or [] if len(d.get("date") or "") == 10}
    if label.get("disclosure_date") and label.get("disclosure_date_source") == "text":
        days.add(label["disclosure_date"])
    return days


def _prf(pairs: list[tuple[set, set]]) -> dict:
    """Micro precision / recall / F1 over (predicted, gold) sets."""
    tp = sum(len(p & g) for p, g in pairs)
    npred, ngold = sum(len(p) for p, _ in pairs), sum(len(g) for _, g in pairs)
    precision = tp / npred if npred else 0.0
    recall = tp / ngold if ngold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": ngold, "predicted": npred}


def _is_holdout(doc_id: str) -> bool:
    import hashlib

    return hashlib.sha1(str(doc_id).encode()).hexdigest()[0] in "01234"


def date_scores_ours(docs) -> dict:
    from cyberline.extract import extract_report

    out = {}
    for part, chosen in (("all", docs), ("holdout", [d for d in docs if _is_holdout(d["id"])])):
        pairs = []
        for d in chosen:
            if not d["label"]:
                continue
            r = extract_report(d["text"], id=d["id"], url=d["url"])
            found = {x.date for x in r.incident_dates if len(x.date or "") == 10}
            if r.disclosure_date and r.evidence_source.get("disclosure_date") == "text":
                found.add(str(r.disclosure_date))
            pairs.append((found, _dates_that_matter(d["label"])))
        out[part] = _prf(pairs)
    return out


def _ginza_days(doc, date_labels) -> set[str]:
    """GiNZA's date entities as days: each span (with an era name just before it, which GiNZA
    leaves out of 「令和6年1月16日」) read by cyberline's Japanese date parser, year-less ones
    taking the year of the first full date GiNZA found in the notice."""
    from cyberline.extract.dates_ja import parse_ja_date

    spans = []
    for ent in doc.ents:
        if ent.label_ in date_labels:
            start = ent.start_char
            for era in ("令和", "平成", "昭和"):
                if doc.text[max(0, start - len(era)):start] == era:
                    start -= len(era)
            spans.append(unicodedata.normalize("NFKC", doc.text[start:ent.end_char]))
    ref = next((d for d in map(parse_ja_date, spans) if d), None)
    return {str(d) for d in (parse_ja_date(span, ref) for span in spans) if d}


def ginza_figures(docs, n):
    try:
        import spacy

        nlp = spacy.load("ja_ginza")
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        print(f"GiNZA: skipped ({type(exc).__name__}: {exc}); install the optional extra: pip install 'cyberline[ginza]'")
        return None
    org_labels = {"ORG", "Company", "Organization", "Corporation_Other", "Government", "School",
                  "Political_Organization", "International_Organization", "Public_Institution"}
    nlp(docs[0]["padded"][:1000])
    start = time.perf_counter()
    for k in range(n):
        nlp(docs[k % len(docs)]["padded"])
    speed = n / (time.perf_counter() - start)
    scored = [d for d in docs if d["label"].get("organization")]
    ok = 0
    for d in scored:
        ents = [e.text for e in nlp(d["text"]).ents if e.label_ in org_labels]
        ok += bool(ents) and _norm(ents[0]) == _norm(d["label"]["organization"])
    date_labels = {"DATE", "Date"}
    dates = {}
    for part, chosen in (("all", docs), ("holdout", [d for d in docs if _is_holdout(d["id"])])):
        dates[part] = _prf([(_ginza_days(nlp(d["text"]), date_labels),
                             _dates_that_matter(d["label"])) for d in chosen if d["label"]])
    return {"docs_per_s": speed, "org_accuracy": ok / len(scored) if scored else None,
            "org_n": len(scored), "dates": dates}


def _rounded(value):
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return round(value, 3) if isinstance(value, float) else value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200, help="documents per throughput run")
    parser.add_argument("--ja-dir", type=Path, default=ROOT / "datasets" / "ja_dev")
    parser.add_argument("--no-ginza", action="store_true")
    args = parser.parse_args()

    ja, en = load_ja(args.ja_dir), load_en()
    figures = {"load_average_1m_before": os.getloadavg()[0]}
    figures["startup_s"], figures["startup_cpu_s"] = startup_seconds()
    figures["ja_docs_per_s"], figures["ja_docs_per_cpu_s"] = throughput(ja, "padded", args.docs)
    figures["ja_avg_chars"] = sum(len(d["padded"]) for d in ja) / len(ja)
    figures["en_docs_per_s"], figures["en_docs_per_cpu_s"] = throughput(en, "text", args.docs * 5)
    figures["en_avg_chars"] = sum(len(d["text"]) for d in en) / len(en)
    figures["ours_org_accuracy"], figures["org_n"] = org_accuracy_ours(ja)
    figures["ours_dates"] = date_scores_ours(ja)
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if not args.no_ginza:
        g = ginza_figures(ja, max(5, args.docs // 20))
        if g:
            figures["ginza"] = g
            figures["speed_ratio_ours_over_ginza"] = figures["ja_docs_per_s"] / g["docs_per_s"]
            if g["org_accuracy"] and figures["ours_org_accuracy"] is not None:
                figures["org_accuracy_ratio_ours_over_ginza"] = figures["ours_org_accuracy"] / g["org_accuracy"]
            if g["dates"]["all"]["f1"]:
                figures["date_f1_ratio_ours_over_ginza"] = (figures["ours_dates"]["all"]["f1"]
                                                            / g["dates"]["all"]["f1"])
            figures["peak_rss_mb_with_ginza"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["load_average_1m_after"] = os.getloadavg()[0]
    for key, value in figures.items():
        if isinstance(value, dict):
            value = json.dumps(_rounded(value))
        print(f"{key:36s} {value:.3f}" if isinstance(value, float) else f"{key:36s} {value}")


if __name__ == "__main__":
    main()
