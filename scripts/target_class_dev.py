"""DEV figures for the English target_class (issue 3, `en-target`): a model trained by
`cyberline train`'s code on TUNE minus DEV, then the extractor and the classifier alone on DEV.

DEV = TUNE items with sha1(id)[1] in "0123" (docs/accuracy.md). Items are scored one by one
(VCDB reuses a few ids).

    PYTHONPATH=src python scripts/target_class_dev.py train /tmp/devmodel   # ~45 s of CPU
    PYTHONPATH=src python scripts/target_class_dev.py eval /tmp/devmodel [errors.json]
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path


def is_dev(item_id) -> bool:
    return hashlib.sha1(str(item_id).encode()).hexdigest()[1] in "0123"


def train_dev(out: str) -> None:
    from cyberline.classify import data, train

    everything = data.training_items

    def without_dev(fields=train.FIELDS):
        return [i for i in everything(fields) if not is_dev(i.id)]

    data.training_items = without_dev
    train.train(Path(out), evaluate=False)


def evaluate(model_dir: str, dump: str | None = None) -> None:
    from cyberline.classify import data, predict_fields, reload_model
    from cyberline.extract import extract_report

    reload_model(Path(model_dir))
    rows = []
    for name, reader in (("vcdb", data.read_vcdb), ("hhs", data.read_hhs), ("timeline", data.read_timeline)):
        items = [i for i in reader() if i.split == "tune" and is_dev(i.id) and "target_class" in i.labels]
        ok_x = ok_c = 0
        for it in items:
            gold = it.labels["target_class"]
            x = extract_report(it.text, id=it.id, title=None, url=it.url, published=None).to_json()["target_class"]
            c = predict_fields(it.text, "en")["target_class"][0]
            ok_x += x == gold
            ok_c += c == gold
            if x != gold:
                rows.append({"source": name, "id": it.id, "gold": gold, "extractor": x, "classifier": c,
                             "native": it.native.get("victim_industry") or it.native.get("target_class")
                             or it.native.get("entity_type"), "text": it.text[:300]})
        print(f"{name}: n={len(items)} extractor={ok_x / len(items):.3f} classifier={ok_c / len(items):.3f}")
    if dump:
        Path(dump).write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("train", "eval"):
        sys.exit(__doc__)
    if sys.argv[1] == "train":
        train_dev(sys.argv[2])
    else:
        evaluate(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
