"""What a document is: an organisation's own notice, third-party coverage, an event
announcement, or something else (statistics posts, unrelated pages); and whether a notice
is a follow-up (第2報, 続報, 最終報, "update", or a reference back to an earlier notice)."""

from __future__ import annotations

import re

from .resources import fast_compile

_EVENT = fast_compile(r"イベント|カンファレンス|セミナー|ウェビナー|勉強会|講演|登壇|開催|会場|参加(登録|費|申込)|(?i:conference|summit|webinar|seminar|workshop|register now|call for (papers|presentations)|keynote)")
_INCIDENT = fast_compile(r"お詫び|おわび|漏え|漏洩|流出|不正アクセス|被害|紛失|盗難|誤送信|誤送付|感染|ランサム|不正ログイン|不正利用|改ざん|迷惑メール|(?i:breach|incident|unauthori[sz]ed|ransomware|compromis|stolen|attack)")
_STATS = fast_compile(r"統計|件中|\d+(\.\d+)?%|割合|四半期|タイムライン|ランキング|(?i:statistics|timeline|percent|quarter)")
_APOLOGY = fast_compile(r"お詫び|おわび|申し訳|ご迷惑|ご心配|(?i:we (sincerely )?apologi[sz]e|we regret)")
_FIRST_PERSON = fast_compile(r"弊社|当社|本学|本校|本市|当市|当院|当法人|当協会|当局|当行|当組合|当財団|本県|当県|都では|市では|県では|(?i:\bwe\b|\bour\b|\bus\b)")
_THIRD_PERSON = fast_compile(r"(は|が)、?[^。]{0,80}(発表|公表|明らかに|報告)(しました|した|している|していた)|によると|と(発表|公表)|(?i:announced|disclosed|reported that|according to|said in a statement)")


def detect_kind(text: str, title: str = "") -> tuple[str, float]:
    head = (title + "\n" + text[:1500])
    n_event = len(_EVENT.findall(head))
    n_incident = len(_INCIDENT.findall(text[:4000]))
    n_stats = len(_STATS.findall(head))
    if n_event >= 2 and n_event > n_incident and not _APOLOGY.search(head):
        return "event", 0.8
    if n_stats >= 3 and not _APOLOGY.search(text[:4000]):
        return "other", 0.7
    if n_incident == 0:
        return "other", 0.5
    first = len(_FIRST_PERSON.findall(text[:2000]))
    if _THIRD_PERSON.search(text[:600]) and first <= 1 and not _APOLOGY.search(text[:2000]):
        return "incident_news", 0.7
    return "incident_notice", 0.8


_FOLLOWUP_HEAD = re.compile(r"第\s*([2-9２-９]|[二三四五六七八九]|1\d)\s*報|続報|最終報|追加報告|(?<!\w)(?i:update[ds]?\b|supplemental notice|follow-up)")
_FOLLOWUP_BODY = re.compile(
    r"既報|第[一1]報|にて(お知らせ|ご報告|公表)(して(おり|い)ました|いたしました|しました)|"
    r"(お知らせ|ご報告|公表)(して(おり|い)ました|いたしました)(が|とおり|通り)|前回(の)?(お知らせ|ご報告|発表|公表)|"
    r"(調査|精査)が(完了|終了)(しました|いたしました)ので|"
    r"(?i:previously (announced|reported|disclosed|notified)|update (to|on) (our|the) (previous|earlier))")
_FUTURE = re.compile(r"続報(を|は|に|について|につき)|(判明|わかり)次第.{0,10}(続報|お知らせ)")


def is_followup(text: str, title: str = "") -> tuple[bool, tuple[int, int] | None]:
    head_lines = "\n".join(text.split("\n")[:3])
    for source, offset in ((title, None), (head_lines, 0)):
        for m in _FOLLOWUP_HEAD.finditer(source or ""):
            tail = source[m.start():m.end() + 8]
            if _FUTURE.match(tail):
                continue
            return True, ((m.start(), m.end()) if offset is not None else None)
    m = _FOLLOWUP_BODY.search(text[:3000])
    if m:
        return True, (m.start(), m.end())
    return False, None
