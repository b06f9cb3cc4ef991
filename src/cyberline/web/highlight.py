"""The original text of a document cut into segments, marking the evidence of each field.

Report data carries ``evidence`` {field: [start, end]} character offsets into the document text.
Offsets from an older extractor or a hand-made import can be wrong; bad spans are dropped rather
than shown at the wrong place, and overlapping spans keep the earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Segment:
    text: str
    field: str | None = None  # the (first) field this span is evidence for
    fields: tuple[str, ...] = ()  # every field with exactly this span (attack type and cause often share one)
    by_model: bool = False  # one of them is the trained classifier's answer (evidence_source "model")


def valid_spans(evidence: dict[str, Any] | None, length: int) -> list[tuple[int, int, str]]:
    spans = []
    for field, span in (evidence or {}).items():
        if (isinstance(span, (list, tuple)) and len(span) == 2
                and all(isinstance(x, int) and not isinstance(x, bool) for x in span)
                and 0 <= span[0] < span[1] <= length):
            spans.append((span[0], span[1], str(field)))
    spans.sort()
    kept: list[tuple[int, int, str]] = []
    for start, end, field in spans:
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end, field))
    return kept


def segments(text: str, evidence: dict[str, Any] | None,
             sources: dict[str, Any] | None = None) -> list[Segment]:
    """Consecutive segments whose texts join back to ``text`` exactly; ``sources`` is the
    report's ``evidence_source`` (which answers are the classifier's)."""
    sources = sources if isinstance(sources, dict) else {}
    shared: dict[tuple[int, int], list[str]] = {}
    for field, span in (evidence or {}).items():
        if isinstance(span, (list, tuple)) and len(span) == 2:
            shared.setdefault(tuple(span), []).append(str(field))
    out: list[Segment] = []
    at = 0
    for start, end, field in valid_spans(evidence, len(text)):
        if start > at:
            out.append(Segment(text[at:start]))
        fields = tuple(sorted(shared.get((start, end), [field])))
        out.append(Segment(text[start:end], field, fields, any(sources.get(f) == "model" for f in fields)))
        at = end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out
