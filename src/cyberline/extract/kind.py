"""What a document is: an organisation's own notice, third-party coverage, an event
announcement, or something else (statistics posts, unrelated pages); and whether a notice
is a follow-up (第2報, 続報, 最終報, "update", or a reference back to an earlier notice)."""

from __future__ import annotations

import re
from functools import cache
from itertools import chain, islice

from .resources import fast_compile, table

_EVENT = fast_compile(r"イベント|カンファレンス|セミナー|ウェビナー|勉強会|講演|登壇|開催|会場|参加(登録|費|申込)|(?i:conference|summit|webinar|seminar|workshop|register now|call for (papers|presentations)|keynote)")
_INCIDENT = fast_compile(r"お詫び|おわび|漏え|漏洩|流出|不正アクセス|被害|紛失|盗難|誤送信|誤送付|感染|ランサム|不正ログイン|不正利用|改ざん|迷惑メール|"
                          r"BCC|Bcc|ＢＣＣ|ご迷惑|ご心配|申し訳|不具合|なりすまし|騙った|不審な?メール|Emotet|エモテット|マルウ[ェエ]ア|ウ[イィ]ルス|サイバー攻撃|乗っ?取|誤って|誤掲載|誤公開|閲覧可能|フィッシング|第三者に(再)?取得|"
                          r"(?i:breach|incident|unauthori[sz]ed|ransomware|compromis|stolen|attack)")
# Words of _INCIDENT that do not by themselves say that something happened: an apology (「年末年始
# の休業でご迷惑をおかけします」), a threat named as the topic of a defence (「ランサムウェア対策
# セミナー」, 「フィッシング対策協議会」), "incident response" / "attack surface".  A text needs
# at least one other incident word to be an incident.
_NOT_AN_OCCURRENCE = re.compile(r"お詫び|おわび|ご迷惑|ご心配|申し訳")
_TOPIC_AFTER = re.compile(r"[ァ-ヶーA-Za-z]*\s?(?:対策|への備え|に備え"
                          r"|(?i:response|management|plan|surface|tree|simulation|prevention|awareness))")


# English words that are as much about war, crime or contracts as about computers ("terrorist
# attacks", "a stolen car", "breach of contract", "a serious incident"): they count only with
# something digital in the same sentence.  The other words count alone.
_NEEDS_CONTEXT = re.compile(r"(?i:breach|incident|stolen|attack)")
# Lower-case words, run on the lowered text (without re.I the engine can skip ahead: 5x faster)
_DIGITAL = fast_compile(
    r"cyber|ransom|hack|malware|virus|phish|ddos|denial.of.service|network|server|systems?\b|web ?site|computer"
    r"|\bdata|database|information|records?\b|e-?mails?\b|accounts?\b|password|credential|online|internet|laptop"
    r"|devices?\b|software|files\b|documents|\bcards?\b|identit|privacy|personal|patient|customer"
    # the data of a paper or mailing breach, and crypto assets
    r"|social security|\bssns?\b|\bphi\b|\bpii\b|protected health|dates? of birth|addresses|diagnos|envelope"
    r"|\bmail|letters?\b|\bfax|print|drives?\b|disks?\b|\busb\b|log ?books?|encrypt|exploit|vulnerab|crypto|wallet"
    # social media and apps, trade secrets, known flaws (not phones, messages, photos or video:
    # they are as common in general news; measured on the Lee corpus, docs/accuracy.md)
    r"|facebook|twitter|social media|\bapps?\b|trade secrets?|\bcve-|zero.day")
_IT = re.compile(r"\bIT\b")  # case matters: not the pronoun
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")  # Japanese text: the English word is a name (Emotet, BCC)


def _is_digital(sentence: str) -> bool:
    return bool(_DIGITAL.search(sentence.lower()) or _IT.search(sentence) or _CJK.search(sentence))


# Whatever else it says, an English article about a cyber incident names computers, data,
# accounts or networks again and again (median 15 such words in the first 4,000 characters of
# the VCDB/HHS/timeline TUNE texts over 800 characters; fewer than 2 in 0.25%); general news
# does not (fewer than 2 in 93% of the Lee corpus's real news paragraphs; docs/accuracy.md).
# Breach-database summaries are telegraphic ("Publishing error": none), so the shorter the
# text, the less is asked: VCDB TUNE summaries with none: 12% under 150 characters, 3% at
# 150-300, 1% at 300-500, 0.2% at 500-800.
def min_digital_words(text_chars: int) -> int:
    """How many such words an English incident text of this length needs."""
    return 2 if text_chars > 800 else 1 if text_chars >= 300 else 0


def names_enough_digital(text: str, text_chars: int | None = None) -> bool:
    """Whether an English text names computers, data, accounts or networks (in its first 4,000
    characters) as often as an incident text of its length (``text_chars``, default len(text))
    does (min_digital_words); stops at the words it needs."""
    need = min_digital_words(len(text) if text_chars is None else text_chars)
    head = text[:4000]
    hits = chain(_IT.finditer(head), _DIGITAL.finditer(head.lower()))
    return sum(1 for _ in islice(hits, need)) >= need


# resources.sentences splits at 。 and line ends only: an English sentence ends at . ! ? too
_SENTENCE_END = re.compile(r"[.!?。\n]")


def _sentence(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 300), start)), default=max(0, start - 300))
    right = _SENTENCE_END.search(text, end)
    return text[left:right.start() if right else min(len(text), end + 300)]


def _occurrences(text: str) -> int:
    """Incident words in ``text`` that say something happened (not an apology, not a topic,
    not an English word of war or crime with nothing digital in its sentence)."""
    n = 0
    for m in _INCIDENT.finditer(text):
        if _NOT_AN_OCCURRENCE.fullmatch(m.group()) or _TOPIC_AFTER.match(text, m.end()):
            continue
        if _NEEDS_CONTEXT.fullmatch(m.group()) and not _is_digital(_sentence(text, m.start(), m.end())):
            continue
        n += 1
    return n


_STATS = fast_compile(r"統計|件中|\d+(\.\d+)?%|割合|四半期|タイムライン|ランキング|(?i:statistics|timeline|percent|quarter)")
_APOLOGY = fast_compile(r"お詫び|おわび|申し訳|ご迷惑|ご心配|(?i:we (sincerely )?apologi[sz]e|we regret)")
_FIRST_PERSON = fast_compile(r"弊社|当社|本学|本校|本市|当市|当院|当法人|当協会|当局|当行|当組合|当財団|本県|当県|都では|市では|県では|(?i:\bwe\b|\bour\b|\bus\b)")
_THIRD_PERSON = fast_compile(r"(は|が)、?[^。]{0,80}(発表|公表|明らかに|報告)(しました|した|している|していた)|によると|と(発表|公表)|(?i:announced|disclosed|reported that|according to|said in a statement)")


def detect_kind(text: str, title: str = "") -> tuple[str, float]:
    head = (title + "\n" + text[:1500])
    n_event = len(_EVENT.findall(head))
    n_incident = _occurrences(text[:4000])
    n_stats = len(_STATS.findall(head))
    first_line = next((ln for ln in (title + "\n" + text[:600]).split("\n") if ln.strip()), "")
    if n_event >= 2 and n_event > n_incident and not _APOLOGY.search(head) and not _occurrences(first_line):
        return "event", 0.8
    if n_stats >= 3 and not _APOLOGY.search(text[:4000]):
        return "other", 0.7
    if n_incident == 0:
        return "other", 0.5
    first = len(_FIRST_PERSON.findall(text[:2000]))
    if _THIRD_PERSON.search(text[:600]) and first <= 1 and not _APOLOGY.search(text[:2000]):
        return "incident_news", 0.7
    return "incident_notice", 0.8


@cache
def _something_wrong_en() -> re.Pattern[str]:
    # lower-case patterns run on the lowered text: without re.I the engine can skip ahead
    return fast_compile("|".join(f"(?:{p})" for p in table("incident_words_en.toml")["patterns"]))


def names_something_wrong(text: str) -> bool:
    """Whether an English text uses a word that says something went wrong (a breach, a theft, a
    mistake, a crime: data/incident_words_en.toml).  A product launch, a funding round or a
    conference does not; see classify_fields.reads_as_incident."""
    return _something_wrong_en().search(text.lower()) is not None


_FOLLOWUP_HEAD = re.compile(r"第\s*([2-9２-９]|[二三四五六七八九]|1\d)\s*報|続報|最終報|追加報告|"
                            r"(?i:(^|[\[(【|:\-–]\s*)(update[ds]?|supplemental notice|follow-up)\b|\bupdate (on|to|regarding)\b|\bupdated?\s*:)")
_FOLLOWUP_BODY = re.compile(
    r"既報|第[一1]報(で|にて|において|の(とおり|通り)|に続き|\s*[:：(（])|先般(ご案内|お知らせ|ご報告|公表|発表)|"
    r"にて(お知らせ|ご報告|公表)(して(おり|い)ました|いたしました|しました)|"
    r"(お知らせ|ご報告|公表|発表|ご案内)(して(おり|い)ました|いたしました|しました)(が|とおり|通り)|前回(の)?(お知らせ|ご報告|発表|公表)|"
    # 「9月16日に発表いたしました「…」のとおり」「10月13日付け「…」でご案内のとおり」
    r"(日|付け?)に?(公表|発表|お知らせ|ご案内|ご報告|掲載)(しました|いたしました|した)|」(で|にて)?(ご案内|お知らせ)?の(とおり|通り)|"
    r"(調査|第三者)委員会.{0,6}報告書|本日更新|更新(された|した)(部分|箇所)|"
    r"(?i:previously (announced|reported|disclosed|notified)|update (to|on) (our|the) (previous|earlier)|as (we )?(previously|earlier) (announced|reported))")
_FUTURE = re.compile(r"続報(を|は|に|について|につき)|(判明|わかり)次第.{0,10}(続報|お知らせ)")


def is_followup(text: str, title: str = "") -> tuple[bool, tuple[int, int] | None]:
    for m in _FOLLOWUP_HEAD.finditer(title or ""):
        if not _FUTURE.match(title[m.start():m.end() + 8]):
            return True, None
    # the head: the first three lines, and the title-like lines (short, no sentence end) above
    # the body ("Hackney, / 14 / October / 2020 / Update on …")
    pos, n = 0, 0
    for line in text[:5000].split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        n += 1
        if n > 10:
            break
        if n > 3 and (len(line) >= 90 or re.search(r"[。.]\s*$", line)):
            continue
        for m in _FOLLOWUP_HEAD.finditer(line):
            if _FUTURE.match(line[m.start():m.end() + 8]):
                continue
            return True, (start + m.start(), start + m.end())
    m = _FOLLOWUP_BODY.search(text[:3000])
    if m:
        return True, (m.start(), m.end())
    return False, None
