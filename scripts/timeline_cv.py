"""5-fold cross-validation of the English attack_type on TUNE (issue 3, `timeline-attack`).

Folds: fold(id) = int(sha1(id)[8:16], 16) % 5 over the TUNE items of the three corpora (timeline,
VCDB, HHS). For fold k a model is trained by `cyberline train`'s code (same features, same
logistic regressions, same weights unless a variant changes them) on the TUNE training items
that are not in fold k (and whose text is not a fold-k text); the fold's items are then run
through the extractor (`extract_report`) and scored strict and in the source's vocabulary
(`cyberline.evaluate.classifier._native_ok`), as `cyberline eval` does. The keyword baseline is
scored on the same items. HOLDOUT is never read here.

    PYTHONPATH=src python scripts/timeline_cv.py train /tmp/tlcv [variant ...]   # models per fold
    PYTHONPATH=src python scripts/timeline_cv.py eval /tmp/tlcv [variant ...] [--dump errors.json]

Training variants (attack_type only; motivation and target_class are main's in every variant):
  main         main's settings (timeline x8, "Unknown" rows labelled unknown)
  w16 / w4     timeline rows weighted x16 / x4 for attack_type
  unk-drop     timeline "Unknown" rows left out of attack_type training
Prediction variants are named "<training variant>+<flag>" with flags that the eval step sets
on the modules (see PREDICT_FLAGS): main's settings are `main+maincues` (main's attack cues
alone), the branch's `main` (main's model with `cues.TIMELINE_ATTACK_CUES`); `main+boost08`,
`main+floor50`: attack cue boost 0.8, short-description model floor 0.5.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

K = 5


def fold_of(item_id) -> int:
    return int(hashlib.sha1(str(item_id).encode()).hexdigest()[8:16], 16) % K


TRAIN_VARIANTS = {
    "main": {},
    "w16": {"timeline_weight": 16.0},
    "w4": {"timeline_weight": 4.0},
    "unk-drop": {"unknown": "drop"},
    "ransom": {"ransom": True},
    "ransom-unk-drop": {"ransom": True, "unknown": "drop"},
}

_RANSOM = None


def refined(item) -> str | None:
    """The timeline's Malware rows whose text speaks of ransomware are ``ransomware`` (as VCDB's
    malware incidents are refined in ``data.vcdb_attack_type``); everything else unchanged."""
    global _RANSOM
    import re

    if _RANSOM is None:
        _RANSOM = re.compile(r"ransomware|\bransom\b|\bencrypt", re.I)
    gold = item.labels.get("attack_type")
    if item.source == "timeline" and gold == "malware" and item.native.get("attack_type") == "Malware" \
            and _RANSOM.search(item.text):
        return "ransomware"
    return gold


def _train_fold(args):
    out, k, variants = args
    import numpy as np  # noqa: F401
    from cyberline.classify import data, train

    t0 = time.process_time()
    items = data.training_items(train.FIELDS)
    held = {data.normalize_text(i.text) for i in items if fold_of(i.id) == k}
    items = [i for i in items if fold_of(i.id) != k and data.normalize_text(i.text) not in held]
    vecs, matrix = train.fit_features([i.text for i in items])
    base = {}
    for field in ("motivation", "target_class"):
        rows = [j for j, it in enumerate(items) if train.label_of(it, field) is not None]
        base[field] = train.fit_field(field, matrix, items, rows)
    for name in variants:
        v = TRAIN_VARIANTS[name]
        rows = [j for j, it in enumerate(items) if train.label_of(it, "attack_type") is not None]
        if v.get("unknown") == "drop":
            rows = [j for j in rows if not (items[j].source == "timeline"
                                            and items[j].labels.get("attack_type") == "unknown")]
        saved = dict(train.SOURCE_WEIGHT)
        label_of = train.label_of
        if v.get("ransom"):
            train.label_of = lambda it, f: refined(it) if f == "attack_type" and it.source == "timeline" \
                else label_of(it, f)
        try:
            if "timeline_weight" in v:
                train.SOURCE_WEIGHT["timeline"] = v["timeline_weight"]
            model = train.fit_field("attack_type", matrix, items, rows)
        finally:
            train.label_of = label_of
            train.SOURCE_WEIGHT.clear()
            train.SOURCE_WEIGHT.update(saved)
        folder = Path(out) / f"fold{k}" / name
        labels, blocks = train.write_arrays(folder, vecs, {"attack_type": model, **base})
        (folder / "metadata.json").write_text(json.dumps(
            {"format_version": train.FORMAT_VERSION, "labels": labels, "blocks": blocks}))
    return k, time.process_time() - t0


def _main_cues():
    """main's attack cues alone (without ``cues.TIMELINE_ATTACK_CUES``)."""
    from cyberline.classify import cues

    cues.CUES["attack_type"] = list(cues._ATTACK)


def _only_timeline_cue(label):
    """main's attack cues plus the one timeline cue for ``label``."""
    def apply():
        from cyberline.classify import cues

        cues.CUES["attack_type"] = cues._with_timeline_cues(cues._ATTACK)
        cues.CUES["attack_type"] = [c for c in cues.CUES["attack_type"]
                                    if c in cues._ATTACK or c.label == label]
    return apply


# Prediction-time flags: name -> (module, attribute, value) set before predicting, or a callable.
PREDICT_FLAGS: dict[str, list] = {
    "maincues": [_main_cues],
    **{f"only-{label}": [_only_timeline_cue(label)]
       for label in ("payment_skimming", "account_takeover", "vulnerability_exploit", "malware")},
    "boost1": [lambda: __import__("cyberline.classify.cues", fromlist=["BOOST"]).BOOST.__setitem__("attack_type", 1.0)],
    "boost08": [lambda: __import__("cyberline.classify.cues", fromlist=["BOOST"]).BOOST.__setitem__("attack_type", 0.8)],
    "floor50": [("cyberline.extract.classify_fields", "DESCRIPTION_MODEL_FLOOR", 0.5)],
}


def _eval_fold(args):
    out, k, variant, dump = args
    import importlib

    from cyberline.classify import data, reload_model
    from cyberline.evaluate.classifier import _native_ok, keyword_baseline
    from cyberline.extract import extract_report

    train_name, *flags = variant.split("+")
    for flag in flags:
        for action in PREDICT_FLAGS[flag]:
            if callable(action):
                action()
            else:
                mod, attr, value = action
                setattr(importlib.import_module(mod), attr, value)
    reload_model(Path(out) / f"fold{k}" / train_name)
    tune = {data.normalize_text(i.text) for i in data.training_items(("attack_type",))}
    res = []
    for reader in (data.read_timeline, data.read_vcdb, data.read_hhs):
        for it in reader():
            if it.split != "tune" or fold_of(it.id) != k or data.normalize_text(it.text) not in tune:
                continue
            rep = extract_report(it.text, id=it.id, title=None, url=it.url, published=None).to_json()
            pred = rep.get("attack_type") or "unknown"
            base = keyword_baseline(it.text)
            gold = it.labels.get("attack_type")
            row = {"source": it.source, "id": it.id, "gold": gold, "gold_r": refined(it), "pred": pred, "base": base,
                   "native": _native_ok(it, pred), "base_native": _native_ok(it, base),
                   "mot_gold": it.labels.get("motivation"), "mot": rep.get("motivation")}
            if dump and it.source == "timeline":
                row.update(text=it.text, native_gold=it.native.get("attack_type"))
            res.append(row)
    return res


def summarise(rows, label, pred="pred", native="native"):
    """One line of strict / native accuracy per corpus for the predictions in ``pred`` (the
    extractor's; ``pred="base", native="base_native"`` for the keyword baseline)."""
    by = defaultdict(list)
    for r in rows:
        by[r["source"]].append(r)
    line = [f"{label:28s}"]
    for src in ("timeline", "vcdb", "hhs"):
        rs = by[src]
        strict = [r for r in rs if r["gold"] is not None]
        nat = [r for r in rs if r[native] is not None]
        s = sum(r[pred] == r["gold"] for r in strict) / max(1, len(strict))
        n = sum(r[native] for r in nat) / max(1, len(nat))
        extra = ""
        if src == "timeline":
            extra = f" strict-r {sum(r[pred] == r['gold_r'] for r in strict) / max(1, len(strict)):.3f}"
        line.append(f"{src} strict {s:.3f}{extra} native {n:.3f} (n {len(strict)}/{len(nat)})")
    return "  ".join(line)


def summarise_baseline(rows):
    return summarise(rows, "keyword baseline", pred="base", native="base_native")


def main(argv):
    from multiprocessing import Pool

    cmd, out, *rest = argv
    dump = None
    if "--dump" in rest:
        dump = rest[rest.index("--dump") + 1]
        rest = rest[:rest.index("--dump")]
    variants = rest or ["main"]
    t0, c0 = time.time(), time.process_time()
    if cmd == "train":
        with Pool(2) as pool:
            for k, cpu in pool.imap_unordered(_train_fold, [(out, k, variants) for k in range(K)]):
                print(f"fold {k} trained ({cpu:.0f} s CPU)", flush=True)
    else:
        all_rows = {}
        for variant in variants:
            # a fresh pool per variant: the flags change module state in the workers
            with Pool(2) as pool:
                rows = [r for part in pool.map(_eval_fold, [(out, k, variant, dump) for k in range(K)])
                        for r in part]
            all_rows[variant] = rows
            if variant == variants[0]:
                print(summarise_baseline(rows))
            print(summarise(rows, variant), flush=True)
        if dump:
            Path(dump).write_text(json.dumps(all_rows, indent=1, ensure_ascii=False))
    print(f"wall {time.time() - t0:.0f} s (children's CPU not counted in {time.process_time() - c0:.0f} s)")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("train", "eval"):
        sys.exit(__doc__)
    main(sys.argv[1:])
