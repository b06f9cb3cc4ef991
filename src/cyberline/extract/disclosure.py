"""disclosure_date: the notice's own date.

Order: a date in the title; a date line in the header (2022年8月2日 alone on a line, 発表日:…,
or a 【…】 title line ending in a date); a date line at the very end (letters sign off with
one); then the feed's `published`; last, a full date in the URL path (/2022/0225, 20220225).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, datetime, timedelta

from .dates_en import find_dates_en
from .dates_ja import DateMention, find_dates

_LABEL = re.compile(r"発表日|更新日|公表日|掲載日|報道発表|記者発表|日付|(?i:date|posted|published|updated)")
_URL_DATE = re.compile(r"(?<!\d)(20\d\d)[/_\-]?(0[1-9]|1[0-2])[/_\-]?(0[1-9]|[12]\d|3[01])(?!\d)")
# /news/201609237478.html: a path segment that opens with YYYYMMDD and goes on with a serial
_URL_DATE_SERIAL = re.compile(r"/(20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{1,6}(?=\.html?|/|$)")


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


_NL = re.compile("\n")
_UPDATE = re.compile(r"更新|改訂|追記|(?i:updated|revised)")
_PUBLISH = re.compile(r"発表日|公表日|掲載日|公開日|報道発表|記者発表|(?i:posted|published|released|\bdate[d]?\b\s*:?\s*$|notice date)")
_EVENT_WORDS = re.compile(r"(発生|判明|確認|送信|攻撃|不正|から|まで|~|頃)")
# news: 「ORGは2021年10月31日、…と発表した」 — the date right after the subject is the announcement
# a timeline entry, not the notice's date: a bulleted date line (「⚫ 2024年11月28日(木)17:30ごろ」) or a
# date followed by its weekday and a time of day (「2024年3月11日(月)18時25分頃、…」)
_TIMELINE = re.compile(r"\s*[・•\-■●◆◇□○◎〇⚫※▼▶>]|.*(頃|ごろ|午前|午後|未明|早朝)|"
                       r"[^\n]{0,16}日\s*[(（]?\s*[月火水木金土日](曜日?)?\s*[)）]\s*\d{1,2}\s*(時|:)")
_NEWS = re.compile(r"(?:は|が)、?\s*$")
_NEWS_VERB = re.compile(r"発表|公表|明らかに|報告し|(?i:announced|disclosed|said|reported)")


def header_date(text: str, language: str, url_ref: date | None = None) -> DateMention | None:
    """The notice's own date: a date line in the header (the first 12 non-empty lines) or at the
    very end, a 発表日/公表日 label, a title line ending in its date, a dateline
    (「2024年6月4日 明治薬科大学は…」) or a news lead (「三恵は12月9日、…と発表した」).
    Ranked: labelled publication > a date alone on its line > title/dateline > news lead >
    an update date (更新日 loses to the original date of the notice)."""
    by_line: dict[int, list[DateMention]] = {}
    line_starts = [0] + [m.end() for m in _NL.finditer(text[:20000])]
    if language == "en":
        # one pass over the head and the tail: a dateline may be broken over lines
        # ("Hackney,\n14\nOctober\n2020")
        for lo, hi in ((0, min(len(text), 3000)), (max(3000, len(text) - 600), len(text))):
            for d in find_dates_en(text[lo:hi]):
                a = lo + d.start
                ls = line_starts[bisect_right(line_starts, a) - 1] if a < 20000 else text.rfind("\n", 0, a) + 1
                by_line.setdefault(ls, []).append(DateMention(d.date, a - ls, lo + d.end - ls))
    else:
        # a year-less notice date follows the events it reports: the first such day on or after
        # the latest full date in the text (within a year)
        full = [d.date for d in find_dates(text) if not d.year_inferred]
        # no full date in the text: the date (or the year) the URL files the page under
        ref = (max(full) + timedelta(days=365)) if full else url_ref
        # one pass over the whole text; each candidate line takes its own mentions
        line_starts = [0] + [m.end() for m in _NL.finditer(text)]
        for d in find_dates(text, ref):
            ls = line_starts[bisect_right(line_starts, d.start) - 1]
            by_line.setdefault(ls, []).append(DateMention(d.date, d.start - ls, d.end - ls, d.year_inferred))
    lines = text.split("\n")
    spans = []
    pos = 0
    for line in lines:
        if line.strip():
            spans.append((pos, line))
        pos += len(line) + 1
    candidates = spans[:12] + [x for x in spans[-4:] if x not in spans[:12]]
    best: tuple[int, int, DateMention] | None = None
    for j, (start, line) in enumerate(candidates):
        found = by_line.get(start, [])
        for k, m in enumerate(found):
            if m.end > len(line):  # a date broken over lines: read them as one
                stop = text.find("\n", start + m.end)
                line = text[start:stop if stop != -1 else len(text)].replace("\n", " ")
            stripped = line.strip()
            before, after = line[:m.start], line[m.end:]
            rest = len(stripped) - (m.end - m.start)
            rank = None
            if _PUBLISH.search(before[-12:]):
                rank = 1
            elif _UPDATE.search(before[-12:] + after[:6]):
                rank = 5
            elif k == 0 and rest <= 14 and not _EVENT_WORDS.search(line) and not _TIMELINE.match(line):
                rank = 2
            elif k == 0 and (("【" in line or "】" in line) or j < 3) and m.end >= len(line.rstrip()) - 3:
                rank = 3  # 「むつ市 …の紛失について 2022年10月9日」: a title line that ends with its date
            elif k == 0 and not before.strip() and re.match(r"\s+\S", after) and j < 6 and not _TIMELINE.match(line):
                rank = 3  # a dateline
            elif _NEWS.search(before) and _NEWS_VERB.search(line[m.end:m.end + 300]) and j < 6:
                rank = 4
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, start + m.start, DateMention(m.date, start + m.start, start + m.end))
    return best[2] if best else None


def url_date(url: str | None) -> date | None:
    if not url:
        return None
    m = _URL_DATE.search(url) or _URL_DATE_SERIAL.search(url)
    if not m:
        return None
    try:
        value = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return value


_URL_YEAR = re.compile(r"/(20\d\d)(?:/(0[1-9]|1[0-2]))?(?=[/_\-])")


def url_year_end(url: str | None) -> date | None:
    """The last day of the year (or year/month) a URL is filed under (blog.example/2024/10/…): the
    reference for year-less dates when the notice has no date of its own."""
    if not url:
        return None
    exact = url_date(url)
    if exact:
        return exact
    m = _URL_YEAR.search(url)
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2):
        month = int(m.group(2))
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(year, 12, 31)
