"""Learned classifiers for ``attack_type``, ``motivation`` and ``target_class`` (English).

    >>> from cyberline.classify import predict_fields
    >>> predict_fields("Hackers encrypted the hospital's servers and demanded a ransom.", "en")
    {'attack_type': ('ransomware', 0.9...), 'motivation': ('cybercrime', ...), 'target_class': ('Q', ...)}

The model ships in ``model/`` (plain arrays and JSON, no pickles; see ``train.py`` and its
``metadata.json`` for data sources, licences and holdout figures) and is loaded once, lazily.
Prediction uses numpy only. Texts in other languages than English get ``("unknown", 0.0)``,
``("unknown", 0.0)`` and ``("Z", 0.0)``: the model has seen no such text.
"""

from __future__ import annotations

import gzip
import io
import json
import threading
from pathlib import Path
from typing import Any

import numpy as np

from cyberline.classify.cues import combine, combine_arrays  # noqa: F401 (combine: API)
from cyberline.classify.features import Vectorizer

MODEL_DIR = Path(__file__).resolve().parent / "model"
FORMAT_VERSION = 2
FIELDS = ("attack_type", "motivation", "target_class")
FALLBACK = {"attack_type": ("unknown", 0.0), "motivation": ("unknown", 0.0), "target_class": ("Z", 0.0)}


class ModelError(RuntimeError):
    """The shipped model is missing or was written by an incompatible version: run `cyberline train`."""


class Model:
    def __init__(self, folder: Path = MODEL_DIR):
        folder = Path(folder)
        try:
            self.metadata: dict[str, Any] = json.loads((folder / "metadata.json").read_text())
            with gzip.open(folder / "vocab.json.gz", "rb") as fh:
                vocab = json.loads(fh.read())
            with gzip.open(folder / "model.npz.gz", "rb") as fh:
                arrays = np.load(io.BytesIO(fh.read()), allow_pickle=False)
                arrays = {k: arrays[k] for k in arrays.files}
        except FileNotFoundError as exc:
            raise ModelError(f"no classifier model in {folder} ({exc.filename}): run `cyberline train`") from exc
        if self.metadata.get("format_version") != FORMAT_VERSION:
            raise ModelError(
                f"classifier model format {self.metadata.get('format_version')!r} in {folder} is not "
                f"the supported {FORMAT_VERSION}: run `cyberline train` to rebuild it"
            )
        blocks = [(b["analyzer"], vocab[b["analyzer"]], arrays[f"idf_{b['analyzer']}"])
                  for b in self.metadata["blocks"]]
        self.vectorizer = Vectorizer(blocks)
        # the word block's terms, to name the words that decided an answer (top_terms)
        offset = 0
        self._word_block: tuple[int, list[str]] | None = None
        for name, terms, _idf in blocks:
            if name == "word":
                self._word_block = (offset, list(terms))
            offset += len(terms)
        self._last: tuple[str, tuple[np.ndarray, np.ndarray]] | None = None
        self.labels = {f: list(self.metadata["labels"][f]) for f in FIELDS}
        # One weight matrix for all fields: columns are the fields' classes side by side.
        coefs = [arrays[f"coef_{f}"].astype(np.float32) * arrays[f"scale_{f}"].astype(np.float32)
                 for f in FIELDS]
        if any(c.shape[0] != self.vectorizer.size for c in coefs):
            raise ModelError(f"classifier model in {folder} is inconsistent: run `cyberline train`")
        self.weights = np.ascontiguousarray(np.hstack(coefs))
        self.intercept = np.concatenate([arrays[f"intercept_{f}"] for f in FIELDS]).astype(np.float64)
        bounds = np.cumsum([0] + [c.shape[1] for c in coefs])
        self.slices = {f: slice(bounds[k], bounds[k + 1]) for k, f in enumerate(FIELDS)}
        self._starts = bounds[:-1]
        self._sizes = np.diff(bounds)
        # each feature's mean weight over a field's classes (top_terms: its push towards one class)
        self._mean_weight = {f: self.weights[:, sl].mean(axis=1) for f, sl in self.slices.items()}

    def _features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        last = self._last  # the text just scored is usually the one explained next
        if last is not None and last[0] == text:
            return last[1]
        features = self.vectorizer.transform_one(text)
        self._last = (text, features)
        return features

    def top_terms(self, text: str, wanted: dict[str, str]) -> dict[str, str]:
        """{field: the word or word pair of ``text`` that pushed ``field`` furthest towards the
        label ``wanted[field]`` against the field's other classes}: its TF-IDF value times its
        weight for that label minus its mean weight over the field's labels.  A field no word
        pushed that way is left out."""
        if self._word_block is None:
            return {}
        cols, vals = self._features(text)
        start, terms = self._word_block
        lo, hi = np.searchsorted(cols, (start, start + len(terms)))  # cols are sorted
        cols, vals = cols[lo:hi], vals[lo:hi]
        out: dict[str, str] = {}
        if not len(cols):
            return out
        for field, label in wanted.items():
            if label not in self.labels[field]:
                continue
            column = self.slices[field].start + self.labels[field].index(label)
            push = vals * (self.weights[cols, column] - self._mean_weight[field][cols])
            best = int(push.argmax())
            if push[best] > 0:
                out[field] = terms[int(cols[best]) - start]
        return out

    def scores(self, text: str) -> np.ndarray:
        cols, vals = self._features(text)
        out = self.intercept.copy()
        if len(cols):
            out += vals @ self.weights[cols]
        return out

    def predict(self, text: str) -> dict[str, tuple[str, float]]:
        raw = self.scores(text)
        result = {}
        for field in FIELDS:
            z = raw[self.slices[field]]
            p = np.exp(z - z.max())
            p /= p.sum()
            k = int(p.argmax())
            result[field] = (self.labels[field][k], float(p[k]))
        return result

    def proba_arrays(self, text: str) -> dict[str, np.ndarray]:
        """{field: probabilities in the order of ``self.labels[field]``}."""
        raw = self.scores(text)
        # the three softmaxes in one pass over the concatenated scores
        e = np.exp(raw - np.repeat(np.maximum.reduceat(raw, self._starts), self._sizes))
        p = e / np.repeat(np.add.reduceat(e, self._starts), self._sizes)
        return {field: p[self.slices[field]] for field in FIELDS}

    def proba(self, text: str) -> dict[str, dict[str, float]]:
        return {field: dict(zip(self.labels[field], map(float, p)))
                for field, p in self.proba_arrays(text).items()}


_model: Model | None = None
_lock = threading.Lock()


def get_model() -> Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = Model()
    return _model


def reload_model(folder: Path | None = None) -> Model:
    """Load (again) from ``folder`` (default: the shipped model); later calls use it."""
    global _model
    with _lock:
        _model = Model(folder or MODEL_DIR)
    return _model


def predict_fields(text: str, language: str) -> dict[str, tuple[str, float]]:
    """{field: (value, probability)} for attack_type, motivation and target_class.

    The model's probabilities combined with the English cue rules (``cyberline.classify.cues``).
    """
    if not (language or "").lower().startswith("en") or not (text or "").strip():
        return dict(FALLBACK)
    model = get_model()
    return combine_arrays(model.proba_arrays(text), model.labels, text)


def top_terms(text: str, language: str, wanted: dict[str, str]) -> dict[str, str]:
    """{field: the word or word pair of ``text`` that most made the model answer
    ``wanted[field]``} (English only; see ``Model.top_terms``): the evidence of its answers."""
    if not (language or "").lower().startswith("en") or not (text or "").strip():
        return {}
    return get_model().top_terms(text, wanted)


def model_info() -> dict[str, Any]:
    return get_model().metadata
