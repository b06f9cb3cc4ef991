"""Japanese date mentions: 西暦 (2022年8月1日, 2022/8/1), 和暦 (令和4年7月31日, 令和元年), and
year-less 8月1日 (year taken from a reference date).  Works on NFKC text.

dateparser is wrong on 和暦, so the era table and the regexes are our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Era name -> Gregorian year of its year 1 (元年).
ERAS = {"令和": 2019, "平成": 1989, "昭和": 1926, "大正": 1912, "明治": 1868}

_SP = r"[ \t\u3000]*"
_ERA_YEAR = rf"(?P<era>令和|平成|昭和|大正|明治){_SP}(?P<ey>元|\d{{1,2}}){_SP}(?:\(\d{{4}}\){_SP})?年(?:{_SP}\(\d{{4}}年?\))?"
_WEST_YEAR = rf"(?P<y>(?:19|20)\d\d){_SP}年(?:{_SP}\((?:令和|平成|昭和)(?:元|\d{{1,2}})年?\))?"
_MD = rf"{_SP}(?P<m>\d{{1,2}}){_SP}月{_SP}(?P<d>\d{{1,2}}){_SP}日"

# one alternation; every date starts with a digit or one of a few kanji: a first-character
# lookahead lets the engine skip the rest of the text in C
_DATE_RE = re.compile(
    r"(?=[0-9令平昭大明同本昨今翌])"
    rf"(?:(?:{_ERA_YEAR}|{_WEST_YEAR}){_MD}"
    rf"|(?<![\d/.])(?P<sy>(?:19|20)\d\d)[/.\-](?P<sm>\d{{1,2}})[/.\-](?P<sd>\d{{1,2}})(?![\d/])"
    rf"|(?<![\d年/.])(?P<qy>同年|本年|昨年|今年)?(?P<nm>\d{{1,2}}){_SP}月{_SP}(?P<nd>\d{{1,2}}){_SP}日"
    rf"|(?<![\d年月/.])(?P<rk>同月|翌月|同|翌){_SP}(?P<rd>\d{{1,2}}){_SP}日"
    # the bare end of a range: 2024年4月1日~3日, 10月15日(水)~18日(土)
    rf"|(?<=[~〜])(?P<bd>\d{{1,2}}){_SP}日(?!{_SP}(?:間|分|以内|後|前))"
    rf"|(?<![\d年/.])(?P<slm>\d{{1,2}})/(?P<sld>\d{{1,2}})(?![\d/])(?={_SP}(?:\(|[0-9]{{1,2}}:|[日月火水木金土])))"
)


@dataclass
class DateMention:
    date: date
    start: int  # offsets in the normalised text
    end: int
    year_inferred: bool = False
    relative: bool = False  # 同月5日, 翌18日, 同日: read off the date before it


def era_year(era: str, ey: str) -> int | None:
    base = ERAS.get(era)
    if base is None:
        return None
    n = 1 if ey == "元" else int(ey)
    return base + n - 1


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _infer_year(m: int, d: int, ref: date | None) -> date | None:
    """Year-less date: the reference year, or the year before if that would lie after ``ref``."""
    if ref is None:
        return None
    value = _make(ref.year, m, d)
    if value is not None and value > ref:
        value = _make(ref.year - 1, m, d)
    return value


_WEEKDAY = re.compile(rf"{_SP}\({_SP}(?P<w>[月火水木金土日]){_SP}(?:曜日?)?{_SP}\)")
_WD = "月火水木金土日"


def _by_weekday(m: int, d: int, wd: int, base: int, ref: date | None) -> date | None:
    """Year-less 5月17日(火): the latest year <= ``base`` (not after ``ref``) whose 5月17日 is a Tuesday."""
    for y in range(base, base - 8, -1):
        value = _make(y, m, d)
        if value is not None and value.weekday() == wd and (ref is None or value <= ref):
            return value
    return None


def find_dates(text: str, ref: date | None = None, *, relative: bool = False) -> list[DateMention]:
    """All dates in ``text`` (NFKC); year-less ones need ``ref`` (else they are skipped).

    A year-less date takes the year of the reference (disclosure) date, or the year before when
    that would put it after the reference; without a reference, the year of the last full date.
    """
    out: list[DateMention] = []
    last_full: date | None = None
    try:
        for m in _DATE_RE.finditer(text):
            g = m.groupdict()
            value = None
            inferred = False
            if g["era"]:
                y = era_year(g["era"], g["ey"])
                value = _make(y, int(g["m"]), int(g["d"])) if y else None
            elif g["y"]:
                value = _make(int(g["y"]), int(g["m"]), int(g["d"]))
            elif g["sy"]:
                value = _make(int(g["sy"]), int(g["sm"]), int(g["sd"]))
            elif g["rk"] or g["bd"]:
                if not relative or not out or (g["bd"] and m.start() - out[-1].end > 16):
                    continue
                prev = out[-1].date
                day = int(g["rd"] or g["bd"])
                month, year = prev.month, prev.year
                if g["rk"] == "翌月" or (g["rk"] in ("翌", None) and day < prev.day):
                    month, year = (1, year + 1) if month == 12 else (month + 1, year)
                value = _make(year, month, day)
                if value is not None:
                    out.append(DateMention(value, m.start(), m.end(), out[-1].year_inferred, True))
                continue
            else:
                mm, dd = (g["nm"], g["nd"]) if g["nm"] else (g["slm"], g["sld"])
                mm, dd = int(mm), int(dd)
                inferred = True
                if g["qy"] == "昨年" and ref:
                    value = _make(ref.year - 1, mm, dd)
                elif ref is not None:
                    value = _infer_year(mm, dd, ref)
                elif last_full is not None:
                    value = _make(last_full.year, mm, dd)
                wm = _WEEKDAY.match(text, m.end()) if relative else None
                if wm and (value is None or value.weekday() != _WD.index(wm.group("w"))):
                    # 5月17日(火): the weekday fixes the year when nothing else does
                    base = (ref or last_full or date.today()).year
                    value = _by_weekday(mm, dd, _WD.index(wm.group("w")), base, ref) or value
            if value is None or not (1900 <= value.year <= 2100):
                continue
            if not inferred:
                last_full = value
            out.append(DateMention(value, m.start(), m.end(), inferred))
    except Exception:  # never let a date oddity break extraction
        return out
    return out


def parse_ja_date(text: str, ref: date | None = None) -> date | None:
    """The first date in ``text`` or None (never raises)."""
    if not isinstance(text, str):
        return None
    found = find_dates(text, ref)
    return found[0].date if found else None
