"""Roles of the dates in a notice: occurred / discovered / contained / reported_to_authority.

A date's role comes from the first event verb in the clause after it (2022年7月28日に判明 →
discovered; 令和4年7月31日にスパムメールが送付され → occurred), or from a label just before it
(発覚日時: 令和6年10月23日).  Dates of earlier notices (既報, 第1報, …付), snapshot dates (時点,
現在), data-coverage windows and notification actions (お詫び, ご案内) are not incident dates.
"""

from __future__ import annotations

import re
from datetime import date

from .dates_ja import DateMention

_ROLE_CUES = [
    ("skip", r"付(で|け|にて|の|「)|既報|第[一二三1-9]報|公表|お知らせ(し|い)|発表|掲載|時点|現在|お詫び|ご案内|ご連絡|お送り|設置|開始いたし|再発防止|予定|までに|以降|以前|年度"),
    ("reported_to_authority", r"(警察|警察署|個人情報保護委員会|委員会|省|庁|当局|捜査機関)(に|へ|に対し|にも)?.{0,15}(報告|届|相談|通報|提出)|被害届|遺失届"),
    ("contained", r"停止|閉鎖|遮断|復旧|(を|の)変更|削除|ロック|回収|隔離|切断|無効化|封鎖|解消|非公開|取り下げ|撤去|初期化"),
    ("discovered", r"判明|発覚|確認(し|され|いた)|気づ|気付|覚知|検知|連絡を受|通報を受|指摘を受|申し出|問い合わせ|届き|発見"),
    ("occurred", r"発生|送信|送付|発送|郵送|誤(って|送)|不正(に)?(アクセス|ログイン|利用)|攻撃|感染|盗|紛失|窃盗|(流出|漏え?い|漏洩)(し|さ)|侵入|改ざん|持ち?出|被害|から.{0,6}(まで|にかけて)|実行"),
]
_ROLE_RX = [(role, re.compile(p)) for role, p in _ROLE_CUES]
_LABEL_BEFORE = [
    ("discovered", re.compile(r"(発覚|判明|発見|覚知|確認)(日時|日|時期)[::\s]*$")),
    ("occurred", re.compile(r"(発生|事故発生|送信|発送)(日時|日|時期)[::\s]*$")),
]
_RANGE_AFTER = re.compile(r"^[^。\n]{0,12}?[~〜\-–から]\s*$")


_TIME = re.compile(r"^\s*(\([^)]{1,6}\))?\s*((午前|午後|夕刻|早朝|深夜|未明|夜|朝|昼|夕方|頃|ごろ|\d{1,2}\s*[時:]\s*(\d{1,2}\s*分?)?|~|から|\s)*)[、,]?\s*")


def _clause_role(clause: str) -> str | None:
    """Role(s) of a date from the clause after it; 「…連絡を受け、同日、サイトを閉鎖」 gives two."""
    first, *same_day = re.split(r"同日|同時に", clause)
    roles = [_one_role(first)] + [_one_role(part) for part in same_day]
    roles = [r for r in roles if r and r != "skip"]
    out: list[str] = []
    for r in roles:
        for one in r.split("+"):
            if one not in out:
                out.append(one)
    return "+".join(out) if out else None


def _one_role(clause: str) -> str | None:
    """Japanese is verb-final: the clause's last event verb is what happened on the date,
    unless a verb follows the date immediately (7月29日夕刻に発生したサーバー障害は…)."""
    lead = _TIME.match(clause)
    offset = lead.end() if lead else 0
    hits = []
    for r, rx in _ROLE_RX:
        for hit in rx.finditer(clause):
            hits.append((hit.start(), r))
    if not hits:
        return None
    hits.sort()
    first_pos, first_role = hits[0]
    last_role = hits[-1][1]
    if first_pos - offset <= 3:
        if last_role in ("contained", "discovered") and last_role != first_role and first_role != "skip":
            return first_role + "+" + last_role  # 確認し…閉鎖した: both happened that day
        return first_role
    return last_role


def assign_roles(text: str, mentions: list[DateMention], *, skip_spans: list[tuple[int, int]],
                 disclosure: date | None) -> list[tuple[date, str, int, int]]:
    """[(date, role, start, end)] for the incident dates among ``mentions`` (normalised text)."""
    out: list[tuple[date, str, int, int]] = []
    seen: set[tuple[date, str]] = set()
    for i, m in enumerate(mentions):
        if any(s <= m.start < e for s, e in skip_spans):
            continue
        if disclosure is not None and m.date > disclosure:
            continue
        before = text[max(0, m.start - 20):m.start]
        role = None
        for r, rx in _LABEL_BEFORE:
            if rx.search(before):
                role = r
        if role is None:
            # clause: up to the next date, the end of the sentence, or 70 characters
            stop = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
            end = min(stop, m.end + 70)
            clause = text[m.end:end]
            cut = re.search(r"[。\n]", clause)
            if cut:
                clause = clause[:cut.start()]
            # "2017年3月1日~2017年4月14日 に…": the range shares the clause of its end date
            if i + 1 < len(mentions) and re.fullmatch(r"[^。\n]{0,12}?[~\-–]\s*|\s*から\s*", text[m.end:mentions[i + 1].start]):
                nxt = mentions[i + 1]
                clause = text[nxt.end:min(len(text), nxt.end + 70)].split("。")[0].split("\n")[0]
                clause = "から" + clause
            role = _clause_role(clause)
        if role is None or role == "skip":
            continue
        for one in role.split("+"):
            key = (m.date, one)
            if key not in seen:
                seen.add(key)
                out.append((m.date, one, m.start, m.end))
    return out
