"""disclosure_date: the notice's own date.

Order: a date in the title; a date line in the header (2022年8月2日 alone on a line, 発表日:…,
or a 【…】 title line ending in a date); a date line at the very end (letters sign off with
one); then the feed's `published`; last, a full date in the URL path (/2022/0225, 20220225).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .dates_en import find_dates_en
from .dates_ja import DateMention, find_dates

_LABEL = re.compile(r"発表日|更新日|公表日|掲載日|報道発表|記者発表|日付|(?i:date|posted|published|updated)")
_URL_DATE = re.compile(r"(?<!\d)(20\d\d)[/_\-]?(0[1-9]|1[0-2])[/_\-]?(0[1-9]|[12]\d|3[01])(?!\d)")


def to_date(value) -> date | None:
    if value is None:
        return None
    try:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value).strip()[:10])
    except Exception:
        return None


def _finder(language: str):
    return find_dates_en if language == "en" else (lambda t: find_dates(t))


def header_date(text: str, language: str) -> DateMention | None:
    """A date standing as the notice's own date near the top (or at the very end)."""
    find = _finder(language)
    lines = text.split("\n")
    pos = 0
    spans = []
    for i, line in enumerate(lines):
        spans.append((pos, line))
        pos += len(line) + 1
    candidates = spans[:10] + spans[-4:] if len(spans) > 14 else spans
    for j, (start, line) in enumerate(candidates):
        found = find(line)
        if not found:
            continue
        m = found[0]
        stripped = line.strip()
        rest = len(stripped) - (m.end - m.start)
        is_date_line = rest <= 14 and not re.search(r"(発生|判明|確認|送信|攻撃|不正)", line)
        # 「むつ市 …の紛失について 2022年10月9日」: a title line that ends with its date
        titled = (("【" in line or "】" in line) or j < 3) and m.end >= len(line.rstrip()) - 3
        labelled = bool(_LABEL.search(line[:m.start]))
        if is_date_line or titled or labelled:
            return DateMention(m.date, start + m.start, start + m.end)
    return None


def url_date(url: str | None) -> date | None:
    if not url:
        return None
    m = _URL_DATE.search(url)
    if not m:
        return None
    try:
        value = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return value
