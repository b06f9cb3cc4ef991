"""target_class (NACE letter) from the organisation's name, else from words in the text."""

from __future__ import annotations

import re
from functools import cache

from .resources import compile_any, table


@cache
def _rules() -> tuple[list[tuple[re.Pattern[str], str]], list[tuple[re.Pattern[str], str]]]:
    data = table("sectors.toml")
    return ([(compile_any([p]), letter) for p, letter in data["rules"]],
            [(compile_any([p]), letter) for p, letter in data["text_rules"]])


_COMPANY = re.compile(r"株式会社|有限会社|合同会社|\(株\)|㈱|(?i:\binc\b|llc|ltd|corp)")


def target_class(org: str | None, text: str) -> tuple[str, float]:
    rules, text_rules = _rules()
    if org:
        company = _COMPANY.search(org)
        for rx, letter in rules:
            if letter == "O" and company:
                continue  # 株式会社大都 is not a prefecture
            if rx.search(org):
                return letter, 0.7
    head = text[:1500]
    for rx, letter in text_rules:
        if rx.search(head):
            return letter, 0.4
    # the text's own self-reference: 本学 → education, 当院 → health, 本市 → government
    for word, letter in (("本学", "P"), ("本校", "P"), ("当院", "Q"), ("本院", "Q"), ("本市", "O"), ("当市", "O"), ("本県", "O"), ("本町", "O"), ("本村", "O"), ("当行", "K")):
        if word in head:
            return letter, 0.5
    return "Z", 0.2


# Country names, demonyms, US states and big cities, keyed by their first lower-case word; the
# value lists (rest of the name, country) in order, the first that fits wins; None = not a country.
_PLACES: dict[str, list[tuple[str, str | None]]] = {}


def _add(code: str | None, names: str) -> None:
    for name in names.split("|"):
        first, _, rest = name.partition(" ")
        _PLACES.setdefault(first, []).append((rest, code))


_add(None, "american express|american airlines|indian health|indian tribe|indian tribes|indian river|indian ocean"
     "|indian country|north korea|north korean|north koreans")
_add("CA", "british columbia")
_add("AU", "new south wales")
_add("US", "united states|america|american|americans|alabama|alaska|arizona|arkansas|california|colorado"
     "|connecticut|delaware|florida|georgia|hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine"
     "|maryland|massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|new hampshire"
     "|new jersey|new mexico|new york|north carolina|north dakota|ohio|oklahoma|oregon|pennsylvania"
     "|rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|virginia|washington"
     "|west virginia|wisconsin|wyoming|new england|los angeles|san francisco|san diego|san antonio|san jose"
     "|chicago|houston|dallas|philadelphia|phoenix|seattle|boston|atlanta|miami|denver|detroit|baltimore"
     "|pittsburgh|cleveland|nashville|minneapolis|sacramento|las vegas|brooklyn|manhattan|silicon valley"
     "|puerto rico|americas")
_add("GB", "united kingdom|england|english|scotland|scottish|wales|welsh|london|british|britain|manchester"
     "|birmingham|liverpool|glasgow|edinburgh|northern ireland|belfast|sussex|essex|kent|yorkshire|surrey"
     "|lancashire|devon|cornwall|cardiff|bristol|leeds|sheffield|nottingham")
_add("CA", "canada|canadian|canadians|ontario|quebec|alberta|toronto|vancouver|montreal|manitoba|nova scotia"
     "|saskatchewan|ottawa|calgary")
_add("AU", "australia|australias|australian|australians|sydney|melbourne|queensland|brisbane|adelaide|tasmania|canberra")
_add("DE", "germany|german|germans|berlin|munich|hamburg|frankfurt|cologne")
_add("FR", "france|french|paris|lyon|marseille")
_add("IN", "india|indian|indians|mumbai|delhi|new delhi|bangalore|bengaluru|hyderabad|chennai|kolkata")
_add("JP", "japan|japanese|tokyo|osaka")
_add("SG", "singapore|singaporean")
_add("NZ", "new zealand|zealand|auckland|kiwi|kiwis")
_add("IE", "ireland|irish|dublin")
_add("UA", "ukraine|ukrainian|ukrainians|kyiv|kiev")
_add("RU", "russia|russian|russians|moscow")
_add("KR", "south korea|south korean|korea|korean|koreans|seoul")
_add("TW", "taiwan|taiwanese|taipei")
_add("HK", "hong kong")
_add("IL", "israel|israeli|israelis|tel aviv|jerusalem")
_add("CN", "china|chinese|beijing|shanghai|shenzhen|guangzhou|wuhan")
_add("TR", "turkey|turkish|türkiye|turkiye|istanbul|ankara")
_add("NL", "netherlands|dutch|amsterdam|rotterdam|holland|the hague")
_add("ZA", "south africa|south african|south africans|johannesburg|cape town|pretoria|durban")
_add("ES", "spain|spanish|madrid|barcelona|catalan|catalonia")
_add("BR", "brazil|brazilian|brazilians|rio de|sao paulo|são paulo")
_add("SE", "sweden|swedish|stockholm")
_add("MX", "mexico|mexican|mexicans|guadalajara")
_add("CH", "switzerland|swiss|zurich|geneva")
_add("IT", "italy|italian|italians|rome|milan|naples")
_add("GR", "greece|greek|athens")
_add("AT", "austria|austrian|vienna")
_add("BE", "belgium|belgian|brussels")
_add("PL", "poland|polish|warsaw")
_add("PH", "philippines|philippine|filipino|filipinos|manila")
_add("MY", "malaysia|malaysian|kuala lumpur")
_add("ID", "indonesia|indonesian|jakarta")
_add("PK", "pakistan|pakistani")
_add("IR", "iran|iranian")
_add("SA", "saudi")
_add("AE", "united arab|uae|dubai|abu dhabi|emirati")
_add("NO", "norway|norwegian")
_add("DK", "denmark|danish|copenhagen")
_add("FI", "finland|finnish|helsinki")
_add("PT", "portugal|portuguese|lisbon")
_add("AR", "argentina|argentinian|argentine|buenos aires")
_add("CL", "chile|chilean")
_add("CO", "colombia|colombian")
_add("TH", "thailand|thai|bangkok")
_add("VN", "vietnam|vietnamese|viet nam")
_add("NG", "nigeria|nigerian")
_add("KE", "kenya|kenyan")
_add("EG", "egypt|egyptian")
_add("SY", "syria|syrian")
_add("CZ", "czech")
_add("HU", "hungary|hungarian")
_add("RO", "romania|romanian")
_add("BG", "bulgaria|bulgarian")
_add("EE", "estonia|estonian")
_add("LV", "latvia|latvian")
_add("LT", "lithuania|lithuanian")
_add("BD", "bangladesh")
_add("LK", "sri lanka")
_add("QA", "qatar")
_add("KW", "kuwait")
_add("PE", "peru|peruvian")
_add("VE", "venezuela")
_add("IS", "iceland|icelandic")
_add("LU", "luxembourg")
for _first in _PLACES:  # multi-word names before the bare word: "new south wales" before "new"
    _PLACES[_first].sort(key=lambda rc: rc[0] == "")
_WORD = re.compile(r"\b[a-zà-ÿ]+\b")
# abbreviations, case-sensitive: U.S. (not US$), US, USA, UK, UAE, NHS
_ABBREV = re.compile(r"\b(?:U\.S\.(?!\$)|US(?![$\-\w])|USA|UK|UAE|NHS)\b|U\.S\.(?!\$)"
                     r"|(?<=, )(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH"
                     r"|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|N\.Y\.|D\.C\.)\b(?=[\s.,;:)-]|$)")
_ABBREV_CODE = {"U.S.": "US", "US": "US", "USA": "US", "UK": "GB", "UAE": "AE", "NHS": "GB"}
# a country named as the attacker's ("Russian hackers", "Pakistani hacker", "Iran-linked",
# "hackers from China") is not the victim's
_ATTACKER_AFTER = re.compile(
    r"(?:[\s-]+(?:state|government|military|cyber|based|backed|sponsored|linked|speaking|intelligence|hacking|teenage"
    r"|young|(?-i:[A-Z][\w-]*))){0,4}?"
    r"[\s-]+(?:hack|crew\b|team\b|spies|spy\b|cyber ?criminals?|criminals|actors?\b|threat|apt\b|group|gang\b|attackers?"
    r"|operatives|agents|linked|backed|sponsored|nationals?\b|man\b|woman\b|teen\w*|citizens?\b|state\b)", re.I)
_ATTACKER_BEFORE = re.compile(r"(?:(?:hackers?|attackers?|group|actors?|gang|criminals?)\s+(?:from|in|based in|linked to|tied to)"
                             r"|working for|affiliated (?:to|with)|on behalf of|sponsored by|backed by|anonymous)\s+$", re.I)


def find_country(language: str, text: str) -> tuple[list[str], tuple[int, int] | None]:
    """The victim's country and the span of the name it was read from.  A Japanese notice is
    about a victim in Japan (derived from the language: no span); English: the first country
    named (its name, demonym, a state or a big city) that is not the attackers'."""
    if language == "ja":
        return ["JP"], None
    head = text[:3000]
    low = head.lower()
    cands: list[tuple[int, int, str]] = []
    blocked: list[tuple[int, int]] = []
    for m in _WORD.finditer(low):  # one scan: each whole word looked up in the place table
        for rest, code in _PLACES.get(m.group(), ()):
            if rest and not low.startswith(" " + rest, m.end()):
                continue
            end = m.end() + (len(rest) + 1 if rest else 0)
            if rest and end < len(low) and low[end].isalpha():
                continue
            if code is None:
                blocked.append((m.start(), end))  # "North Korean", "Indian Health Service"
            else:
                cands.append((m.start(), end, code))
            break
    if "U" in head or "NHS" in head or ", " in head:
        cands += [(m.start(), m.end(), _ABBREV_CODE.get(m.group(), "US")) for m in _ABBREV.finditer(head)]
    for start, end, code in sorted(cands):
        if blocked and any(b0 <= start < b1 for b0, b1 in blocked):
            continue
        if _ATTACKER_AFTER.match(head, end) or _ATTACKER_BEFORE.search(head[max(0, start - 30):start]):
            continue
        return [code], (start, end)
    return [], None
