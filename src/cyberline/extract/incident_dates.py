"""Roles of the dates in a notice: occurred / discovered / contained / reported_to_authority.

A date's role comes from the event verbs of the clause after it (2022年7月28日に判明 →
discovered; 令和4年7月31日にスパムメールが送付され → occurred), or from a label just before it
(発覚日時: 令和6年10月23日, 不正ログインが確認された期間 |).  A date alone on its line (a
timeline entry: "⚫ 2024年11月28日(木)17:30 ごろ") takes the clause of the next line; 同日 /
当日 / 翌日 stand for the date before them; a range (A~B, AからBにかけて) gives both ends the
role of the clause after B (occurred when the clause names none: a period is when it happened).
Dates of earlier notices (既報, 第1報, …付), snapshot dates (時点, 現在), data-coverage windows
(…までに申し込まれた), notification actions (お詫び, ご案内) and dates after the notice are not
incident dates.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .dates_ja import DateMention

# cues that make the date itself no incident date when they follow it at once
_NEAR_SKIP = re.compile(
    r"付(で|け|にて|の|「|$)|時点|現在|既報|第[一二三1-9]報|以降|以前|までに|予定|年度|更新|掲載|号|版|"
    r"に(発表|公表|お知らせ|ご案内|ご報告|掲載|リリース)(いたし|し|させ)")
_ROLE_CUES = [
    ("notify", r"既報|公表|お知らせ(し|い)|発表|掲載|お詫び|ご案内|ご連絡(を|し|いた)|お送り|謝罪|経過説明|説明(を|し)|お願い(を|し)|再発防止|予定(で|し|であ|です|とな)"),
    ("neutral", r"調査を開始|開始いたし|開始し|設置|依頼"),
    ("reported_to_authority", r"(警察|警察署|個人情報保護委員会|委員会|省|庁|当局|捜査機関|県警)(に|へ|に対し|にも|の)?.{0,15}(報告|届|相談|通報|提出|第一報)|被害届|遺失届|遺失物として"),
    ("contained", r"停止|閉鎖|遮断|復旧|(を|の)変更|削除|ロック|回収|隔離|切断|無効化|封鎖|解消|非公開|非表示|取り下げ|撤去|初期化|電源を切|中止|改修|修正(し|を)|封じ込"),
    ("discovered", r"判明|発覚|確認(し|され|いた|。|$)|気づ|気付|覚知|検知|感知|連絡を受|通報を受|指摘を受|御?指摘|申し出|問い合わせ|届き|発見|報告が入|(電話|連絡|問合せ)があり|との(報告|連絡|通報)|報告を受け|把握|察知|認識(し|いた)|(連絡|通報|指摘)が(あ|入)"),
    ("occurred", r"発生|送信|送付|発送|郵送|誤(って|送|配)|不正(に)?(アクセス|ログイン|利用|使用)|攻撃|感染|盗|紛失|窃盗|(流出|漏え?い|漏洩)(し|さ)|侵入|改ざん|持ち?出|持ち去|被害|実行|暗号化|ログイン|印刷|配付|配布|受信|閲覧され|置き?忘|表示され|閲覧可能|アップロード|掲示|廃棄"),
]
_ROLE_RX = [(role, re.compile(p)) for role, p in _ROLE_CUES]
_LABEL_BEFORE = [
    ("discovered", re.compile(r"(発覚|判明|発見|覚知|確認|感知|検知|認知)(日時|日|時期)[::\s】\]）)]*$")),
    ("occurred", re.compile(r"(発生|事故発生|送信|発送|漏えい|流出)(日時|日|時期)[::\s】\]）)]*$|"
                            r"(不正|発生|流出|漏え?い|漏洩|改ざん|送信|対象)[^。\n]{0,12}期間[^。\n]{0,3}[\s|:: ]*(\n[\s|:\-]*)*$")),
    ("contained", re.compile(r"(停止|復旧|閉鎖|遮断)(日時|日)[::\s】\]）)]*$")),
]
_TIME = re.compile(r"[ \t\u3000]*(\([^)]{1,8}\))?[ \t\u3000]*((午前|午後|夕刻|早朝|深夜|未明|夜|朝|昼|夕方|頃|ごろ|過ぎ|前後|の間|[~〜\-–](?=[ \t\u3000]*(午前|午後)?[ \t\u3000]*\d{1,2}[ \t\u3000]*[時:])|\d{1,2}[ \t\u3000]*[時:][ \t\u3000]*(\d{1,2}[ \t\u3000]*分?)?|\d{1,2}[ \t\u3000]*分|[ \t\u3000])*)[、,]?[ \t\u3000]*")
_RANGE_MID = re.compile(r"\s*(\([^)]{1,8}\))?[^。\n]{0,14}?(~|\-|–|から)[、,]?\s*")
_STOP = re.compile(r"[。\n]")
_SAME_DAY = re.compile(r"同日|当日|翌日|翌朝")
_BULLET_LINE = re.compile(r"\s*(?:[・•\-■●◆◇□○⚫※]|\d{1,2}\s*[\.．)]|\(\d{1,2}\))")


def _with_same_day(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """同日 / 当日 / 翌日 as mentions of the date before them (同日付 and 同日以降 stay skipped later)."""
    if not mentions:
        return mentions
    out: list[DateMention] = []
    extra = [m for m in _SAME_DAY.finditer(text) if m.start() > mentions[0].start]
    j = 0
    for m in mentions:
        while j < len(extra) and extra[j].start() < m.start:
            if out and not any(o.start <= extra[j].start() < o.end for o in out):
                prev = out[-1].date
                value = prev + timedelta(days=1) if extra[j].group().startswith("翌") else prev
                out.append(DateMention(value, extra[j].start(), extra[j].end(), True, True))
            j += 1
        out.append(m)
    while j < len(extra):
        prev = out[-1].date
        value = prev + timedelta(days=1) if extra[j].group().startswith("翌") else prev
        out.append(DateMention(value, extra[j].start(), extra[j].end(), True, True))
        j += 1
    return out


# 「お詫びのメールを送信」「ご案内を郵送」: sending the notice itself is no incident event
_NOTICE_SENT = re.compile(r"(お詫び|おわび|ご案内|お知らせ|謝罪|ご報告|経緯の説明|削除のお願い|注意喚起)[^。、]{0,14}?(送信|送付|発送|郵送|配信|お送り)")
# 「不正アクセスを検知」「紛失に気づき」: the incident word is the object of the finding
_FOUND_OBJECT = re.compile(r"[^、。]{0,12}?(を|が|に|の)(検知|確認|発見|覚知|認知|気づ|気付)")


def _hits(clause: str) -> list[tuple[int, str]]:
    hits = []
    for r, rx in _ROLE_RX:
        for hit in rx.finditer(clause):
            hits.append((hit.start(), r))
    notices = [(m.start(), m.end()) for m in _NOTICE_SENT.finditer(clause)]
    if notices:
        hits = [h for h in hits if not (h[1] == "occurred" and any(a < h[0] < b for a, b in notices))]
        hits += [(a, "notify") for a, _b in notices]
    hits.sort()
    if len(hits) >= 2 and hits[0][1] == "occurred" and hits[1][1] == "discovered" \
            and (found := _FOUND_OBJECT.match(clause, hits[0][0])) and found.end() >= hits[1][0]:
        hits = hits[1:]
    return hits


def _one_role(clause: str) -> str | None:
    """Japanese is verb-final: the clause's last event verb is what happened on the date, and a
    verb right after the date (7月29日夕刻に発生したサーバー障害は…) also counts."""
    hits = [h for h in _hits(clause) if h[1] != "neutral"]
    if not hits:
        return None
    # 「令和4年10月31日早朝に発生したサイバー攻撃により…」: the verb right after the date (past
    # times of day) is what happened that day, whatever the sentence goes on to say
    lead = clause[:hits[0][0]]
    adjacent = hits[0][1] != "notify" and "、" not in lead and re.match(r"\s*に?\s*$", _TIME.sub("", lead, count=1))
    if hits[-1][1] == "notify" and not adjacent:
        return "skip"
    hits = [h for h in hits if h[1] != "notify"]
    first_pos, first_role = hits[0]
    last_role = hits[-1][1]
    if (first_pos <= 3 or adjacent) and first_role != last_role and last_role in ("contained", "discovered"):
        return first_role + "+" + last_role  # 確認し…閉鎖した: both happened that day
    if (first_pos <= 3 or adjacent) and last_role == "occurred":
        return first_role
    if last_role == "contained" and any(r == "discovered" for _p, r in hits[:-1]):
        return "discovered+contained"  # 感染が検知されたため、当該PCを隔離: found and contained that day
    if adjacent and first_role != last_role:
        return first_role if last_role == "occurred" else first_role + "+" + last_role
    return last_role


def _clause_role(clause: str) -> str | None:
    """Role(s) of a date from the clause after it; 「…連絡を受け、同時に、サイトを閉鎖」 gives two."""
    first, *same = re.split(r"同時に", clause)
    roles = [_one_role(first)] + [_one_role(part) for part in same]
    if roles[0] == "skip":
        return "skip"
    out: list[str] = []
    for r in roles:
        if not r or r == "skip":
            continue
        for one in r.split("+"):
            if one not in out:
                out.append(one)
    return "+".join(out) if out else None


def _clause_after(text: str, pos: int, stop: int) -> str:
    """The clause after a date: to the end of the sentence, the next date, or 150 characters; a
    hard line break inside a sentence is read through, a date alone on its line reads the next."""
    end = min(stop, pos + 150, len(text))
    lead = _TIME.match(text, pos, end)
    body_start = lead.end() if lead else pos
    if body_start < len(text) and text[body_start:body_start + 1] == "\n" or body_start >= end:
        # a timeline entry: the date line, then what happened
        nl = text.find("\n", pos)
        if nl != -1 and nl < stop:
            nxt = nl
            while nxt < len(text) and text[nxt] in "\n \t|-":
                nxt += 1
            return text[pos:nl] + " " + _clause_after(text, nxt, min(stop, nxt + 150)) if nxt < stop else text[pos:nl]
    out = []
    i = pos
    while i < end:
        m = _STOP.search(text, i, end)
        if m is None:
            out.append(text[i:end])
            break
        out.append(text[i:m.start()])
        k = m.start()
        if m.group() == "。":
            break
        # the line goes on when the break falls inside a sentence (no bullet, no blank line)
        nxt = text[k + 1:k + 2]
        if not nxt or nxt == "\n" or _BULLET_LINE.match(text, k + 1) or k - pos < 4:
            break
        i = k + 1
    return "".join(out)


def assign_roles(text: str, mentions: list[DateMention], *, skip_spans: list[tuple[int, int]],
                 disclosure: date | None) -> list[tuple[date, str, int, int]]:
    """[(date, role, start, end)] for the incident dates among ``mentions`` (normalised text)."""
    out: list[tuple[date, str, int, int]] = []
    seen: set[tuple[date, str]] = set()
    mentions = _with_same_day(text, mentions)
    range_role: dict[int, str] = {}

    def add(m: DateMention, role: str):
        for one in role.split("+"):
            key = (m.date, one)
            if key not in seen:
                seen.add(key)
                out.append((m.date, one, m.start, m.end))

    for i, m in enumerate(mentions):
        if i in range_role:
            add(m, range_role[i])
            continue
        if any(s <= m.start < e for s, e in skip_spans):
            continue
        if disclosure is not None and m.date > disclosure:
            continue
        before = text[max(0, m.start - 60):m.start]
        role = None
        for r, rx in _LABEL_BEFORE:
            if rx.search(before):
                role = r
        lead = _TIME.match(text, m.end)
        after_lead = text[lead.end() if lead else m.end:][:8]
        if _NEAR_SKIP.match(after_lead) or (m.relative and re.match(r"\s*[付以]", text[m.end:m.end + 3])):
            continue
        # a range: A~B / AからBにかけて / A ~ (time) B
        j = i
        while j + 1 < len(mentions) and _RANGE_MID.fullmatch(text, mentions[j].end, mentions[j + 1].start):
            j += 1
        if role is None:
            last = mentions[j]
            stop = mentions[j + 1].start if j + 1 < len(mentions) else len(text)
            clause = _clause_after(text, last.end, stop)
            if j > i:
                if re.match(r"\s*(\([^)]*\))?\s*までに", text[last.end:last.end + 12]):
                    continue  # 平成27年7月1日~平成28年10月11日までに申し込まれた: a coverage window
                role = _clause_role(clause) or "occurred"
                if role in ("skip",):
                    continue
                role = "occurred" if role != "reported_to_authority" else role
            else:
                role = _clause_role(clause)
        if role is None or role == "skip":
            continue
        add(m, role)
        for k in range(i + 1, j + 1):
            range_role[k] = role
    return out
