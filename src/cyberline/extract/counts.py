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
_LEAK = re.compile(r"漏え|漏洩|収集|窃取|漏れ|流出|対象|影響|閲覧|可能性|含ま|記載|記録|紛失|盗難|誤送|誤って|送付|お客様|顧客|会員|個人情報|該当|被害|不正|表示")
_BAD_BEFORE = re.compile(r"(職員|社員|教員|教諭|担当者?|スタッフ|従業員|委託先|作業員|警察官|うち|内、|内|計画|定員|募集|受講生?|参加者?)\s*$")
_BAD_AFTER = re.compile(r"^\s*(の)?(職員|社員|教員|スタッフ|従業員|が亡くな|発生|の事案|目|程度の(職員|社員)|以上の(職員|社員)|体制)")
_DATA_AFTER = re.compile(r"^\s*(分)?\s*の?(メールアドレス|個人情報|お客様|会員|顧客|氏名|情報|データ|アカウント|ID)")
_EXCLUDE_NUM_BEFORE = re.compile(r"[\d,.A-Za-z第#№]$")

_ORG_EN = re.compile(r"(?P<num>\d[\d,]*)\s+(?P<unit>companies|organizations|organisations|businesses|firms|clients\b(?= companies))", re.I)


@dataclass
class Count:
    value: int
    start: int
    end: int
    score: float


def _window(text: str, start: int, end: int, width: int = 30) -> str:
    return text[max(0, start - width):min(len(text), end + width)]


# mails sent / received and the people they went to are not the people affected
_MAIL_BEFORE = re.compile(r"(メール|受信した|送信した|送信された|送信先)(は|が)?\s*(約|計)?\s*$")
_RECIPIENT_AFTER = re.compile(r"^\s*(を|が)?(送信|受信|発送)|^の[^。\n\d]{0,8}?(へ|に)(電子)?メールを送信")
_ADDRESSED_AFTER = re.compile(r"^(の)?[^。\n\d]{0,12}?(宛|あて)")
# in a To/CC-instead-of-BCC notice the addressees are the people whose addresses leaked
_BCC = re.compile(r"BCC|Bcc|bcc|ＢＣＣ")
_PAREN_AFTER_DATA = re.compile(r"(氏名|住所|生年月日|電話番号|メールアドレス|番号|口座|情報)[^\n]{0,40}$")
# a digit, a letter or a thousands separator before: the match is the tail of another number
_PART_OF_NUMBER = re.compile(r"[\dA-Za-z第#№]$|\d[,.]$")
# "約1,450件分の一部": part of a count, the number affected is unknown
_PART_AFTER = re.compile(r"^\s*(分)?の一部")
# "サーバーには約8万人の患者情報が記録されている": what a system holds, not who was affected
_HELD_AFTER = re.compile(r"^\s*(分)?の?[^。\n\d]{0,8}?が(記録|保存|登録|格納)されて(いる|おり)")
# "児童111人の保護者89件": the first count only qualifies the second
_QUALIFIER_AFTER = re.compile(r"^\s*の[^。\n\d]{1,6}?\s*\d")
# counts owned by organisations belong to affected_orgs
_ORG_OWNER_BEFORE = re.compile(r"(企業|団体|法人|事業者|取引先)(等|様)?(の)?[^。\n\d]{0,10}$")
_DATA_BEFORE = re.compile(r"(メールアドレス|個人情報|顧客情報|会員情報|氏名|データ|アカウント|ID)(等)?(が|は|の)?\s*(約|計)?\s*$")
# joins of counts to add up: 司会者1名及び講師2名 / Aで4,411件、Bで4,502件
_JOIN = re.compile(r"^\s*(及び|および|並びに|ならびに|と|、|,|，)?[^。\n\d()（）]{0,15}$")
_NO_SUM = re.compile(r"うち|内|中|含|計|以外|除|及ぶ|超|ほか|他")


def _person_candidates(text: str) -> list[Count]:
    cands: list[Count] = []
    bcc = bool(_BCC.search(text))
    head_end = text.find("\n", 1)
    for m in _PERSON_JA.finditer(text):
        if _PART_OF_NUMBER.search(text[max(0, m.start() - 2):m.start()]):
            continue
        value = as_int(parse_ja_number(m.group("num")))
        if not value or value > 500_000_000:
            continue
        before = text[max(0, m.start() - 12):m.start()]
        after = text[m.end():m.end() + 20]
        if _BAD_BEFORE.search(before) or _BAD_AFTER.match(after):
            continue
        if re.match(r"^\s*(通|回|箇所)", after) or _PART_AFTER.match(after) or _HELD_AFTER.match(after) or _QUALIFIER_AFTER.match(after):
            continue
        if _MAIL_BEFORE.search(before) or _RECIPIENT_AFTER.match(after) or _ORG_OWNER_BEFORE.search(before):
            continue
        if not bcc and _ADDRESSED_AFTER.match(after):
            continue
        score = 1.0
        score += 2.0 if m.group("unit") in ("名", "人") else 0.0
        score += 1.0 if m.group("bun") else 0.0
        score += 1.0 if m.group("pre") in ("計", "合計", "総計", "総数", "最大") else 0.0
        score += 2.0 if _LEAK.search(_window(text, m.start(), m.end())) else 0.0
        score += 1.0 if _DATA_AFTER.match(after) or _DATA_BEFORE.search(before) else 0.0
        if text[m.start() - 1:m.start()] in "(（" and text[m.end():m.end() + 1] in ")）" \
                and _PAREN_AFTER_DATA.search(text[max(0, m.start() - 41):m.start() - 1]):
            score += 2.0  # "…、郵便番号。(3,000件)": the count of the data just listed
        if m.start() < head_end and not re.match(r"^\s*(超|以上|余り|あまり)", after):
            score += 1.0  # the headline's figure
        cands.append(Count(value, m.start(), m.end(), score))
    return cands


def _sums(text: str, cands: list[Count]) -> list[Count]:
    """Runs of counts joined by 及び / と / 、 with short words between: a run whose last
    count is the sum of the others is a table with its total; otherwise the run is added up."""
    out, run = [], cands[:1]
    for prev, cur in zip(cands, cands[1:]):
        gap = text[prev.end:cur.start]
        same_unit = text[prev.end - 1] == text[cur.end - 1] or text[cur.end - 1] == "分"
        if same_unit and _JOIN.match(gap) and not _NO_SUM.search(gap):
            run.append(cur)
            continue
        out.append(run)
        run = [cur]
    if run:
        out.append(run)
    sums = []
    for run in out:
        if len(run) < 2:
            continue
        values = [c.value for c in run]
        # the last is the total of the others only in a table (3+ figures) or when it says so
        # (計/合計); 「生徒31名及び保護者31名」 is 62 people
        said_total = len(run) >= 3 or re.search(r"計|総", text[run[-2].end:run[-1].start])
        total = values[-1] if said_total and values[-1] == sum(values[:-1]) else sum(values)
        sums.append(Count(total, run[0].start, run[-1].end, max(c.score for c in run) + 0.5))
    return sums


def affected_persons_ja(text: str) -> Count | None:
    cands = _person_candidates(text)
    cands += _sums(text, cands)
    best: Count | None = None
    for c in cands:
        # ties: the larger count (a total over its parts)
        if best is None or (c.score, c.value) > (best.score, best.value):
            best = c
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


# English counts: a figure ("3,000", "1.2 million", "(8)", "two hundred") followed, within four
# filler words ("current and former", "of the CE's", "health plan"), by a noun for people or records.
_EN_PEOPLE = frozenset((
    "individuals people persons patients patient’s patient's women men customers employees members residents"
    " students consumers users clients donors victims veterans children kids staff workers teachers inmates"
    " prisoners participants applicants subscribers citizens voters officers parents families beneficiaries"
    " enrollees policyholders physicians doctors nurses passengers guests shoppers buyers fans visitors"
    " borrowers taxpayers contractors retirees alumni faculty cardholders accountholders holders tenants"
    " claimants recipients drivers owners investors seekers homeowners pensioners clinicians personnel troops"
    " soldiers agents officials subjects farmers accountants undergraduates graduates others youth youths minors"
    " sailors colleagues instructors babies newborns infants seniors adults").split())
_EN_RECORDS = frozenset((
    "records accounts files documents letters statements invoices forms reports emails e-mails addresses"
    " names passwords credentials logins usernames profiles entries rows cards numbers ssns registrations"
    " applications claims charts x-rays mail checks cheques receipts resumes transcripts returns w-2s images"
    " photos messages details identities sets datasets households items envelopes codes licences licenses"
    " passports pages videos pieces").split())
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ans|ians|ers)")
_EN_STOP = frozenset("from in at on to were was is are who that which with by for or per each".split())
_WORD_NUMS = {"hundred": 100, "a hundred": 100, "one hundred": 100, "a thousand": 1000, "one thousand": 1000,
              "a million": 1_000_000, "one million": 1_000_000, "dozen": 12, "a dozen": 12}
_SMALL = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10}
_TAIL_EN = (r"(?![\d/:%-]|\.\d|\s*(?:percent|per cent|years?|months?|days?|hours?|minutes?|weeks?)\b)[)+]?"
            r"(?=(?P<rest>(?:\s+[\w’'.&-]+){1,5}))")
# starts with a digit (fast scanning); the character before it is checked in code
_PERSON_EN = re.compile(r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                        r"(?:\s*(?P<scale>million|thousand|billion|mn|bn)\b)?" + _TAIL_EN)
_PERSON_EN_WORDS = re.compile(
    r"\b(?P<word>(?i:(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten) )?(?:hundred|thousand|million)|a dozen|dozen))"
    r"(?:\s+\((?P<paren>\d[\d,]*)\))?" + _TAIL_EN)
_WORD_GATE = ("hundred", "thousand", "million", "dozen", "Hundred", "Thousand", "Million", "Dozen")
_BAD_PREV = frozenset("0123456789.,/$€£#:-_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _unit_en(rest: str) -> tuple[str, bool, int] | None:
    """(unit, is_people, length up to the unit's end) from the words after a figure: the first
    people or records noun, unless a preposition, verb or punctuation comes before it."""
    words = rest.split()
    pos = 0
    for i, w in enumerate(words):
        pos = rest.index(w, pos) + len(w)
        bare = w.rstrip(".,;:")
        low = bare.lower()
        if not low:
            return None
        if low[-1] in "'’" or low[-2:] in ("'s", "’s"):  # "customers' data", "patient's"
            low = low[:-2] if low[-1] == "s" and low[-2] in "'’" and low[:-2] not in ("patient",) else low.rstrip("'’")
        if "-" in low and low not in _EN_RECORDS:  # "Patients-A"
            low = low.split("-")[0] or low
        if low in _EN_PEOPLE or _DEMONYM.fullmatch(bare):
            return low, True, pos - (len(w) - len(bare))
        if low in _EN_RECORDS:
            return low, False, pos - (len(w) - len(bare))
        if any(ch.isdigit() for ch in low):
            return None  # "29 of the 52 patients": a part of another count
        if low in _EN_STOP or (low == "and" and (i + 1 >= len(words) or words[i + 1].lower() != "former")):
            return None
        if bare != w:
            return None
    return None


_LEAK_EN = re.compile(r"affect|impact|notif|compromis|expos|access|breach|involv|stol|leak|potentially|disclos|contain"
                      r"|lost|theft|hack|mail|sent|post|publish|dump|sold|sell|exfiltrat|steal|stole", re.I)
# "affecting 930 policyholders", "notified 9,900 of its patients", "a total of"
_APPROX_EN = (r"(?i:only |just |nearly |almost |about |approximately |around |some |roughly |over |more than |at least "
              r"|up to |close to )?")
_AFFECT_BEFORE = re.compile(r"(?i:(?:risen|rose|grown|grew|climbed|increased) to|affect(?:ed|ing|s)?|impact(?:ed|ing|s)?|notif(?:ied|ying|ies)|total(?: of)?|victims\?|alert(?:ed|ing)"
                            r"|expos(?:ed|ing))\s*" + _APPROX_EN + "$")
# "the protected health information (PHI) of 3,500 individuals": weaker than "affecting"
_DATA_OF_BEFORE = re.compile(r"(?:information|data|phi|ephi|pii|records|details)(?: \(\w+\))? of\s*" + _APPROX_EN + "$", re.I)
_AFFECTED_AFTER = re.compile(r"^[^.;\n]{0,25}?\b(?:were|was|are|have been|had been|may have been|had their|have had)?\s*"
                             r"(?:affected|impacted|notified|exposed|compromised)\b", re.I)


# counts without a noun: "How many victims? 54,203", "1,008 were affected", "notifies 1,300 after ..."
_NUM_START = re.compile(r"\d+")
_YEAR = re.compile(r"19[5-9]\d|20[0-4]\d")  # a year, not a count
_NUM_AT = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+")
_BARE_BEFORE = re.compile(
    r"(?:(?P<victims>(?i:victims\?|how many (?:people|individuals) (?:were )?affected\?))"
    r"|(?P<verb>(?i:notif(?:y|ies|ied|ying)|expos(?:es|ed|ing)|affect(?:s|ed|ing)|impact(?:s|ed|ing)))(?:\s+(?i:about|approximately|nearly|almost|some|over|more than|around))?"
    r"|(?P<total>(?i:(?:number|total)(?: number)? of (?:affected |impacted )?[a-z]+(?: affected| impacted)?|(?:number )?affected)"
    r"\s+(?i:is|was|were|to|at|reached|rose to|stands at|totals?|of)(?:\s+(?i:approximately|about|nearly|almost|around|some|over|more than))?))\s*:?\s*$")
_BARE_AFTER_WERE = re.compile(r"\s+(?:(?:more|others)\s+)?(?i:were|have been|had been|are being|will be|may have been)\s+"
                              r"(?:\w+\s+)?(?i:affected|notified|impacted|compromised)\b")
_BARE_AFTER_END = re.compile(r"\s*(?:[.;]|,\s|$)")
_SCALED_AFTER = re.compile(r"[.,]\d|\s*(?i:million|thousand|billion|mn|bn)\b")
_BARE_AFTER_NOTIF = re.compile(r"\s+(?:after|of|that|about|following)\b|\s*[.,;]")


def _bare_en(text: str, start: int) -> Count | None:
    nm = _NUM_AT.match(text, start)
    end = nm.end()
    if text[end:end + 1] in ("/", ":", "%", "-") or _SCALED_AFTER.match(text, end) or _YEAR.fullmatch(nm.group()):
        return None
    value = as_int(parse_en_number(nm.group()))
    if not value:
        return None
    exact = 0.5 if value < 100 or value % 100 else 0.0
    before = text[max(0, start - 70):start]
    gate = before.lower()
    if "?" in gate or "otif" in gate or "ffect" in gate or "of " in gate or "xpos" in gate or "mpact" in gate:
        b = _BARE_BEFORE.search(before)
        if b and b.group("victims"):
            return Count(value, start, end, 8.0)
        if b and b.group("total"):
            return Count(value, start, end, 6.0 + exact)
        if b and b.group("verb") and (_BARE_AFTER_NOTIF if "otif" in b.group("verb").lower() else _BARE_AFTER_END).match(text, end):
            return Count(value, start, end, 5.5 + exact)
    if _BARE_AFTER_WERE.match(text, end):
        return Count(value, start, end, 5.5 + exact)
    return None


def affected_persons_en(text: str) -> Count | None:
    best = None
    matches = []
    for n in _NUM_START.finditer(text):
        start = n.start()
        if start and text[start - 1] in _BAD_PREV:
            continue
        bare = _bare_en(text, start)
        if bare is not None and (best is None or bare.score > best.score):
            best = bare
        m = _PERSON_EN.match(text, start)
        if m:
            matches.append(m)
    if any(w in text for w in _WORD_GATE):
        matches += _PERSON_EN_WORDS.finditer(text)
    for m in matches:
        groups = m.groupdict()
        num_text, paren, word, scale = groups.get("num"), groups.get("paren"), groups.get("word"), groups.get("scale")
        unit = _unit_en(m.group("rest"))
        if unit is None:
            continue
        if paren:
            value = as_int(parse_en_number(paren))
        elif num_text:
            value = as_int(parse_en_number(num_text + (" " + scale if scale else "")))
        else:
            word = word.lower()
            value = _WORD_NUMS.get(word)
            if value is None:
                first, _, big = word.rpartition(" ")
                value = _SMALL.get(first, 0) * {"hundred": 100, "thousand": 1000, "million": 1_000_000}[big] or None
        if not value or value > 5_000_000_000:
            continue
        end = m.start("rest") + unit[2]
        before = text[max(0, m.start() - 40):m.start()]
        after = text[end:end + 40]
        score = 1.0 + (2.0 if _LEAK_EN.search(_window(text, m.start(), end, 60)) else 0.0)
        if unit[1]:
            score += 1.0
        if _AFFECT_BEFORE.search(before) or _AFFECTED_AFTER.match(after):
            score += 1.5
        elif _DATA_OF_BEFORE.search(before):
            score += 1.0
        if (num_text or paren) and (value < 100 or value % 100) and not scale:
            score += 1.0  # an exact figure ("919") over a rounded one ("nearly 1,000")
        if word and not paren:
            score -= 0.5
        if num_text and _YEAR.fullmatch(num_text):
            score -= 3.0  # "In 2014 patients ..."
        if score > 0 and (best is None or score > best.score):
            best = Count(value, m.start(), end, score)
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
