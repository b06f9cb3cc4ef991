"""English dates ("April 25, 2023", "25 April 2023", "6/20/2023", "2023-06-20") and their roles.

Own regex rather than dateparser: the formats in notices are few, and this keeps start-up fast.
"""

from __future__ import annotations

import re
from datetime import date

from .dates_ja import DateMention

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MON = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_RE = re.compile(
    rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b"
    rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?,?\s+(?P<y2>(?:19|20)\d\d)\b"
    r"|\b(?P<nm>\d{1,2})/(?P<nd>\d{1,2})/(?P<ny>(?:19|20)?\d\d)\b"
    r"|\b(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)\b",
    re.I,
)


def find_dates_en(text: str) -> list[DateMention]:
    out = []
    try:
        for m in _DATE_RE.finditer(text):
            g = m.groupdict()
            try:
                if g["mon"]:
                    value = date(int(g["y"]), _MONTHS[g["mon"].lower()[:3]], int(g["d"]))
                elif g["mon2"]:
                    value = date(int(g["y2"]), _MONTHS[g["mon2"].lower()[:3]], int(g["d2"]))
                elif g["nm"]:
                    y = int(g["ny"])
                    y = y + 2000 if y < 100 else y
                    value = date(y, int(g["nm"]), int(g["nd"]))
                else:
                    value = date(int(g["iy"]), int(g["im"]), int(g["id"]))
            except (ValueError, KeyError):
                continue
            out.append(DateMention(value, m.start(), m.end()))
    except Exception:
        return out
    return out


def parse_en_date(text: str) -> date | None:
    if not isinstance(text, str):
        return None
    found = find_dates_en(text)
    return found[0].date if found else None


_CUES = [
    ("reported_to_authority", re.compile(r"(notified|reported|contacted|informed)\s+(?:the\s+)?(law enforcement|FBI|police|attorney|regulator|HHS|department)", re.I)),
    ("contained", re.compile(r"\b(contained|secured|shut down|disabled|reset|restored|terminated|blocked|isolated|remediat)", re.I)),
    ("discovered", re.compile(r"\b(discover|detect|became aware|become aware|identified|learned|noticed|determined|alerted)", re.I)),
    ("occurred", re.compile(r"\b(occurred|on or about|between|accessed|compromis|attack|infected|gained access|unauthori[sz]ed|encrypted|sent|stolen|took place|acquired)", re.I)),
]
_SKIP = re.compile(r"\b(as of|dated|published|posted|updated|notice|letters?|mailed|beginning on|through|effective)\b", re.I)


def assign_roles_en(text: str, mentions: list[DateMention], *, skip_spans, disclosure: date | None):
    out, seen = [], set()
    for m in mentions:
        if any(s <= m.start < e for s, e in skip_spans):
            continue
        if disclosure is not None and m.date > disclosure:
            continue
        s_start = max(text.rfind(".", 0, m.start), text.rfind("\n", 0, m.start)) + 1
        s_end_candidates = [p for p in (text.find(". ", m.end), text.find("\n", m.end)) if p != -1]
        s_end = min(s_end_candidates) if s_end_candidates else len(text)
        before, after = text[max(s_start, m.start - 80):m.start], text[m.end:min(s_end, m.end + 80)]
        role = None
        best = None
        for r, rx in _CUES:
            for part, base in ((after, 0), (before, 1000)):
                hit = rx.search(part)
                if hit:
                    pos = base + (hit.start() if base == 0 else len(part) - hit.start())
                    if best is None or pos < best:
                        best, role = pos, r
        if role is None or (_SKIP.search(before[-25:]) and role != "occurred"):
            continue
        key = (m.date, role)
        if key not in seen:
            seen.add(key)
            out.append((m.date, role, m.start, m.end))
    return out
