"""Train the English field classifiers from the corpora in ``datasets/`` (``cyberline train``).

scikit-learn is used here only: TF-IDF (word 1-2-grams + char 3-5-grams) and one multinomial
logistic regression per field. The result is written as plain arrays (``model.npz.gz``, loaded
with ``allow_pickle=False``), the vocabularies (``vocab.json.gz``) and ``metadata.json``
(sources, licences, sizes, holdout figures, library versions).
"""

from __future__ import annotations

import gzip
import io
import json
import platform
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from cyberline.classify import cues, data
from cyberline.classify.features import ANALYZERS, CHAR_MAX, CHAR_MIN

FIELDS = ("attack_type", "motivation", "target_class")
MODEL_DIR = Path(__file__).resolve().parent / "model"
FORMAT_VERSION = 2
SEED = 20240601

# Hyper-parameters (chosen by hand on TUNE; see docs/accuracy.md).
WORD_MAX_FEATURES = 15000
CHAR_MAX_FEATURES = 20000
C = {"attack_type": 8.0, "motivation": 4.0, "target_class": 8.0}
CLASS_WEIGHT = {"attack_type": None, "motivation": "balanced", "target_class": None}
# Per-source sample weights: the timeline is the closest to the texts cyberline sees.
SOURCE_WEIGHT = {"vcdb": 1.0, "hhs": 0.5, "timeline": 8.0}
# Weight of training-only labels (HHS's coarse breach types) relative to scored gold labels.
WEAK_WEIGHT = 1.0

SOURCES = [
    {"name": "VERIS Community Database (VCDB)", "file": "datasets/training/vcdb/incidents.jsonl.gz",
     "licence": "CC BY-SA 4.0", "url": "https://github.com/vz-risk/VCDB",
     "credit": "VERIS Community Database"},
    {"name": "US HHS OCR breach reports 2009-2019",
     "file": "datasets/training/hhs_ocr/breach_reports_2009_2019.csv.gz",
     "licence": "public domain (US government work)"},
    {"name": "English cyber attacks timeline, January 2020 (sample)",
     "file": "datasets/samples/hackmageddon_2020-01.csv", "licence": "public sample"},
]


def build_vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return [
        ("word", TfidfVectorizer(analyzer=ANALYZERS["word"], sublinear_tf=True, min_df=2,
                                 max_features=WORD_MAX_FEATURES, dtype=np.float64)),
        ("char", TfidfVectorizer(analyzer=ANALYZERS["char"], sublinear_tf=True, min_df=2,
                                 max_features=CHAR_MAX_FEATURES, dtype=np.float64)),
    ]


def fit_features(texts: list[str]):
    from scipy.sparse import hstack

    vecs = build_vectorizers()
    matrix = hstack([v.fit_transform(texts) for _, v in vecs]).tocsr()
    return vecs, matrix


def transform(vecs, texts):
    from scipy.sparse import hstack

    return hstack([v.transform(texts) for _, v in vecs]).tocsr()


def label_of(item: data.Item, field: str):
    """The training label: the scored gold label, else a weak training-only label."""
    return item.labels.get(field) if field in item.labels else item.weak.get(field)


def fit_field(field: str, matrix, items, rows):
    from sklearn.linear_model import LogisticRegression

    y = [label_of(items[i], field) for i in rows]
    weights = np.array([SOURCE_WEIGHT[items[i].source] * (1.0 if field in items[i].labels else WEAK_WEIGHT)
                        for i in rows])
    model = LogisticRegression(C=C[field], max_iter=300, tol=1e-3,
                               class_weight=CLASS_WEIGHT[field], random_state=SEED)
    model.fit(matrix[rows], y, sample_weight=weights)
    return model


def write_arrays(out_dir: Path, vecs, models) -> tuple[dict[str, list[str]], list[dict]]:
    """Write the vocabularies and int8 weights of ``models`` (``model.npz.gz``, ``vocab.json.gz``);
    returns the class labels per field and the feature blocks (for ``metadata.json``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    vocab: dict[str, list[str]] = {}
    blocks = []
    for name, vec in vecs:
        terms = [None] * len(vec.vocabulary_)
        for term, j in vec.vocabulary_.items():
            terms[j] = term
        vocab[name] = terms
        arrays[f"idf_{name}"] = vec.idf_.astype(np.float32)
        blocks.append({"analyzer": name, "size": len(terms)})
    labels = {}
    for field, model in models.items():
        # (features, classes), int8 with one scale per class: a quarter of float32, same accuracy.
        coef = model.coef_.T.astype(np.float64)
        scale = np.maximum(np.abs(coef).max(axis=0), 1e-12) / 127.0
        arrays[f"coef_{field}"] = np.round(coef / scale).astype(np.int8)
        arrays[f"scale_{field}"] = scale.astype(np.float32)
        arrays[f"intercept_{field}"] = model.intercept_.astype(np.float32)
        labels[field] = [str(c) for c in model.classes_]
        if len(labels[field]) == 2:
            raise RuntimeError(f"{field}: binary models are not supported by the predictor")

    buf = io.BytesIO()
    np.savez(buf, **arrays)
    with gzip.GzipFile(out_dir / "model.npz.gz", "wb", mtime=0) as fh:
        fh.write(buf.getvalue())
    with gzip.GzipFile(out_dir / "vocab.json.gz", "wb", mtime=0) as fh:
        fh.write(json.dumps(vocab, ensure_ascii=False).encode())

    return labels, blocks


def train(out_dir: Path = MODEL_DIR, *, evaluate: bool = True, log=print) -> dict[str, Any]:
    import sklearn

    started = time.time()
    items = data.training_items(FIELDS)
    texts = [i.text for i in items]
    log(f"training on {len(items)} TUNE items ({dict(Counter(i.source for i in items))})")
    vecs, matrix = fit_features(texts)
    models = {}
    counts = {}
    for field in FIELDS:
        rows = [k for k, item in enumerate(items) if label_of(item, field) is not None]
        models[field] = fit_field(field, matrix, items, rows)
        counts[field] = len(rows)
        log(f"  {field}: {len(rows)} items, {len(models[field].classes_)} classes")

    labels, blocks = write_arrays(out_dir, vecs, models)

    metadata: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "model_version": datetime.now(timezone.utc).strftime("%Y.%m.%d"),
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "language": "en",
        "fields": FIELDS,
        "labels": labels,
        "blocks": blocks,
        "features": {"word_ngrams": [1, 2], "char_ngrams": [CHAR_MIN, CHAR_MAX],
                     "tf": "sublinear", "norm": "l2 per block", "digits": "mapped to 0"},
        "classifier": {"type": "multinomial logistic regression", "C": C,
                       "class_weight": CLASS_WEIGHT, "source_weight": SOURCE_WEIGHT,
                       "weak_label_weight": WEAK_WEIGHT, "seed": SEED,
                       "weights": "int8, one float32 scale per class"},
        "cues": {"module": "cyberline.classify.cues", "boost": cues.BOOST},
        "sources": SOURCES,
        "credit": "Trained in part on the VERIS Community Database (CC BY-SA 4.0), "
                  "https://github.com/vz-risk/VCDB",
        "split": "HOLDOUT when sha1(str(id)).hexdigest()[0] in '01234'; trained on TUNE only, "
                 "after de-duplication and removal of texts that also occur in HOLDOUT",
        "training_items": {"total": len(items), "by_source": dict(Counter(i.source for i in items)),
                           "by_field": counts},
        "versions": {"scikit-learn": sklearn.__version__, "numpy": np.__version__,
                     "python": platform.python_version()},
        "train_seconds": round(time.time() - started, 1),
    }
    write = lambda: (out_dir / "metadata.json").write_text(
        json.dumps(metadata, indent=2, ensure_ascii=False) + "\n")
    write()
    # The numpy predictor must agree with scikit-learn on the model just trained.
    from cyberline.classify import reload_model

    predictor = reload_model(out_dir)
    sample = texts[:: max(1, len(texts) // 300)]
    sk = {f: models[f].predict(transform(vecs, sample)) for f in FIELDS}
    for k, text in enumerate(sample):
        ours = predictor.predict(text)
        for f in FIELDS:
            if ours[f][0] != sk[f][k] and ours[f][1] > 0.51:
                raise RuntimeError(f"predictor disagrees with scikit-learn on {f}: {text[:80]!r}")
    if evaluate:
        from cyberline.evaluate.classifier import holdout_figures

        metadata["holdout"] = holdout_figures()
        write()
    log(f"model written to {out_dir} in {time.time() - started:.1f}s")
    return metadata
