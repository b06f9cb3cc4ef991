"""Where a phrase stands in a notice, as a weight: the notice's own title line, the opening and
the 概要/経緯 sections say what happened; advice to readers, negated statements and the
再発防止策 section do not.  Computed once per document, looked up per hit by bisection."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

TITLE, HEAD, BODY, LOW = 3.0, 1.5, 1.0, 0.25
OPENING_CHARS = 400

_SENT = re.compile(r"[^。\n]+。?")
_HEADER_PREFIX = r"^\s*(?:[0-9一二三四五六七八九十]{1,2}\s*[\.．、):]?|\(\s*\d+\s*\)|[■◆●◇□◎○・【\[<〈]|第[0-9一二三四五]+\s*)?\s*"
_HEAD_SECTION = re.compile(_HEADER_PREFIX + r"[^。]{0,15}?(概要|経緯|経過|内容|発生状況|状況|事象|原因|発生(した)?事案|(?i:what happened|summary|background))")
_LOW_SECTION = re.compile(_HEADER_PREFIX + r"(?:今後の|当社の|本学の|弊社の)?(再発防止|対策|対応策|お(客様|願い)|ご?注意|注意喚起|お?問い?合わ?せ|窓口|ご不明|今後の対応|(?i:what you can do|steps you can take|for more information|what we are doing))")
_NUMBERED = re.compile(r"^\s*([0-9一二三四五六七八九十]{1,2}\s*[\.．、)]|\(\s*\d+\s*\))")
_TITLE_LINE = re.compile(r"【|お詫び|おわび|お知らせ|について|ご報告|ご案内|(?i:notice of|data (security )?(incident|breach)|statement)")
_LOW_SENT = re.compile(
    r"ご?注意(ください|下さい|を(お願い|促)|喚起)|お願い(いたし|申し上げ|し)ます|ご確認(ください|下さい|をお願い)|"
    r"では(ありません|ございません|なく)|(確認|発生|判明)(はされて|されて|して)?(おりません|いません|ありません)|ございません|"
    r"ありませんでした|ください|下さい|(たり|と)する(可能性|おそれ|恐れ)|の投稿を表示しています|すべての投稿を表示|(可能性|おそれ)は(低い|ない|ありません)|努めて|徹底|再発防止|(?i:please|we (encourage|recommend)|"
    r"no evidence|not (been )?(affected|accessed|involved|compromised)|be (alert|vigilant|cautious))")


@dataclass
class Zones:
    text: str
    starts: list[int]
    ends: list[int]
    weights: list[float]

    def sentence_index(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)

    def sentence_text(self, i: int) -> str:
        return self.text[self.starts[i]:self.ends[i]] if self.starts else ""

    def weight(self, i: int) -> float:
        return self.weights[i] if self.weights else BODY

    def weight_at(self, pos: int) -> float:
        return self.weight(self.sentence_index(pos))


def zones(text: str) -> Zones:
    starts, ends, weights = [], [], []
    section = BODY
    title_done = False
    lines_seen = 0
    for m in _SENT.finditer(text):
        s, e = m.start(), m.end()
        sent = m.group()
        whole_line = (s == 0 or text[s - 1] == "\n") and (e == len(text) or text[e] == "\n" or sent.endswith("。") is False)
        w = None
        if whole_line:
            lines_seen += 1
            stripped = sent.strip()
            if len(stripped) <= 40 and "。" not in stripped:
                if _LOW_SECTION.match(stripped):
                    section = LOW
                    w = LOW
                elif _HEAD_SECTION.match(stripped):
                    section = HEAD
                    w = HEAD
                elif re.match(_HEADER_PREFIX[:-3] + r"\s*\S", stripped) and re.match(r"^\s*([0-9一二三四五六七八九十]{1,2}\s*[\.．、)]|\(\s*\d+\s*\)|[■◆●◇□【])", stripped):
                    section = BODY  # another numbered heading: back to ordinary text
            if not title_done and lines_seen <= 8 and not _NUMBERED.match(stripped) and len(stripped) <= 120 and _TITLE_LINE.search(stripped) \
                    and "。" not in stripped:
                title_done = True
                w = TITLE
        if w is None:
            w = section
            if s < OPENING_CHARS and w == BODY:
                w = HEAD
            if w > LOW and _LOW_SENT.search(sent):
                w = LOW
        starts.append(s)
        ends.append(e)
        weights.append(w)
    return Zones(text, starts, ends, weights)
