"""The victim / disclosing organisation, exactly as written.

Where it is looked for, in order: the title (「株式会社大都 弊社が運営する…」: the first word
of a blog-style title), a letterhead line near the top (a line that is only a name), and the
first sentences (「鴨川市が保有する…」, 「株式会社ダイヤモンド社(以下「当社」)」).  Never from the
URL or a greeting; later body text names third parties (card companies, insurers, police).
"""

from __future__ import annotations

import re
from functools import cache

from .resources import table

_NAME = r"[A-Za-z0-9&'\.\-・\u30a0-\u30ff\u4e00-\u9fffー々〆ヶ]"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], set[str]]:
    data = table("organizations.toml")
    forms = "|".join(data["legal_forms"])
    endings = "|".join(sorted(data["endings"], key=len, reverse=True))
    # 株式会社ほくせん / H&F BELX NET株式会社 / 新潟医療福祉大学 / むつ市 / 東京都
    org = re.compile(
        rf"(?:{forms})\s?{_NAME}(?:{_NAME}|\s(?=[A-Za-z])){{0,30}}"
        rf"|[A-Za-z0-9&\.\-]+(?:\s[A-Za-z0-9&\.\-]+){{0,4}}\s?(?:{forms})"
        rf"|(?:[\u30a0-\u30ff\u4e00-\u9fff々ー]{{1,20}}|[ぁ-ん]{{2,4}})(?:{forms})"
        rf"|東京都|北海道|[\u4e00-\u9fff々ぁ-んァ-ヶー]{{1,16}}(?:{endings})(?![\u4e00-\u9fff])"
    )
    full = re.compile(rf"^(?:{org.pattern})$")
    return org, full, set(data["stop"])


_TITLE_WORDS = re.compile(r"お詫び|おわび|お知らせ|について|ご報告|報告|ご案内|漏え|漏洩|流出|不正|発生|事案|被害|攻撃|障害|紛失|盗難|送信|感染|可能性|第\d報|続報")
_TITLE_PREFIX = re.compile(r"^\s*(【[^】]*】|\[[^\]]*\]|■|◆)\s*")
_GENERIC = re.compile(r"^(弊社|当社|本学|本市|当院|当法人|当協会|同社|重要|お知らせ|お詫び|報道発表|記者発表|ニュース|News|プレスリリース)")


def _clean(name: str) -> str:
    return name.strip(" \t・-")


def _title_org(title: str) -> tuple[str, int] | None:
    """First word of a 'ORG TITLE…' line, when the rest reads like a notice title."""
    m = _TITLE_PREFIX.match(title)
    offset = m.end() if m else 0
    rest = title[offset:]
    parts = re.split(r"[\s\u3000]+", rest.strip(), maxsplit=1)
    if len(parts) < 2:
        return None
    head = parts[0]
    lead = len(rest) - len(rest.lstrip())
    if not head or _GENERIC.match(head) or _TITLE_WORDS.search(head) or len(head) > 30:
        return None
    if re.fullmatch(r"[\d/年月日.\-:]+", head):
        return None
    _org, full, stop = _patterns()
    # 'J PREP 斉藤塾' style names contain a space: extend while the words are Latin.
    if re.fullmatch(r"[A-Za-z0-9&.\-]+", head):
        more = re.match(r"((?:[A-Za-z0-9&.\-]+\s)*[A-Za-z0-9&.\-]*\S*?)(?=\s)", rest.strip())
        if more and not _TITLE_WORDS.search(more.group(1)):
            head = more.group(1)
    if head in stop:
        return None
    if full.match(head) or _TITLE_WORDS.search(parts[1] if len(parts) > 1 else ""):
        return head, offset + lead
    return None


def find_organization(text: str, title: str | None = None) -> tuple[str | None, tuple[int, int] | None, float, bool]:
    """(name, span in text or None when from the title, confidence, from_title)."""
    org, full, stop = _patterns()
    lines = [ln for ln in text.split("\n")]
    # 1. the title argument, then a title-like line at the top (blog reposts: 【事件簿】ORG 表題)
    if title:
        t = _title_org(title)
        if t:
            name = t[0]
            pos = text.find(name)
            return name, ((pos, pos + len(name)) if pos >= 0 else None), 0.85, pos < 0
    pos = 0
    for i, line in enumerate(lines[:12]):
        if "【" in line or (i < 3 and _TITLE_WORDS.search(line) and re.search(r"\s", line.strip())):
            t = _title_org(line)
            if t:
                return t[0], (pos + t[1], pos + t[1] + len(t[0])), 0.85, False
        pos += len(line) + 1
    # 2. letterhead: a short line that is only an organisation name
    pos = 0
    for line in lines[:12]:
        s = line.strip()
        if s and len(s) <= 40 and full.match(s) and s not in stop:
            start = pos + line.index(s)
            return s, (start, start + len(s)), 0.8, False
        pos += len(line) + 1
    # 3. the first sentences: an organisation as the subject
    head = text[:400]
    for m in org.finditer(head):
        name = _clean(m.group())
        after = head[m.end():m.end() + 6]
        if name in stop or any(name.endswith(s) for s in ("委員会", "警察署")):
            continue
        if re.match(r"\s*(は|では|が|において|における|にて|の|\(|（|、)", after):
            return name, (m.start(), m.start() + len(name)), 0.6, False
    return None, None, 0.7, False


# --- English -------------------------------------------------------------------------------
_EN_ORG = re.compile(
    r"\b((?:[A-Z][A-Za-z0-9&'\.\-]*\s){0,5}(?:[A-Z][A-Za-z0-9&'\.\-]*,?\s)?"
    r"(?:Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Limited|Corporation|Corp\.?|Company|Co\.|Group|Holdings|PLC|plc|GmbH|AG|S\.A\.|"
    r"Hospital|Health(?:care)?|Medical Center|Clinic|University|College|School District|Bank|Credit Union|"
    r"City of [A-Z][a-z]+|County|Foundation|Association|Systems|Services|Partners))\b"
)


def find_organization_en(text: str, title: str | None = None) -> tuple[str | None, tuple[int, int] | None, float, bool]:
    for source, is_title in ((title or "", True), (text[:600], False)):
        m = _EN_ORG.search(source)
        if m:
            name = m.group(1).strip().rstrip(",")
            name = re.sub(r"^(The|A|An|On|In|At|Notice|Dear|Re|Why|What)\s+", "", name)
            pos = text.find(name)
            return name, ((pos, pos + len(name)) if pos >= 0 else None), 0.5, pos < 0
    return None, None, 0.3, False
