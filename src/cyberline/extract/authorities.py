"""reported_to: police / ppc / other, when the organisation says it told them."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from .resources import compile_any, sentences, table

KINDS = ("police", "ppc", "other")


@cache
def _rx() -> dict[str, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str] | None]]:
    data = table("authorities.toml")
    out = {}
    for kind in KINDS:
        d = data[kind]
        out[kind] = (compile_any(d["words"]), compile_any(d["verbs"]),
                     compile_any(d["direct"]) if d["direct"] else None)
    return out


# "警察からの問い合わせ", "警察から連絡があり": the authority acted, the organisation did not report.
_FROM = re.compile(r"^\s*(から|より)")
_NEG = re.compile(r"(予定はありません|しておりません|していません|(報告|届出|通報)(は|の必要は|の)?(不要|対象外|ありません)|(?i:not (been )?(reported|notified)))")
# "必要に応じて関係機関へ報告を行います": a possible future report, not a report made
_IF_NEEDED = re.compile(r"必要に応じ|(?i:if (necessary|required|needed))")
# "警察本部の職員が…": the organisation is the police itself
# "県教育委員会は、…学校へ連絡した": the authority is the subject, it acted
_SUBJECT = re.compile(r"^\s*((は|が)[、,]|では|において(は)?[、,]?)")
# "被害届を受理": the police's own act (the notice is by the police)
_RECEIVED = re.compile(r"受理|受け付け")
_OWN_STAFF = re.compile(r"^\s*(本部)?の?(職員|官|署員)")
# 「警察官を名乗る不審な電話」: someone posing as the police
_POSING = re.compile(r"^\s*(官|職員|署員)?(を|と)?(名乗|装|騙|かた)")
# advice to readers: 「不審な電話があった場合は最寄りの警察署にご相談ください」 is no report
_ADVICE = re.compile(r"ください|下さい|お願い(いたし|し)ます|最寄り|(?i:please|you (should|may|can))")


def find_authorities(text: str) -> tuple[list[str], tuple[int, int] | None, list[tuple[str, int]]]:
    """(kinds, evidence span, [(kind, sentence start)]) — the last for dating the report."""
    rx = _rx()
    found: dict[str, tuple[int, int]] = {}
    where: list[tuple[str, int]] = []
    # only sentences that name an authority (or a direct phrase) need the per-kind checks
    anchors = sorted({m.start() for words, _v, direct in rx.values()
                      for r in ((words, direct) if direct is not None else (words,)) for m in r.finditer(text)})
    if not anchors:
        return [], None, where
    for start, end, sent in sentences(text):
        i = bisect_left(anchors, start)
        if i == len(anchors) or anchors[i] >= end:
            continue
        if _ADVICE.search(sent):
            continue
        for kind, (words, verbs, direct) in rx.items():
            hit = None
            if direct is not None:
                hit = direct.search(sent)
                if hit and _RECEIVED.search(sent[max(0, hit.start() - 20):hit.end() + 8]):
                    hit = None
            if hit is None:
                for m in words.finditer(sent):
                    rest = sent[m.end():]
                    if _FROM.match(rest) or _SUBJECT.match(rest) or _POSING.match(rest) or _OWN_STAFF.match(rest) or _RECEIVED.search(rest[:12]) or _IF_NEEDED.search(sent):
                        continue
                    if verbs.search(rest) and not _NEG.search(rest):
                        hit = m
                        break
            if hit:
                found.setdefault(kind, (start + hit.start(), start + hit.end()))
                where.append((kind, start))
    if not found:
        return [], None, where
    spans = list(found.values())
    return [k for k in KINDS if k in found], (min(s[0] for s in spans), max(s[1] for s in spans)), where
