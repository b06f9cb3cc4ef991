"""Score extractor output (contract JSON dicts) against gold labels, field by field.

Conventions (ja_dev README): ``organization`` is scored for accuracy only where the label is
non-null, and separately for null-correctness (items labelled null: share predicted null);
``affected_persons`` / ``affected_orgs`` only where labelled; lists by micro precision/recall/F1;
``incident_dates`` matched on (date, role). ``motivation`` also gets macro-F1 over the four
malicious motivations; ``attack_type`` a confusion matrix and, for corpora with a coarser
vocabulary of their own (timeline, HHS, VCDB), accuracy in that vocabulary (``native``).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from cyberline.evaluate.datasets import EvalItem
from cyberline.evaluate.metrics import confusion, macro_f1, prf, set_counts

SINGLE_FIELDS = ("kind", "disclosure_date", "attack_type", "cause_category_jnsa", "motivation",
                 "target_class", "is_followup_report")
ONLY_WHERE_LABELLED = ("affected_persons", "affected_orgs")
LIST_FIELDS = ("country", "data_categories", "reported_to", "incident_dates")
FOUR_MOTIVATIONS = ("cybercrime", "hacktivism", "cyber_espionage", "cyber_warfare")


def _norm_org(value: Any) -> str | None:
    if value is None:
        return None
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).casefold()


def _list_values(field: str, value: Any) -> list:
    if not value:
        return []
    if field == "incident_dates":
        return [(d.get("date"), d.get("role")) for d in value if isinstance(d, dict)]
    return list(value)


def _evidence_text(item: EvalItem, pred: dict, field: str) -> str | None:
    span = (pred.get("evidence") or {}).get(field)
    if isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(x, int) for x in span):
        return item.text[span[0]:span[1]]
    return None


def score(items: list[EvalItem], predictions: dict[str, dict] | list[dict], *,
          worst: int = 10) -> dict[str, Any]:
    """``predictions``: id -> contract JSON of the extractor's Report for that item, or a list of
    them in the order of ``items`` (VCDB reuses a few incident ids for different incidents: 11
    ids, 87 summaries; keyed by id, one summary's report was scored against the others' gold)."""
    fields: dict[str, dict[str, Any]] = {}
    errors: list[dict[str, Any]] = []
    golds: dict[str, list] = {}
    preds: dict[str, list] = {}

    def single(field: str, item: EvalItem, gold: Any, pred: dict) -> None:
        value = pred.get(field)
        golds.setdefault(field, []).append(gold)
        preds.setdefault(field, []).append(value)
        if value != gold:
            errors.append({"id": item.id, "field": field, "gold": gold, "predicted": value,
                           "confidence": (pred.get("confidence") or {}).get(field),
                           "evidence": _evidence_text(item, pred, field)})

    list_counts: dict[str, list[int]] = {}
    org = {"n": 0, "correct": 0, "null_n": 0, "null_correct": 0}
    native = {"n": 0, "correct": 0}
    for k, item in enumerate(items):
        pred = (predictions[k] if isinstance(predictions, list) else predictions.get(item.id)) or {}
        gold = item.gold
        for field in SINGLE_FIELDS:
            if field in gold and gold[field] is not None:
                single(field, item, gold[field], pred)
        for field in ONLY_WHERE_LABELLED:
            if gold.get(field) is not None:
                single(field, item, gold[field], pred)
        if "organization" in gold:
            if gold["organization"] is None:
                org["null_n"] += 1
                org["null_correct"] += pred.get("organization") is None
            else:
                org["n"] += 1
                ok = _norm_org(pred.get("organization")) == _norm_org(gold["organization"])
                org["correct"] += ok
                if not ok:
                    errors.append({"id": item.id, "field": "organization", "gold": gold["organization"],
                                   "predicted": pred.get("organization"),
                                   "confidence": (pred.get("confidence") or {}).get("organization"),
                                   "evidence": _evidence_text(item, pred, "organization")})
        for field in LIST_FIELDS:
            if field in gold:
                tp, fp, fn = set_counts(_list_values(field, gold[field]), _list_values(field, pred.get(field)))
                c = list_counts.setdefault(field, [0, 0, 0, 0])
                c[0] += tp; c[1] += fp; c[2] += fn; c[3] += 1
        if item.native and "attack_type" in pred:
            from cyberline.evaluate.classifier import _native_ok
            from cyberline.classify.data import Item

            ok = _native_ok(Item(item.id, item.text, item.source, dict(item.gold), item.native),
                            pred.get("attack_type") or "unknown")
            if ok is not None:
                native["n"] += 1
                native["correct"] += ok

    for field, gold in golds.items():
        pred = preds[field]
        fields[field] = {"kind": "accuracy", "n": len(gold),
                         "accuracy": sum(g == p for g, p in zip(gold, pred)) / len(gold)}
    if "motivation" in golds:
        fields["motivation"]["macro_f1_four"] = macro_f1(golds["motivation"], preds["motivation"], FOUR_MOTIVATIONS)
    if "attack_type" in golds:
        fields["attack_type"]["confusion"] = confusion(golds["attack_type"], preds["attack_type"])
    if native["n"]:
        fields.setdefault("attack_type", {"kind": "accuracy"})
        fields["attack_type"]["native_n"] = native["n"]
        fields["attack_type"]["native_accuracy"] = native["correct"] / native["n"]
    if org["n"] or org["null_n"]:
        fields["organization"] = {
            "kind": "accuracy", "n": org["n"],
            "accuracy": org["correct"] / org["n"] if org["n"] else None,
            "null_n": org["null_n"],
            "null_accuracy": org["null_correct"] / org["null_n"] if org["null_n"] else None,
        }
    for field, (tp, fp, fn, n) in list_counts.items():
        p, r, f = prf(tp, fp, fn)
        fields[field] = {"kind": "prf", "n": n, "tp": tp, "fp": fp, "fn": fn,
                         "precision": p, "recall": r, "f1": f}
    errors.sort(key=lambda e: -(e["confidence"] if isinstance(e["confidence"], (int, float)) else 0.0))
    return {"items": len(items), "fields": fields, "worst_errors": errors[:worst],
            "error_count": len(errors)}


def run_extractor(items: list[EvalItem]) -> list[dict]:
    """Predictions of ``cyberline.extract.extract_report`` for each item, in the items' order
    (not keyed by id: VCDB reuses ids)."""
    from cyberline.extract import extract_report

    return [extract_report(item.text, id=item.id, title=None, url=item.url, published=None).to_json()
            for item in items]


def evaluate(items: list[EvalItem], split: str = "all", *, worst: int = 10) -> dict[str, Any]:
    if split != "all":
        items = [i for i in items if i.split == split]
    result = score(items, run_extractor(items), worst=worst)
    result["split"] = split
    return result
