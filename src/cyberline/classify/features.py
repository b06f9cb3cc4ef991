"""Text features: word 1-2-grams and character 3-5-grams (within words), TF-IDF, l2 per block.

The same analyzers are given to scikit-learn's TfidfVectorizer at training time and used by the
numpy-only :class:`Vectorizer` at prediction time, so predictions need no scikit-learn import
(start-up stays well under 0.5 s) and the model is stored as plain arrays, not pickles.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_DIGIT = re.compile(r"\d")


def _prepare(text: str) -> str:
    return _DIGIT.sub("0", text.lower())


def _word_terms(prepared: str) -> list[str]:
    """Word 1-grams and 2-grams of a prepared text."""
    tokens = _TOKEN.findall(prepared)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


CHAR_MIN, CHAR_MAX = 3, 5


def _char_grams(word: str) -> list[str]:
    """Character 3-5-grams of one whitespace-separated word, padded with a space each side."""
    w = f" {word} "
    size = len(w)
    return [w[i:i + n] for n in range(CHAR_MIN, min(CHAR_MAX, size) + 1)
            for i in range(size - n + 1)]


def find_term(text: str, term: str) -> tuple[int, int] | None:
    """Where a word term of the model (``_word_terms``: a word or word pair, lower-cased, digits
    as 0) first stands in ``text``, as offsets into ``text``; None when it does not, or when
    lower-casing changes the text's length (offsets would not map back)."""
    prepared = _prepare(text)
    if len(prepared) != len(text):
        return None
    m = _term_pattern(term).search(prepared)
    return (m.start(), m.end()) if m else None


@lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    # a pair's words were neighbours once one-letter words were dropped ("wrong a recipient")
    return re.compile(r"\b" + r"(?:\W+\w)*\W+".join(re.escape(word) for word in term.split()) + r"\b")


def word_analyzer(text: str) -> list[str]:
    return _word_terms(_prepare(text))


def char_analyzer(text: str) -> list[str]:
    return [gram for word in _prepare(text).split() for gram in _char_grams(word)]


ANALYZERS = {"word": word_analyzer, "char": char_analyzer}


class Vectorizer:
    """TF-IDF (sublinear tf, l2 norm) over fixed vocabularies, one block per analyzer.

    Prediction does what the analyzers above do, faster: the text is lowered and its digits
    mapped once for both blocks, terms are looked up with ``map(dict.get)`` and counted with
    numpy, and the character n-grams of a word (a word's grams do not depend on its
    neighbours) are looked up once per distinct word and kept in a bounded cache.
    ``tests/classify`` checks that the result equals the analyzers' own TF-IDF."""

    WORD_CACHE = 50_000  # distinct words whose char-gram columns are kept (cleared when full)

    def __init__(self, blocks: list[tuple[str, list[str], np.ndarray]]):
        # blocks: (analyzer name, terms in column order, idf per term)
        self.blocks = []
        offset = 0
        for name, terms, idf in blocks:
            index = {t: offset + i for i, t in enumerate(terms)}
            self.blocks.append((name, index, np.asarray(idf, dtype=np.float64)))
            offset += len(terms)
        self.size = offset
        self._idf = np.concatenate([b[2] for b in self.blocks]) if self.blocks else np.zeros(0)
        self._word_grams: dict[str, list[int]] = {}
        ends = np.cumsum([len(b[1]) for b in self.blocks])
        self._bounds = np.column_stack([ends - [len(b[1]) for b in self.blocks], ends]).ravel() \
            if self.blocks else np.zeros(0, dtype=np.int64)

    def _char_columns(self, word: str, index: dict[str, int]) -> list[int]:
        cols = self._word_grams.get(word)
        if cols is None:
            cols = [j for j in map(index.get, _char_grams(word)) if j is not None]
            if len(self._word_grams) >= self.WORD_CACHE:
                self._word_grams.clear()
            self._word_grams[word] = cols
        return cols

    def transform_one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of the sparse feature row of one text."""
        prepared = _prepare(text)
        cols: list[int] = []
        for name, index, _idf in self.blocks:
            if name == "word":
                cols += [j for j in map(index.get, _word_terms(prepared)) if j is not None]
            elif name == "char":
                for word in prepared.split():
                    cols += self._char_columns(word, index)
            else:  # an analyzer without a fast path
                cols += [j for j in map(index.get, ANALYZERS[name](text)) if j is not None]
        if not cols:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        # all blocks counted at once (their columns are disjoint ranges), then l2 per block
        uniq, counts = np.unique(np.asarray(cols, dtype=np.int64), return_counts=True)
        vals = (1.0 + np.log(counts)) * self._idf[uniq]
        for lo, hi in np.searchsorted(uniq, self._bounds).reshape(-1, 2):
            if hi > lo:
                part = vals[lo:hi]
                part /= math.sqrt(float(part @ part)) or 1.0
        return uniq, vals
