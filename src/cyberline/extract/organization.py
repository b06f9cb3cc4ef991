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
        rf"|[A-Za-z0-9&\.\-]+(?:\s[A-Za-z0-9&\.\-]+){{0,4}}\s?{_NAME}{{0,20}}(?:{forms})"
        rf"|(?:{_NAME}{{1,25}}|(?<![ぁ-ん])[ぁ-ん]{{2,4}})(?:{forms})"
        rf"|東京都|北海道(?![\u4e00-\u9fff])|(?:(?<![ぁ-ん])[ぁ-ん]{{2,4}})?(?:[\u4e00-\u9fff々ァ-ヶー]{{1,16}}|(?<![ぁ-ん])[ぁ-ん]{{2,3}})(?:{endings})(?![\u4e00-\u9fff])"
    )
    # a whole line that is a name (letterheads, sign-offs): permissive inside the name
    full = re.compile(
        rf"^(?:(?:{forms})\s?\S{{1,30}}(?:\s\S{{1,15}}(?:{endings}))?|\S{{1,30}}(?:{forms})|"
        rf"[^\s、。]{{1,25}}(?:{endings})|東京都|北海道|{org.pattern})$")
    return org, full, set(data["stop"])


_TITLE_WORDS = re.compile(r"お詫び|おわび|お知らせ|について|ご報告|報告|ご案内|漏え|漏洩|流出|不正|発生|事案|被害|攻撃|障害|紛失|盗難|送信|感染|可能性|第\d報|続報")
_TITLE_PREFIX = re.compile(r"^\s*(【[^】]*】|\[[^\]]*\]|■|◆)\s*")
_GENERIC = re.compile(r"^(日頃|平素|この度|今般|先般|本日|現在|昨日|今回|本件|弊社|当社|本学|本市|当院|当法人|当協会|同社|重要|お知らせ|お詫び|報道発表|記者発表|ニュース|News|プレスリリース)")


def _clean(name: str) -> str:
    return name.strip(" \t・-")


_BAD_HEAD = re.compile(r"[「」『』\d]{1}.*年|^[「『]|更新|掲載|公開|ページ|^\d|:")


def _title_org(title: str) -> tuple[str, int] | None:
    """First word of a 'ORG TITLE…' line, when the rest reads like a notice title."""
    m = _TITLE_PREFIX.match(title)
    bracketed = bool(m)
    offset = m.end() if m else 0
    rest = title[offset:]
    lead = len(rest) - len(rest.lstrip())
    rest = rest.strip()
    parts = re.split(r"[\s\u3000]+", rest, maxsplit=1)
    if len(parts) < 2:
        return None
    head = parts[0]
    org, full, stop = _patterns()
    # 'J PREP 斉藤塾', 'GMO メディア': Latin words may be followed by more words of the name
    if re.fullmatch(r"[A-Za-z0-9&.\-]+", head):
        more = re.match(r"(?:[A-Za-z0-9&.\-]+\s)+[^\s]*", rest)
        if more:
            cand = more.group().strip()
            if not _TITLE_WORDS.search(cand) and len(cand) <= 30:
                head = cand
    cut = re.split(r"[(\uff08(]", head, maxsplit=1)[0]
    if cut != head:
        head = cut
    if not head or _GENERIC.match(head) or _TITLE_WORDS.search(head) or len(head) > 30:
        return None
    if _BAD_HEAD.search(head) or head in stop:
        return None
    if full.match(head):
        return head, offset + lead
    mm = org.match(head)
    if mm and mm.end() >= len(head) - 1:
        return mm.group(), offset + lead
    if mm and re.match(r"(における|の|で|が|は)", head[mm.end():]):
        return mm.group(), offset + lead
    tail = rest[len(head):]
    if re.search(r"における|について|を|が", head):
        return None
    if (bracketed or _TITLE_WORDS.search(tail)) and _TITLE_WORDS.search(tail) and len(head) <= 20:
        return head, offset + lead
    return None


def find_organization(text: str, title: str | None = None) -> tuple[str | None, tuple[int, int] | None, float, bool]:
    """(name, span in text or None when from the title, confidence, from_title)."""
    org, full, stop = _patterns()
    lines = text.split("\n")
    starts = _line_starts(lines)
    # 1. the title argument, then a title-like line at the top (blog reposts: 【事件簿】ORG 表題)
    if title:
        t = _title_org(title)
        if t:
            name = t[0]
            full_name = _expanded(name, text, org)
            if full_name:
                return full_name[0], full_name[1], 0.85, False
            pos = text.find(name)
            return name, ((pos, pos + len(name)) if pos >= 0 else None), 0.85, pos < 0
    for i, line in enumerate(lines[:12]):
        if "【" in line or (i < 3 and _TITLE_WORDS.search(line) and re.search(r"\s", line.strip())):
            t = _title_org(line)
            if t:
                pos = starts[i]
                full_name = _expanded(t[0], text[pos + len(line):], org, pos + len(line))
                if full_name:
                    return full_name[0], full_name[1], 0.85, False
                return t[0], (pos + t[1], pos + t[1] + len(t[0])), 0.85, False
    # 1b. a news headline that ends with who it is about: 「元社員に顧客情報を漏洩 - ジブラルタ生命」
    for line, pos in zip(lines[:12], starts):
        hm = _HEADLINE_ORG.match(line)
        if hm and _TITLE_WORDS.search(hm.group(1)) and not _MEDIA.search(hm.group(2)) and hm.group(2) not in stop \
                and not _GENERIC.match(hm.group(2)):
            name = hm.group(2)
            full_name = _expanded(name, text[pos + len(line):], org, pos + len(line))
            if full_name:
                return full_name[0], full_name[1], 0.7, False
            return name, (pos + hm.start(2), pos + hm.end(2)), 0.65, False
    # 2. letterhead: a short line that is only an organisation name
    for line, pos in zip(lines[:12], starts):
        s = line.strip()
        if s and len(s) <= 40 and not _PROSE.search(s) and full.match(s) and s not in stop:
            start = pos + line.index(s)
            return s, (start, start + len(s)), 0.8, False
    # 3. a sign-off: the line just before 代表取締役 / 院長 / 学長 … (letters end that way)
    for i, line in enumerate(lines[1:], start=1):
        if _POSITION.match(line.strip()):
            prev = lines[i - 1].strip()
            if prev and len(prev) <= 40 and full.match(prev) and prev not in stop:
                start = starts[i - 1] + lines[i - 1].index(prev)
                return prev, (start, start + len(prev)), 0.75, False
    # 3b. a one-line sign-off (「株式会社X 代表取締役社長 山田太郎」, 「X市長 山田太郎」), a labelled
    # name (「発生源:X」) or the site's header (「X公式ウェブサイト」)
    found = _labelled_or_signed(lines, starts, full, stop)
    if found:
        return found
    # 3c. the end of the letter: a line that is only a name (「以上 / 2024年5月10日 / 株式会社X」) or
    # the contact block (「株式会社X お客様相談室」)
    found = _closing_name(lines, starts, full, org, stop)
    if found:
        return found
    # 4. the first sentences: an organisation as the subject
    head = text[:400]
    for m in org.finditer(head):
        name = _clean(m.group())
        after = head[m.end():m.end() + 40]
        if name in stop or any(name.endswith(s) for s in ("委員会", "警察署")) or _PARTICLE_HEAD.match(name) \
                or _GENERIC_ORG.match(name) or _THIRD_PARTY_BEFORE.search(head[max(0, m.start() - 14):m.start()]):
            continue
        if after.startswith(("(", "（")):
            # 「株式会社X(以下「当社」)」 names us; 「X(以下「X社」)からの出向者」 names a third party
            close = re.search(r"[)）]", after)
            alias, tail = (after[:close.start()], after[close.end():]) if close else (after, "")
            if not _SELF_ALIAS.search(alias) and (re.match(r"\s*(から|より|に対|と|への|の出向|の(社員|職員|従業員))", tail)
                                                  or _HELPER_AFTER.match(tail)):
                continue
        if _HELPER_AFTER.match(after):
            continue
        if re.match(r"\s*(は|では|が|において|における|にて|の|\(|（|、|で)", after):
            start = m.start()
            pref = _PREF_CITY.match(name)
            if pref:  # 鹿児島県志布志市 -> 志布志市 (the municipality is the organisation)
                start += pref.end(1)
                name = name[pref.end(1):]
            return name, (start, start + len(name)), 0.6, False
    # 4b. a news lead on one of the first lines: 「三恵は12月9日、…」
    for line, pos in zip(lines[:6], starts):
        mm = _NEWS_LEAD.match(line)
        if mm and mm.group(1) not in stop and not _GENERIC.match(mm.group(1)):
            return mm.group(1), (pos + mm.start(1), pos + mm.end(1)), 0.5, False
    # 4c. a news lead inside the first sentences: 「仮想通貨取引所大手コインチェック(東京)は26日、…」
    m = _NEWS_LEAD_INNER.search(text[:300])
    if m:
        name = _trim_news_name(m.group(1))
        if name and name not in stop and not _GENERIC.match(name) and not _GENERIC_ORG.match(name):
            start = m.end(1) - len(name)
            return name, (start, start + len(name)), 0.5, False
    # 5. news style: the text opens with the subject (エヌ・ティ・ティ・データは4月25日、…)
    m = _OPENING_SUBJECT.match(text.lstrip())
    if m and m.group(1) not in stop and not _GENERIC.match(m.group(1)) \
            and not _HELPER_AFTER.match(text.lstrip(), m.end(1)):
        start = len(text) - len(text.lstrip())
        return m.group(1), (start, start + len(m.group(1))), 0.4, False
    return None, None, 0.7, False


# 「IPAの助言を受け」「X社を装った」「X社から連絡」: an adviser, an impersonated or informing party
_HELPER_AFTER = re.compile(r"\s*(の(助言|指導|協力|支援|要請|指摘|依頼|勧告|注意喚起)|を(装|騙|かた|名乗)|(から|より)の?(連絡|通知|指摘|報告|助言)|"
                           r"が(提供|開発|販売)する|社?製の?)")
# 「委託先である株式会社Xにおいて」「決済代行会社の株式会社Y」: a third party, not the notice's author
_THIRD_PARTY_BEFORE = re.compile(r"(委託|取引|提携|協力|保守|開発|決済代行|代行|運用|再委託)(先|会社|業者|事業者)(である|の|:|「)?\s*$")
_HEADLINE_ORG = re.compile(r"^\s*(\S.{5,80}?)\s[-–—]\s([^\s\-–—|:]{2,20})\s*$")
_MEDIA = re.compile(r"(?i)itmedia|security ?next|scannetsecurity|日経|NHK|yahoo|産経|読売|朝日|毎日|共同|時事|watch|zdnet|cnet|マイナビ|gihyo|ニュース|news|新聞|通信|ブログ|blog")
# a bare kind of organisation, no name: 県立高校, 同病院, 当該市
_GENERIC_ORG = re.compile(r"^(県立|市立|都立|府立|道立|町立|村立|区立|国立|公立|私立|当該|同|本|当|各|一部の?|その他の?|関係|全|他)?"
                          r"(高校|高等学校|中学校|小学校|学校|大学|大学院|病院|医院|クリニック|銀行|協会|組合|財団|機構|研究所|事務所|"
                          r"市|町|村|区|県|府|省|庁|局|市役所|役場)$")
_NEWS_LEAD_INNER = re.compile(r"(?:^|[、。\s」』の])([\u30a0-\u30ff\u4e00-\u9fffA-Za-z0-9&ー・]{2,24})"
                              r"(?:[(（](?:東京|大阪|名古屋|京都|横浜|福岡|札幌|神戸|仙台|広島|[^)）]{1,6}[都道府県市区町村])[^)）]{0,8}[)）])"
                              r"は、?\s*(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日")


def _trim_news_name(name: str) -> str:
    """「運営大手コインチェック」 -> 「コインチェック」: a kanji description before a katakana / Latin name."""
    m = re.search(r"[\u4e00-\u9fff]+([\u30a0-\u30ffA-Za-z0-9&ー・]{2,})$", name)
    return m.group(1) if m else name


_COMPANY_TAIL = re.compile(r"\s?(保険|株式会社|ホールディングス|グループ|証券|銀行|商事|工業|製作所|産業|化学|製薬|運輸|建設|不動産)")


def _expanded(name: str, text: str, org, offset: int = 0) -> tuple[str, tuple[int, int]] | None:
    """A headline's short form (北海道大病院, ジブラルタ生命) written out in full in the body
    (北海道大学病院, ジブラルタ生命保険): same first character, the short form's characters in
    order, a few more, and the same last character unless the short form is a prefix."""
    if len(name) < 3:
        return None
    head = text[:1500]
    pos = head.find(name[0])
    while pos != -1:
        m = org.match(head, pos)
        pos = head.find(name[0], pos + 1)
        if m is None:
            continue
        cand = _clean(m.group())
        if cand == name or not (len(name) < len(cand) <= len(name) + 6) or cand[0] != name[0]:
            continue
        if cand[-1] != name[-1] and not (cand.startswith(name) and _COMPANY_TAIL.fullmatch(cand[len(name):])):
            continue  # 北海道大病院 / ジブラルタ生命(保険); not 大阪市 -> 大阪市立中学校
        it = iter(cand)
        if all(ch in it for ch in name):
            start = offset + m.start() + (len(m.group()) - len(m.group().lstrip(" \t・-")))
            return cand, (start, start + len(cand))
    return None


_DEPARTMENT = re.compile(r"[\s\u3000]+\S{0,12}(部|課|室|窓口|センター|係|事務局|本部|グループ)(\s|$)")


def _line_starts(lines: list[str]) -> list[int]:
    """The offset in the text of each of its lines (split on "\\n")."""
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    return starts


def _closing_name(lines: list[str], starts: list[int], full, org,
                  stop) -> tuple[str, tuple[int, int], float, bool] | None:
    seen = 0
    for i in range(len(lines) - 1, 11, -1):
        s = lines[i].strip()
        if not s:
            continue
        seen += 1
        if seen > 8:
            break
        if len(s) > 40 or _PROSE.search(s) or s in stop:
            continue
        if full.match(s) and not _GENERIC_ORG.match(s) and not _GENERIC.match(s):
            start = starts[i] + lines[i].index(s)
            return s, (start, start + len(s)), 0.6, False
        m = org.match(s)
        if m and _DEPARTMENT.match(s, m.end()) and not _GENERIC_ORG.match(m.group()):
            name = _clean(m.group())
            start = starts[i] + lines[i].index(s)
            return name, (start, start + len(name)), 0.55, False
    return None


_LABEL = re.compile(r"^\s*(?:発生源|発表者|公表者|発信者|発信元|発表元|組織名|法人名|事業者名|団体名|会社名|事業者)\s*[:：]\s*(\S.{0,39}?)\s*$")
_SITE = re.compile(r"^\s*(\S.{0,39}?)(?:公式)?(?:ウェブサイト|Webサイト|WEBサイト|ホームページ|公式サイト)\s*$")
_SIGN_LINE = re.compile(r"^\s*(\S.{0,39}?)[\s\u3000]+(?:代表取締役|取締役|院長|病院長|理事長|学長|市長|町長|村長|知事|社長|校長|会長|代表理事)")
_MAYOR = re.compile(r"^\s*([\u4e00-\u9fff]{1,6}[市町村])長(?:[\s\u3000]|$)")


def _labelled_or_signed(lines: list[str], starts: list[int], full,
                        stop) -> tuple[str, tuple[int, int], float, bool] | None:
    order = list(range(min(20, len(lines)))) + list(range(max(20, len(lines) - 12), len(lines)))
    best = None
    for i in order:
        line = lines[i]
        for rx, conf, rank in ((_LABEL, 0.8, 0), (_SIGN_LINE, 0.75, 1), (_MAYOR, 0.7, 2), (_SITE, 0.6, 3)):
            if rx is _SITE and i >= 20:
                continue
            m = rx.match(line)
            if not m:
                continue
            name = m.group(1).strip()
            if name in stop or _PROSE.search(name) or not (rx is _MAYOR or rx is _LABEL or full.match(name)):
                continue
            if best is None or rank < best[0]:
                best = (rank, name, (starts[i] + m.start(1), starts[i] + m.start(1) + len(name)), conf)
    return (best[1], best[2], best[3], False) if best else None


_PROSE = re.compile(r"[。、「」]|(ました|です|ます)$")  # a letterhead is a name, not a sentence
_PARTICLE_HEAD = re.compile(r"^(には|では|とは|から|まで|より|にも|への|での|その|この|各|[ぁ-ん]{0,3}(に|は|が|を|で|と|の|も)[\u4e00-\u9fff])")
_SELF_ALIAS = re.compile(r"当社|弊社|当行|当法人|本学|当院|当組合|当協会|当金庫|当機構|本市|当市|本県|当財団|当会")
_PREF_CITY = re.compile(r"^([\u4e00-\u9fff]{2,3}[都道府県])([\u4e00-\u9fff]{1,6}[市町村])$")
_NEWS_LEAD = re.compile(r"^\s*([\u30a0-\u30ff\u4e00-\u9fffA-Za-z0-9&ー・]{2,20})(?:は|が)、?\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日")
_POSITION = re.compile(r"^(代表取締役|取締役|院長|病院長|理事長|学長|市長|町長|村長|知事|社長|校長|会長|局長|所長|代表理事|代表)")
_OPENING_SUBJECT = re.compile(r"^([\u30a0-\u30ff\u4e00-\u9fffA-Za-z0-9&ー]{2,20})(?:は|が)、?(?!\d+年)")


# --- English -------------------------------------------------------------------------------
_EN_ORG = re.compile(
    r"\b((?:[A-Z][A-Za-z0-9&'\.\-]*\s){0,5}(?:[A-Z][A-Za-z0-9&'\.\-]*,?\s)?"
    r"(?:Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Limited|Corporation|Corp\.?|Company|Co\.|Group|Holdings|PLC|plc|GmbH|AG|S\.A\.|"
    r"Hospital|Health(?:care)?|Medical Center|Clinic|University|College|School District|Bank|Credit Union|"
    r"City of [A-Z][a-z]+|County|Foundation|Association|Systems|Services|Partners))\b"
)


# a name: capitalised words, with of/and/the/for/& between them ("Blue Cross and Blue Shield of Florida")
_EN_NAME = r"(?:[A-Z][\w&'’.\-]*|[A-Z]{2,})(?:,? (?:(?:of|and|the|for|&|de|du) )?(?:[A-Z][\w&'’.\-]*))" "{0,7}"
_EN_RULES = [
    # X ("X", "we") is providing notice / X (BCBSF) discovered
    (0.8, re.compile(rf"\b({_EN_NAME})\s*\((?:the\s)?[\"“”']?(?P<alias>[A-Z][\w\s.&]{{0,30}})[\"“”']?(?:,\s*[\"“”'][^)]{{0,20}})?\)")),
    # Notice of Data Security Incident — X / X Notice of Data Breach
    (0.7, re.compile(rf"(?i:notice of (?:a )?data (?:security )?(?:incident|breach)|data (?:security )?incident notice)\s*[\-–—:|]\s*({_EN_NAME})")),
    (0.7, re.compile(rf"^\s*({_EN_NAME})\s*[\-–—:|]?\s*(?i:notice of (?:a )?data|data (?:security )?incident|statement on|update on)", re.M)),
    # On behalf of X / seriously at X
    (0.6, re.compile(rf"(?:[Oo]n behalf of|seriously at|[Cc]ustomers of|[Mm]embers of)\s(?:the\s)?({_EN_NAME})")),
    # X recently discovered / X experienced / X said
    (0.6, re.compile(rf"\b({_EN_NAME})(?:\s(?:\w+\s){{0,2}}?(?:cryptocurrency\s)?(?:exchange|company|firm|startup)?)?\s"
                     r"(?:recently\s|has\s|had\s|was\s|is\s)?(?:discovered|detected|experienced|learned|identified|became aware|"
                     r"suffered|said|says|announced|notified|notifies|is notifying|confirmed|regrets|providing notice|writing to|"
                     r"(?:the\s)?(?:victim|target)\sof)\b")),
]
_EN_GENERIC = set("""The A An We Our This That These Those It University County Council Trust City Town Company Hospital
School College District Department Bank Health Services Group Inc Team IT Staff Faculty All Dear Hi To On In At As If When
Update Notice Statement Data Security Incident Breach Cyber Attack Ransomware Information Privacy Office Board State
Government Agency Center Centre Clinic Library System Systems Network Email Mail Website Site News Press Release Announcing
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October
November December However Today Recently Yesterday Also Additionally Unfortunately Please Why What How Who Where Re Customer
Customers Member Members Student Students Employee Employees Patient Patients Law Enforcement FBI Police Skip Content Home
Of And For De Mr Ms Dr Jeff""".split())
_EN_LEAD_STOP = re.compile(r"^(?:(?:The|A|An|On|In|At|Notice|Dear|Re|Why|What|This|That|However|Today|Recently|Update|"
                           r"Additionally|Unfortunately|Also|Announcing|When|If|As|Hi|To)\s)+")


def _en_name_ok(name: str) -> bool:
    words = [w.strip(",.’'") for w in name.split()]
    return bool(words) and not all(w in _EN_GENERIC or not w for w in words) and len(name) >= 2


def _alias_ok(name: str, alias: str) -> bool:
    """(BCBSF) after Blue Cross and Blue Shield of Florida, ("Acme", "we"), (the "Company"): an
    alias of the name; Ether (ETH) is a ticker, not an alias."""
    alias = alias.strip()
    if alias == name:
        return False  # GALA (GALA): a ticker
    if alias.lower() in ("company", "we", "us", "our") or alias.split()[0] in name:
        return True
    initials = "".join(w[0] for w in name.split() if w[:1].isupper())
    return alias.isupper() and alias.replace(".", "") == initials


def find_organization_en(text: str, title: str | None = None) -> tuple[str | None, tuple[int, int] | None, float, bool]:
    """The victim in an English notice: a name with an alias in brackets, the title's
    "Notice of Data Security Incident — X", "On behalf of X", the subject of "X recently
    discovered / experienced / said", then a name ending in Inc/LLC/Hospital/University/...
    Never a bare generic word (County, University, the Council): "we" notices name no one."""
    head = text[:2500]
    best = None
    for conf, rx in _EN_RULES:
        for source, is_title in ((title or "", True), (head, False)):
            for m in rx.finditer(source):
                name = _EN_LEAD_STOP.sub("", m.group(1).strip().rstrip(",")).strip()
                if name.endswith(".") and not re.search(r"\b(Inc|Co|Corp|Ltd|L\.L\.C|S\.A)\.$", name):
                    name = name[:-1]
                if "alias" in rx.groupindex:
                    # "In May, Green River Health Plan (GRHP)": the words the alias stands for
                    words = name.split()
                    name = next((" ".join(words[k:]) for k in range(len(words))
                                 if _alias_ok(" ".join(words[k:]), m.group("alias"))), "")
                if not _en_name_ok(name):
                    continue
                pos = text.find(name)
                return name, ((pos, pos + len(name)) if pos >= 0 else None), conf, pos < 0
    for source, is_title in ((title or "", True), (text[:600], False)):
        for m in _EN_ORG.finditer(source):
            name = _EN_LEAD_STOP.sub("", m.group(1).strip().rstrip(","))
            if not _en_name_ok(name) or len(name.split()) < 2:
                continue
            pos = text.find(name)
            return name, ((pos, pos + len(name)) if pos >= 0 else None), 0.5, pos < 0
    return best if best else (None, None, 0.3, False)
