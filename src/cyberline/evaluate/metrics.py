"""Plain metrics (no scikit-learn import, so `cyberline eval` starts fast)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence


def accuracy(gold: Sequence, pred: Sequence) -> float | None:
    if not gold:
        return None
    return sum(g == p for g, p in zip(gold, pred)) / len(gold)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if not fp else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def macro_f1(gold: Sequence, pred: Sequence, labels: Iterable[Hashable]) -> float | None:
    """Mean F1 over ``labels`` (a prediction outside them counts as a miss for the gold label)."""
    labels = list(labels)
    if not labels:
        return None
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        scores.append(prf(tp, fp, fn)[2] if tp + fp + fn else 0.0)
    return sum(scores) / len(scores)


def set_counts(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> tuple[int, int, int]:
    """(tp, fp, fn) of two multisets."""
    g, p = Counter(gold), Counter(pred)
    tp = sum((g & p).values())
    return tp, sum(p.values()) - tp, sum(g.values()) - tp


def confusion(gold: Sequence, pred: Sequence) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for g, p in zip(gold, pred):
        row = table.setdefault(str(g), {})
        row[str(p)] = row.get(str(p), 0) + 1
    return table
