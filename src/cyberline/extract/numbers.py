"""Numbers as written in notices: 1,234 / 約600 / 3万 / 1億2千万 / 7.54億 / "8.8 million"."""

from __future__ import annotations

import re

from kanjize import kanji2number

# A number with optional 万/億/千 parts; kanji digits allowed after the first part (1億2千万).
NUM_JA = r"\d[\d,]*(?:\.\d+)?(?:[億万千百][\d,]*(?:\.\d+)?)*(?:[億万千])?"
_NUM_JA_RE = re.compile(rf"^{NUM_JA}$")
_EN_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6,
             "billion": 1e9, "bn": 1e9, "b": 1e9}
_EN_RE = re.compile(r"^(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|mn|bn|[kmb])?$", re.I)


def parse_ja_number(s: str) -> float | None:
    """'1,234' -> 1234, '3万' -> 30000, '1億2千万' -> 120000000; None if not a number."""
    try:
        s = s.replace(",", "").strip()
        if not s or len(s) > 40:
            return None
        if re.fullmatch(r"\d+(?:\.\d+)?", s):
            return float(s)
        if not re.search(r"[億万千百]", s) or not re.fullmatch(r"[\d.億万千百]+", s):
            return None
        # kanjize handles 7.54億 and 1億2千万; a leading unit-less decimal is fine too.
        value = kanji2number(s)
        return float(value) if value is not None else None
    except Exception:
        return None


def parse_en_number(s: str) -> float | None:
    """'1,200' -> 1200, '8.8 million' -> 8800000, '$8.8M' (without $) -> 8800000."""
    try:
        m = _EN_RE.match(s.strip())
        if not m:
            return None
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value *= _EN_SCALE[m.group(2).lower()]
        return value
    except Exception:
        return None


def as_int(value: float | None) -> int | None:
    if value is None:
        return None
    try:
        return int(round(value))
    except (OverflowError, ValueError):
        return None
