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


_COUNTRIES = {
    "US": r"United States|U\.S\.|\bUSA\b|America|California|Texas|New York|Florida|Illinois|Ohio|Pennsylvania|Massachusetts|Washington|Georgia|Michigan|Virginia|New Jersey|Colorado|Oregon|Arizona|Maryland|Minnesota|Wisconsin|Tennessee|Indiana|Missouri|Connecticut|Kentucky|Louisiana|Alabama|Iowa|Utah|Nevada",
    "GB": r"United Kingdom|\bUK\b|England|Scotland|Wales|London|British",
    "CA": r"Canada|Ontario|Quebec|British Columbia|Alberta|Canadian",
    "AU": r"Australia|Sydney|Melbourne|Queensland|Australian",
    "DE": r"Germany|German\b|Berlin",
    "FR": r"France|French\b|Paris",
    "IN": r"\bIndia\b|Indian\b",
    "JP": r"\bJapan\b|Japanese\b|Tokyo",
    "SG": r"Singapore",
    "NZ": r"New Zealand",
    "IE": r"Ireland|Irish\b",
    "UA": r"Ukrain",
    "RU": r"\bRussia",
    "KR": r"South Korea|Korean\b",
    "TW": r"Taiwan",
    "HK": r"Hong Kong",
}
_COUNTRY_RX = {k: re.compile(v) for k, v in _COUNTRIES.items()}


def countries(language: str, text: str) -> list[str]:
    """A Japanese notice is about a victim in Japan unless it names a country; English: names."""
    if language == "ja":
        return ["JP"]
    found = []
    head = text[:3000]
    hits = sorted((m.start(), code) for code, rx in _COUNTRY_RX.items() if (m := rx.search(head)))
    for _pos, code in hits[:1]:
        found.append(code)
    return found
