"""affected_persons / affected_orgs / amount_lost from counted phrases.

Several counts appear in a notice (mails sent, staff involved, records, people); each candidate
is scored by its unit (名/人 over 件), by 計/合計, and by leak words around it, and the best wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import NUM_JA, as_int, parse_en_number, parse_ja_number

_PERSON_JA = re.compile(rf"(?P<pre>約|計|合計|総計|総数|最大|延べ)?\s*(?P<num>{NUM_JA})\s*(?P<unit>名|人|件)(?P<bun>分)?")
_ORG_JA = re.compile(rf"(?P<num>{NUM_JA})\s*(?P<unit>法人|団体|事業者|事業所|企業|社)(?!員|内|長|会|外|名|製|屋)")
_LEAK = re.compile(r"漏え|漏洩|漏れ|流出|対象|影響|閲覧|可能性|含ま|記載|記録|紛失|盗難|誤送|誤って|送付|お客様|顧客|会員|個人情報|該当|被害|不正|表示")
_BAD_BEFORE = re.compile(r"(職員|社員|教員|教諭|担当者?|スタッフ|従業員|委託先|作業員|警察官|うち|内、|内|計画|定員|募集|受講生?|参加者?)\s*$")
_BAD_AFTER = re.compile(r"^\s*(の)?(職員|社員|教員|スタッフ|従業員|が亡くな|発生|の事案|目|程度の(職員|社員)|以上の(職員|社員)|体制)")
_DATA_AFTER = re.compile(r"^\s*(分)?\s*の?(メールアドレス|個人情報|お客様|会員|顧客|氏名|情報|データ|アカウント|ID)")
_EXCLUDE_NUM_BEFORE = re.compile(r"[\d,.A-Za-z第#№]$")

_PERSON_EN = re.compile(
    r"(?P<num>\d[\d,]*(?:\.\d+)?(?:\s*(?:million|thousand|billion))?)\s+(?P<unit>(?:current and former |former |affected |additional |potentially affected )?"
    r"(?:individuals|people|persons|patients|customers|employees|members|residents|students|consumers|users|clients|accounts|records|donors|victims))", re.I)
_ORG_EN = re.compile(r"(?P<num>\d[\d,]*)\s+(?P<unit>companies|organizations|organisations|businesses|firms|clients\b(?= companies))", re.I)
_LEAK_EN = re.compile(r"affect|impact|notif|compromis|expos|access|breach|involv|stolen|leak|potentially", re.I)


@dataclass
class Count:
    value: int
    start: int
    end: int
    score: float


def _window(text: str, start: int, end: int, width: int = 30) -> str:
    return text[max(0, start - width):min(len(text), end + width)]


def affected_persons_ja(text: str) -> Count | None:
    best: Count | None = None
    for m in _PERSON_JA.finditer(text):
        if _EXCLUDE_NUM_BEFORE.search(text[max(0, m.start() - 1):m.start()]):
            continue
        value = as_int(parse_ja_number(m.group("num")))
        if not value or value > 500_000_000:
            continue
        before = text[max(0, m.start() - 12):m.start()]
        after = text[m.end():m.end() + 12]
        if _BAD_BEFORE.search(before) or _BAD_AFTER.match(after):
            continue
        score = 1.0
        score += 2.0 if m.group("unit") in ("名", "人") else 0.0
        score += 1.0 if m.group("bun") else 0.0
        score += 1.0 if m.group("pre") in ("計", "合計", "総計", "総数", "最大") else 0.0
        score += 2.0 if _LEAK.search(_window(text, m.start(), m.end())) else 0.0
        score += 1.0 if _DATA_AFTER.match(after) else 0.0
        if re.match(r"^\s*(通|回|箇所)", after):
            continue
        if best is None or score > best.score:
            best = Count(value, m.start(), m.end(), score)
    if best is not None and best.score < 3.0:
        return None
    return best


def affected_orgs_ja(text: str) -> Count | None:
    for m in _ORG_JA.finditer(text):
        if _EXCLUDE_NUM_BEFORE.search(text[max(0, m.start() - 1):m.start()]):
            continue
        value = as_int(parse_ja_number(m.group("num")))
        if value and _LEAK.search(_window(text, m.start(), m.end(), 40)) and m.group("unit") != "社" or (
            value and m.group("unit") == "社" and re.search(r"(取引先|企業|法人|会社)(様)?\s*$", text[max(0, m.start() - 8):m.start()])
        ):
            return Count(value, m.start(), m.end(), 1.0)
    return None


def affected_persons_en(text: str) -> Count | None:
    best = None
    for m in _PERSON_EN.finditer(text):
        value = as_int(parse_en_number(m.group("num")))
        if not value:
            continue
        score = 1.0 + (2.0 if _LEAK_EN.search(_window(text, m.start(), m.end(), 60)) else 0.0)
        if re.search(r"individuals|people|persons|patients", m.group("unit"), re.I):
            score += 1.0
        if best is None or score > best.score:
            best = Count(value, m.start(), m.end(), score)
    return best


def affected_orgs_en(text: str) -> Count | None:
    m = _ORG_EN.search(text)
    if m:
        value = as_int(parse_en_number(m.group("num")))
        if value:
            return Count(value, m.start(), m.end(), 1.0)
    return None


# --- money ---------------------------------------------------------------------------------
_CURRENCY_JA = {"円": "JPY", "ドル": "USD", "米ドル": "USD", "ユーロ": "EUR", "ビットコイン": "BTC", "BTC": "BTC", "ETH": "ETH"}
_AMOUNT_JA = re.compile(rf"(?P<pre>総額|約|計)*\s*(?P<num>{NUM_JA})\s*(?P<cur>米ドル|ドル|円|ユーロ|ビットコイン|BTC|ETH)")
_AMOUNT_EN = re.compile(
    r"(?P<sym>[$€£])\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>million|billion|thousand|[MBK]\b|mn|bn)?"
    r"|(?P<num2>\d[\d,]*(?:\.\d+)?)\s*(?P<scale2>million|billion)?\s*(?P<cur>dollars|USD|euros?|EUR|pounds|GBP|BTC|ETH)", re.I)
_LOSS = re.compile(r"被害|損失|損害|流出|盗|詐取|詐欺|騙|失|不正送金|不正(に)?(引き出|送金|出金|利用)|身代金|支払|(?i:stol|lost|loss|ransom|paid|theft|drain|fraud|scam|steal|heist|exploit)")
_SYMBOL = {"$": "USD", "€": "EUR", "£": "GBP"}
_CUR_EN = {"dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR", "eur": "EUR", "pounds": "GBP", "gbp": "GBP", "btc": "BTC", "eth": "ETH"}


def amount_lost(text: str) -> tuple[float, str, int, int] | None:
    """(amount, currency, start, end) of the first sum of money lost, or None."""
    for m in _AMOUNT_JA.finditer(text):
        if _EXCLUDE_NUM_BEFORE.search(text[max(0, m.start() - 1):m.start()]):
            continue
        value = parse_ja_number(m.group("num"))
        if value and _LOSS.search(_window(text, m.start(), m.end(), 40)):
            return value, _CURRENCY_JA[m.group("cur")], m.start(), m.end()
    for m in _AMOUNT_EN.finditer(text):
        if m.group("sym"):
            num, scale, cur = m.group("num"), m.group("scale"), _SYMBOL[m.group("sym")]
        else:
            num, scale, cur = m.group("num2"), m.group("scale2"), _CUR_EN[m.group("cur").lower()]
        value = parse_en_number(num + (" " + scale if scale else ""))
        if value and _LOSS.search(_window(text, m.start(), m.end(), 60)):
            return value, cur, m.start(), m.end()
    return None
