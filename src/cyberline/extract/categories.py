"""data_categories: which kinds of personal data the text says leaked (or may have).

Precision first: a category word counts only where the text lists what leaked —
  * inside a "what leaked" block: a heading such as 流出した可能性のある情報 / 漏えいした個人情報 /
    対象となる情報 / 記録されていた情報 and the lines under it, or a 「…情報(氏名、住所…)」 list;
  * or in a sentence whose verb says the data leaked, was seen, sent, recorded or contained
    (漏えい, 流出, 閲覧, 送付, 記載, 含まれ, exposed, accessed, included …).
Advice to readers (パスワードを変更してください) and negated statements (…の流出は確認されて
おりません) never count.  `other` when personal data is mentioned as leaked but not itemised, or
an item outside the list is named.

One pass per category over the whole text (one compiled alternation each); each hit is mapped to
its sentence by bisection, and sentence flags are computed once.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from .resources import compile_any, table

ORDER = ["name", "address", "phone", "email", "birthdate", "credit_card_number", "card_expiry",
         "card_security_code", "bank_account", "login_credentials", "national_id", "health", "other"]

_SENT = re.compile(r"[^。\n]+。?")
_POSSIBLE = re.compile(r"可能性|おそれ|恐れ|懸念|(?i:may have|potentially|possibly)")
_LEAK_VERB = re.compile(
    r"漏え|漏洩|漏れ|流出|閲覧|表示され|送付|送信|発送|誤送|添付|同封|記載|記録|含まれ|含む|保存|窃取|不正に取得|盗|紛失|所在不明|"
    r"持ち出|公開され|掲載|参照|対象(と|の|情報)|内容|項目|(?i:expos|accessed|acquired|obtained|included|involv|contain|stolen|compromised|viewed|impacted|affected)")
_BLOCK_HEAD = re.compile(
    r"(流出|漏え|漏洩|漏れ|閲覧|対象|記録|記載|含まれ|保存|誤送信|送付|紛失|窃取)[^。\n]{0,20}(情報|内容|項目|データ|事項)|"
    r"(個人情報|情報)の(内容|項目|種類)|(?i:information (involved|affected|exposed|impacted)|what information|types? of information)")


# 「誤ったメールアドレスに送信」「当該メールアドレスから」: the address is where mail went, not
# what leaked.  A data word followed by a direction particle, or preceded by a pointing word, is a tool.
_TOOL_AFTER = re.compile(r"\s*(宛て?|に|へ|から|より|を(使用|使っ|悪用|誤|確認|変更|予め|入力)|を?(誤入力|誤って入力|入力(ミス|誤り)|誤記)|(?i:to\b|from\b))")
_TOOL_BEFORE = re.compile(r"(誤った|当該|特定の|別の|送信元の?|送信先の?|差出人の?|異なる)\s*$")
# (pattern.match(text, pos) anchors at pos; a leading ^ would only match at 0)
# 「社員の名前を騙った」「複雑なパスワードを設定」「ファイルにパスワードを付け」: a name used to pose, a
# password that protects — not data that leaked
_POSE_AFTER = re.compile(r"\s*(を|で)?(騙|かた|名乗|装|偽)")
_PROTECT_AFTER = re.compile(r"\s*(を|が|の|で)?(設定|付与|付け|付き|かけ|掛け|保護|ロック|暗号|による(保護|暗号|ロック))")
_PROTECT_BEFORE = re.compile(r"(複雑な|十分な長さの|異なる|解除|設定した|別途)\s*$")


_CONTRAST = re.compile(r"ものの、?|(て|で)?おり、|であり、|けれども?、?|一方(で)?、|(ました|です|ません)が、|(ない|おらず)が、")


@cache
def _rx():
    data = table("categories.toml")
    cats = {k: compile_any(v) for k, v in data.items() if k in ORDER}
    ctx = data["context"]
    return cats, compile_any(ctx["skip"]), compile_any(ctx["negation"]), compile_any(ctx["personal"])


def _sentences(text: str):
    """starts, ends, and per sentence: counts (in a leak context, not advice/negated)."""
    _cats, skip, negation, _personal = _rx()
    starts, ends, ok = [], [], []
    block = 0  # lines left in a "what leaked" block
    for m in _SENT.finditer(text):
        s, e, sent = m.start(), m.end(), m.group()
        stripped = sent.strip()
        line_start = s == 0 or text[s - 1] == "\n"
        if line_start and block:
            block -= 1
        head = len(stripped) <= 60 and _BLOCK_HEAD.search(stripped)
        if head:
            block = 12
        good = bool(block or head or _LEAK_VERB.search(sent))
        if good and skip.search(sent):
            good = False
        if good and negation.search(sent) and not _POSSIBLE.search(sent):
            good = False
            cut = [c.end() for c in _CONTRAST.finditer(sent)]
            if cut:
                # 「生年月日は記録されていないものの、ID、病名が記録されていた」: each part on its own
                for a, b in zip([0] + cut, cut + [len(sent)]):
                    part = sent[a:b]
                    starts.append(s + a)
                    ends.append(s + b)
                    ok.append(not (negation.search(part) and not _POSSIBLE.search(part)) and not skip.search(part))
                continue
        starts.append(s)
        ends.append(e)
        ok.append(good)
        if line_start and not stripped and block:
            block = max(0, block - 3)  # blank lines end a block soon
    return starts, ends, ok


def find_categories(text: str) -> tuple[list[str], tuple[int, int] | None]:
    cats, _skip, _negation, personal = _rx()
    starts, _ends, ok = _sentences(text)
    ok = list(ok)
    if not starts:
        return [], None

    def usable(pos: int) -> bool:
        return ok[max(0, bisect_right(starts, pos) - 1)]

    # a sentence naming three or more data items is a list of what leaked
    hits: dict[str, list[re.Match[str]]] = {cat: list(rx.finditer(text)) for cat, rx in cats.items()}
    per_sentence: dict[int, int] = {}
    for cat, ms in hits.items():
        for m in ms:
            k = bisect_right(starts, m.start()) - 1
            per_sentence[k] = per_sentence.get(k, 0) + 1
    for k, n in per_sentence.items():
        if n >= 3 and k >= 0 and not ok[k]:
            sent = text[starts[k]:_ends[k]]
            if not _rx()[1].search(sent) and not (_rx()[2].search(sent) and not _POSSIBLE.search(sent)):
                ok[k] = True

    found: dict[str, tuple[int, int]] = {}
    for cat, ms in hits.items():
        for m in ms:
            if cat in ("email", "phone", "address") and (
                    _TOOL_AFTER.match(text, m.end()) or _TOOL_BEFORE.search(text[max(0, m.start() - 8):m.start()])):
                continue
            if _POSE_AFTER.match(text, m.end()):
                continue
            if cat == "login_credentials" and (_PROTECT_AFTER.match(text, m.end())
                                               or _PROTECT_BEFORE.search(text[max(0, m.start() - 8):m.start()])):
                continue
            if usable(m.start()):
                found[cat] = (m.start(), m.end())
                break
    if not found:
        for m in personal.finditer(text):
            if usable(m.start()):
                found["other"] = (m.start(), m.end())
                break
    if not found:
        return [], None
    spans = list(found.values())
    return [c for c in ORDER if c in found], (min(s[0] for s in spans), max(s[1] for s in spans))
