"""Text features: word 1-2-grams and character 3-5-grams (within words), TF-IDF, l2 per block.

The same analyzers are given to scikit-learn's TfidfVectorizer at training time and used by the
numpy-only :class:`Vectorizer` at prediction time, so predictions need no scikit-learn import
(start-up stays well under 0.5 s) and the model is stored as plain arrays, not pickles.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s+")


def _prepare(text: str) -> str:
    return _DIGIT.sub("0", text.lower())


def word_analyzer(text: str) -> list[str]:
    tokens = _TOKEN.findall(_prepare(text))
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


CHAR_MIN, CHAR_MAX = 3, 5


def char_analyzer(text: str) -> list[str]:
    grams: list[str] = []
    for word in _SPACE.sub(" ", _prepare(text)).split():
        w = f" {word} "
        size = len(w)
        for n in range(CHAR_MIN, CHAR_MAX + 1):
            if n > size:
                break
            grams.extend(w[i:i + n] for i in range(size - n + 1))
    return grams


ANALYZERS = {"word": word_analyzer, "char": char_analyzer}


class Vectorizer:
    """TF-IDF (sublinear tf, l2 norm) over fixed vocabularies, one block per analyzer."""

    def __init__(self, blocks: list[tuple[str, list[str], np.ndarray]]):
        # blocks: (analyzer name, terms in column order, idf per term)
        self.blocks = []
        offset = 0
        for name, terms, idf in blocks:
            index = {t: offset + i for i, t in enumerate(terms)}
            self.blocks.append((ANALYZERS[name], index, np.asarray(idf, dtype=np.float64)))
            offset += len(terms)
        self.size = offset
        self._idf = np.concatenate([b[2] for b in self.blocks]) if self.blocks else np.zeros(0)

    def transform_one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of the sparse feature row of one text."""
        cols: list[int] = []
        vals: list[float] = []
        for analyzer, index, _idf in self.blocks:
            counts = Counter(analyzer(text))
            start = len(cols)
            for term, count in counts.items():
                j = index.get(term)
                if j is not None:
                    cols.append(j)
                    vals.append(1.0 + math.log(count))
            if len(cols) > start:
                block = np.asarray(vals[start:], dtype=np.float64) * self._idf[cols[start:]]
                norm = math.sqrt(float(block @ block)) or 1.0
                vals[start:] = (block / norm).tolist()
        return np.asarray(cols, dtype=np.int64), np.asarray(vals, dtype=np.float64)
