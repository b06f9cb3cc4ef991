"""LinkRecord: what linking needs to know about one report (plain data, no database)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from math import sqrt
from typing import Any

from cyberline.link.orgkey import name_tokens, org_key
from cyberline.model import parse_day

_SPACE = re.compile(r"\s+")
TEXT_CHARS = 3000  # the start of a notice says what it is about; bounded cost per comparison


def text_grams(text: str | None, n: int = 3) -> Counter:
    """Character n-gram counts of a text (NFKC, lower case, whitespace removed): works the same
    for Japanese, which has no spaces, and English."""
    if not text:
        return Counter()
    norm = _SPACE.sub("", unicodedata.normalize("NFKC", text[:TEXT_CHARS]).lower())
    return Counter(norm[i:i + n] for i in range(len(norm) - n + 1))


def cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    return dot / (_norm(a) * _norm(b))


def _norm(c: Counter) -> float:
    # Cached on the Counter itself: a record is compared with many candidates.
    norm = getattr(c, "_norm", None)
    if norm is None:
        norm = sqrt(sum(v * v for v in c.values()))
        c._norm = norm  # type: ignore[attr-defined]
    return norm


@dataclass
class LinkRecord:
    """One report as the linker sees it."""

    report_id: int | None
    organization: str | None
    disclosure_date: date | None
    attack_type: str | None = None
    affected_persons: int | None = None
    incident_dates: frozenset[str] = frozenset()
    is_followup: bool = False
    text: str | None = None
    org_key: str | None = None
    _grams: Counter | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.org_key is None:
            self.org_key = org_key(self.organization)

    @property
    def grams(self) -> Counter:
        if self._grams is None:
            self._grams = text_grams(self.text)
        return self._grams

    @property
    def tokens(self) -> tuple[str, ...]:
        return name_tokens(self.organization)

    @classmethod
    def from_data(cls, report_id: int | None, data: dict[str, Any], text: str | None = None,
                  key: str | None = None) -> "LinkRecord":
        """From a report's contract JSON (``cyberline.model.Report.to_json()``)."""
        persons = data.get("affected_persons")
        return cls(
            report_id=report_id,
            organization=data.get("organization"),
            disclosure_date=_day(data.get("disclosure_date")),
            attack_type=data.get("attack_type"),
            affected_persons=persons if isinstance(persons, int) and persons > 0 else None,
            incident_dates=frozenset(d["date"] for d in data.get("incident_dates") or []
                                     if isinstance(d, dict) and d.get("date")),
            is_followup=bool(data.get("is_followup_report")),
            text=text,
            org_key=key,
        )


def _day(value: Any) -> date | None:
    try:
        return parse_day(value)
    except (TypeError, ValueError):
        return None  # a malformed date in stored data is "unknown", not a crash
