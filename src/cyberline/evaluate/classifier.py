"""Holdout figures of the field classifier alone (and of a naive keyword baseline).

``holdout_figures()`` scores ``cyberline.classify.predict_fields`` on the HOLDOUT items of the
VCDB, HHS and timeline corpora; the figures are written into the model's metadata.json by
``cyberline train`` and quoted in docs/accuracy.md.

attack_type is scored twice: ``strict`` (our value = the gold value mapped through the crosswalk)
and ``native``, in the source's own, coarser vocabulary: for the timeline, the prediction is right
when the technique crosswalk pairs it with the row's Attack value (ransomware ~ "Malware"); for
HHS, when it pairs with one of the row's breach types (all rows, not only Theft/Loss); for VCDB,
when it is the mapping of any one of the incident's action varieties.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cyberline.classify import data
from cyberline.evaluate.metrics import accuracy, macro_f1
from cyberline.taxonomy.crosswalk import crosswalk

FOUR_MOTIVATIONS = ("cybercrime", "hacktivism", "cyber_espionage", "cyber_warfare")

# The naive baseline: a handful of keywords per attack type, first match wins.
BASELINE_KEYWORDS: list[tuple[str, str]] = [
    ("ransomware", r"ransom|encrypt"),
    ("ddos", r"ddos|denial[- ]of[- ]service"),
    ("sql_injection", r"sql injection|sqli\b"),
    ("defacement", r"defac"),
    ("payment_skimming", r"skimm|magecart|card reader|payment (page|form)"),
    ("business_email_compromise", r"wire transfer|business email compromise|\bbec\b|ceo fraud"),
    ("phishing", r"phish"),
    ("account_takeover", r"hijack|compromised account|credential|password|logged in"),
    ("misdelivery", r"mailed to the wrong|sent to the wrong|misdirect|wrong address|inadvertently (sent|mailed|emailed)"),
    ("lost_or_stolen_device", r"stolen|theft|lost|laptop|missing"),
    ("misconfiguration", r"misconfigur|exposed|publicly accessible|unsecured|left open"),
    ("insider", r"employee|former|insider|snoop|without authori[sz]ation"),
    ("vulnerability_exploit", r"vulnerabilit|exploit|zero[- ]day|cve-"),
    ("malware", r"malware|virus|trojan|emotet|backdoor|spyware"),
    ("unauthorized_access", r"hack|breach|unauthori[sz]ed access|intrusion"),
]
_BASELINE = [(label, re.compile(pattern, re.I)) for label, pattern in BASELINE_KEYWORDS]


def keyword_baseline(text: str) -> str:
    for label, pattern in _BASELINE:
        if pattern.search(text):
            return label
    return "unknown"


def _native_ok(item: data.Item, predicted: str) -> bool | None:
    if item.source == "timeline":
        native = item.native.get("attack_type")
        if not native or native == ">1":
            return None
        return predicted == item.labels.get("attack_type") or crosswalk(
            "attack_type", "technique").compatible(predicted, native)
    if item.source == "hhs":
        types = item.native.get("breach_types") or []
        if not types:
            return None
        table = crosswalk("attack_type", "hhs_breach_type")
        return any(table.compatible(predicted, t) for t in types)
    if item.source == "vcdb":
        varieties = item.native.get("action_varieties") or []
        table = crosswalk("attack_type", "veris_action")
        options = {table.to_ours_many([v]) for v in varieties} - {None}
        if not options:
            return None
        return predicted in options
    return None


def score_items(items: list[data.Item], predict: Callable[[str], dict[str, str]]) -> dict:
    """Figures for one corpus; ``predict(text)`` -> {field: value}."""
    preds = [predict(item.text) for item in items]
    out: dict = {"items": len(items)}
    gold_at = [(i, p) for i, p in zip(items, preds) if "attack_type" in i.labels]
    if gold_at:
        out["attack_type"] = {
            "n": len(gold_at),
            "accuracy": accuracy([i.labels["attack_type"] for i, _ in gold_at],
                                 [p["attack_type"] for _, p in gold_at]),
        }
    native = [ok for ok in (_native_ok(i, p["attack_type"]) for i, p in zip(items, preds)) if ok is not None]
    if native:
        out.setdefault("attack_type", {})["native_n"] = len(native)
        out["attack_type"]["native_accuracy"] = sum(native) / len(native)
    for field in ("motivation", "target_class"):
        pairs = [(i.labels[field], p.get(field)) for i, p in zip(items, preds) if field in i.labels]
        if not pairs or all(p is None for _, p in pairs):
            continue
        gold, pred = [g for g, _ in pairs], [p for _, p in pairs]
        out[field] = {"n": len(pairs), "accuracy": accuracy(gold, pred)}
        if field == "motivation":
            present = [m for m in FOUR_MOTIVATIONS if m in gold]
            out[field]["macro_f1_four"] = macro_f1(gold, pred, FOUR_MOTIVATIONS)
            out[field]["macro_f1_present"] = macro_f1(gold, pred, present)
            out[field]["classes_present"] = present
    return out


def holdout_corpora() -> dict[str, list[data.Item]]:
    return {
        "vcdb": [i for i in data.read_vcdb() if i.split == "holdout"],
        "hhs": [i for i in data.read_hhs() if i.split == "holdout"],
        "timeline": [i for i in data.read_timeline() if i.split == "holdout"],
    }


def holdout_figures(corpora: dict[str, list[data.Item]] | None = None) -> dict:
    from cyberline.classify import predict_fields

    def classifier(text: str) -> dict[str, str]:
        return {k: v for k, (v, _p) in predict_fields(text, "en").items()}

    def baseline(text: str) -> dict[str, str]:
        return {"attack_type": keyword_baseline(text)}

    corpora = corpora or holdout_corpora()
    return {
        "classifier": {name: score_items(items, classifier) for name, items in corpora.items()},
        "keyword_baseline": {name: score_items(items, baseline) for name, items in corpora.items()},
    }
