"""High-precision English cue rules, combined with the model's probabilities in one place.

The linear model is trained mostly on VCDB summaries; the timelines' one-line descriptions use
words that are rare there ("Twitter account is hacked", "pro-Iranian hackers deface"). A cue is a
regular expression that, when it matches, names a class with high precision. ``combine`` adds a
fixed bonus (``BOOST``, chosen on TUNE) to each cued class's probability and renormalises, so a
cue wins unless the model is confident of something else.

The same attack-type cues refine coarse gold labels of the training corpora
(``cyberline.classify.data``): a VCDB malware incident whose summary says "ransomware" is
ransomware, an HHS "Hacking/IT Incident" whose description says "phishing" is phishing.
"""

from __future__ import annotations

import re

import numpy as np

from cyberline.extract.resources import fast_compile

# attack_type cues, most specific first (``first_attack_cue`` returns the first match).
ATTACK_CUES: list[tuple[str, str]] = [
    ("ransomware", r"ransomware|\bransom\b|encrypted (?:its |their |the )?(?:files|servers|systems|data)|"
                   r"\b(?:ryuk|sodinokibi|revil|maze|conti|lockbit|dharma|netwalker|snatch|nemty|"
                   r"doppelpaymer|wannacry|clop|egregor|samsam|bitpaymer|robbinhood)\b"),
    ("ddos", r"\bddos|denial[- ]of[- ]service"),
    ("sql_injection", r"sql[- ]?injection|\bsqli\b"),
    ("payment_skimming", r"magecart|skimm(?:er|ing)|card[- ]skimm|formjack|"
                         r"payment (?:card )?(?:page|form)s? (?:was |were )?(?:compromised|injected|tampered)"),
    ("defacement", r"\bdefac(?:e|ed|es|ing|ement)"),
    ("business_email_compromise", r"business email compromise|\bbec\b|ceo fraud|"
                                  r"(?:fraudulent|fake|spoofed) (?:wire|invoice|payment instructions)"),
    ("account_takeover", r"credential[- ]stuffing|password[- ]spraying|account (?:hijack|takeover)|"
                         r"(?:twitter|instagram|facebook|youtube|social media|snapchat|tiktok) accounts? "
                         r"(?:is |are |was |were |has been |have been |gets |got )?(?:hacked|hijacked|compromised|taken over)|"
                         r"\bhijack(?:ed|s|ing)? (?:the |its |their |his |her )?(?:\w+ )?accounts?"),
    ("misconfiguration", r"misconfigur|(?:unsecured|unprotected|exposed|publicly accessible|open|"
                         r"left open|unprotected) (?:elasticsearch|mongodb|database|s3 bucket|amazon s3|aws s3|"
                         r"bucket|server|cloud storage|kibana)|without (?:a )?password protection"),
    ("phishing", r"phish"),
]


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` ("a|(b|c)|d" -> ["a", "(b|c)", "d"])."""
    parts, depth, start, k, in_class = [], 0, 0, 0, False
    while k < len(pattern):
        ch = pattern[k]
        if ch == "\\":
            k += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:k])
            start = k + 1
        k += 1
    parts.append(pattern[start:])
    return parts


class _Cue:
    """One cue: ``lowered`` runs on the lowered text without re.IGNORECASE (which lets the
    regex engine use its fast literal and first-character search, 2-3x faster), ``cased`` on
    the text as written (case-sensitive cues and the ``(?-i:...)`` alternatives of a
    case-insensitive one).  ``needs``: substrings of which the lowered text must contain one
    for the cue to match at all (a cheap test before an expensive regex)."""

    __slots__ = ("label", "lowered", "cased", "needs")

    def __init__(self, label: str, pattern: str, needs: tuple[str, ...] = (), case_sensitive: bool = False):
        self.label, self.needs = label, needs
        if case_sensitive:
            self.lowered, self.cased = None, fast_compile(pattern)
            return
        alts = _alternatives(pattern)
        cased = [a for a in alts if a.startswith("(?-i:")]
        rest = [a for a in alts if not a.startswith("(?-i:")]
        if any("(?-i:" in a for a in rest):  # a scoped case-sensitive part inside: keep it whole
            self.lowered, self.cased = None, re.compile(pattern, re.I)
            return
        self.lowered = fast_compile("|".join(rest)) if rest else None
        self.cased = fast_compile("|".join(cased)) if cased else None

    def search(self, text: str, lowered: str) -> bool:
        if self.needs and not any(n in lowered for n in self.needs):
            return False
        return bool((self.lowered is not None and self.lowered.search(lowered))
                    or (self.cased is not None and self.cased.search(text)))


_ATTACK = [_Cue(label, pattern) for label, pattern in ATTACK_CUES]

# More attack_type cues, for the timelines' one-line descriptions (issue 3, `timeline-attack`):
# (label, pattern, substrings of which one must be in the lowered text, the label of the main
# cue it goes before, or None for the end).  Used for prediction only: ``first_attack_cue``
# (which refines HHS's coarse training labels) keeps ``ATTACK_CUES`` alone, so that `cyberline
# train` gives the shipped model.  Chosen by 5-fold cross-validation on the TUNE timeline rows
# (`scripts/timeline_cv.py`; written after reading those rows, see docs/accuracy.md).
TIMELINE_ATTACK_CUES: list[tuple[str, str, tuple[str, ...], str | None]] = [
    # injected card-stealing scripts without the word Magecart/skimmer
    ("payment_skimming", r"(?:malicious (?:code|scripts?|javascript)|scripts?) (?:\w+ ){0,6}?"
                         r"(?:steal|skim|harvest|captur)\w* (?:\w+ ){0,3}?(?:customer|payment|card|credit)",
     ("script", "code"), "defacement"),
    # "employee email accounts that were compromised", "its Twitter was hacked", "The Twitter
    # account of <name> is hacked"
    ("account_takeover", r"(?:e-?mail|twitter|instagram|facebook|youtube|social media) accounts? "
                         r"(?:(?:that |which )?(?:is |are |was |were |had been |has been |have been ))?"
                         r"(?:compromised|hacked|hijacked|accessed without)|"
                         r"(?:twitter|instagram|facebook|youtube|snapchat|tiktok) (?:account )?"
                         r"(?:of [\w .'’-]{1,60}? )?(?:is |was |has been |gets |got )(?:allegedly )?"
                         r"(?:hacked|hijacked|compromised|taken over)",
     ("mail", "twitter", "instagram", "facebook", "youtube", "social media", "snapchat", "tiktok"),
     "misconfiguration"),
    # a named or described flaw being exploited
    ("vulnerability_exploit", r"\bcve-\d{4}-\d+|\bunpatched\b|zero[- ]day|\bshellshock\b|"
                              r"(?:vulnerabilit(?:y|ies)|flaws?|bugs?|security issue) (?:\w+ ){0,4}?(?:exploit|abus)|"
                              r"exploit(?:ed|ing|s)? (?:\w+ ){0,4}?(?:vulnerabilit|flaws?\b|bugs?\b)",
     ("cve-", "unpatched", "zero", "shellshock", "exploit", "abus"), None),
    # the timelines' "Malicious Spam" (malspam delivering malware)
    ("malware", r"malspam|malicious spam|spam campaign", ("spam",), None),
]


def _with_timeline_cues(main: list[_Cue]) -> list[_Cue]:
    out = list(main)
    for label, pattern, needs, before in TIMELINE_ATTACK_CUES:
        at = next((k for k, cue in enumerate(out) if cue.label == before), len(out))
        out.insert(at, _Cue(label, pattern, needs=needs))
    return out


_ATTACK_ALL = _with_timeline_cues(_ATTACK)

MOTIVATION_CUES: list[tuple[str, str]] = [
    ("cyber_warfare", r"\bwiper\b|cyber ?war|(?:iran|russia|ukrain)\w* (?:power grid|critical infrastructure)|"
                      r"\bsandworm\b|notpetya|shamoon|killdisk"),
    ("cyber_espionage", r"\bapt ?\d+|\bapt\b|espionage|state[- ]sponsored|nation[- ]state|state[- ]backed|"
                        r"cyber ?spy|\blazarus\b|fancy bear|cozy bear|\bturla\b|winnti|kimsuky|"
                        r"charming kitten|\boceanlotus\b|"
                        # "pro-" checked after the first letter (same matches; the engine can then skip ahead
                        # to the letters c/n/i/r instead of trying the lookbehind everywhere)
                        r"\b(?:c(?<!pro-c)hinese|n(?<!pro-n)orth korean|i(?<!pro-i)ranian|r(?<!pro-r)ussian) "
                        r"(?:state )?hackers"),
    ("hacktivism", r"hacktivis|(?-i:Anonymous)|(?-i:#?\bOp[A-Z][a-z]\w+)|"
                   r"pro-(?:iran|palestin|israel|russia|ukrain|turk)\w*|in retaliation for|protest|"
                   r"ghostsec|lulzsec|syrian electronic army|killnet|anonsudan|political message"),
]
_MOTIVATION = [_Cue(label, pattern) for label, pattern in MOTIVATION_CUES]

# target_class cues (NACE letters; X individual, Y multiple industries), first match wins:
# (label, pattern[, needs[, case_sensitive]]). ``needs``: substrings of which the lowered text must contain one
# before the regex is tried (most texts contain none: such a cue then costs a few substring
# tests, not a regex search).
TARGET_CUES: list[tuple] = [
    # case-sensitive (names are capitalised); "'s" comes before the account word in both
    # alternatives, so most texts skip the regex
    ("X", r"\b(?:[A-Z][\w.-]+ )+[A-Z][\w.-]+['’]s (?i:twitter|instagram|facebook|youtube|snapchat|tiktok|"
          r"e-?mail|social media|phone) accounts?|(?i:singer|actor|actress|rapper|youtuber|influencer|"
          r"journalist|celebrity|activist)['’]s", ("'s", "’s"), True),
    # the users of a platform are individuals ("a campaign targeting Android users"), not Y
    ("X", r"\b(?:android|ios|iphone|ipad|mobile|smartphone|macos|mac|windows|firefox|chrome|whatsapp|"
          r"home|end) users\b", (" users",)),
    ("Y", r"\b(?:multiple|several|various|many|numerous) (?:organi[sz]ations|companies|targets|"
          r"industries|victims|countries|sectors|websites|sites)|\busers of\b|"
          r"(?:campaign|botnet|malware|phishing) (?:targeting|targets|hitting|aimed at)"),
    # health insurers before the health words they share with providers (HHS "Health Plan" is K)
    ("K", r"health (?:plan|insurer)|blue ?cross|blue ?shield|\bbcbs\b", ("health", "blue", "bcbs")),
    ("P", r"school district|(?:high|elementary|middle|primary|secondary|public) schools?\b", ("school",)),
    ("O", r"\bveterans? affairs|\bva (?:medical|hospital|health)", ("veteran", "va ")),
    ("Q", r"hospital|medical cent(?:er|re)|health ?care|healthcare|clinic\b|\bclinics\b|patients|"
          r"health system|\bnhs\b"),
    ("P", r"universit|college|school|\bacademy\b|students"),
    ("O", r"\b(?:city|county|town|township|municipality|village|state|borough) of\b|"
          r"\b(?:city|county|town) (?:hall|council|government)|ministry|government|"
          r"department of|police|\bnavy\b|\barmy\b|military|parliament|sheriff"),
    ("K", r"\bbank\b|\bbanks\b|credit union|financial services|payday|\blender\b|mortgage"),
    ("G", r"gas station|convenience store|supermarket|grocery",
     ("gas station", "convenience", "supermarket", "grocery")),
    ("I", r"restaurant|\bhotels?\b", ("restaurant", "hotel")),
    ("J", r"hosting (?:provider|company|service)|web ?host|internet service provider|\bisp\b|telecom",
     ("host", "isp", "internet service", "telecom")),
    ("V", r"crypto(?:currency)? exchange|\bexchange was hacked|\bdefi\b|wallet provider|fintech"),
]
_TARGET = [_Cue(*cue) for cue in TARGET_CUES]

CUES = {"attack_type": _ATTACK_ALL, "motivation": _MOTIVATION, "target_class": _TARGET}
# Added to a cued class's probability before renormalising (chosen on TUNE, see docs/accuracy.md).
BOOST = {"attack_type": 0.6, "motivation": 0.6, "target_class": 0.3}


def _first(cues: list[_Cue], text: str, lowered: str) -> str | None:
    return next((cue.label for cue in cues if cue.search(text, lowered)), None)


def cued(field: str, text: str, lowered: str | None = None) -> str | None:
    """The first cued class of ``field`` in ``text`` (None when no cue matches)."""
    return _first(CUES[field], text, text.lower() if lowered is None else lowered)


def first_attack_cue(text: str) -> str | None:
    """The first of main's attack cues (``ATTACK_CUES``) that matches: the training labels'
    refinement, which the timeline cues do not change."""
    return _first(_ATTACK, text, text.lower())


def combine(proba: dict[str, dict[str, float]], text: str,
            boost: dict[str, float] | None = None) -> dict[str, tuple[str, float]]:
    """{field: (value, probability)} from the model's per-class probabilities and the cues."""
    labels = {field: list(dist) for field, dist in proba.items()}
    arrays = {field: np.fromiter(dist.values(), dtype=np.float64, count=len(dist))
              for field, dist in proba.items()}
    return combine_arrays(arrays, labels, text, boost)


def combine_arrays(proba: dict[str, np.ndarray], labels: dict[str, list[str]], text: str,
                   boost: dict[str, float] | None = None) -> dict[str, tuple[str, float]]:
    """``combine`` for probabilities given as arrays in the order of ``labels[field]`` (the
    model's own form; no dict built per field): a cued class gets ``boost[field]`` added, then
    the distribution is renormalised and its most probable class taken."""
    boost = BOOST if boost is None else boost
    out = {}
    lowered = text.lower()
    for field, p in proba.items():
        names = labels[field]
        label = cued(field, text, lowered) if field in CUES and boost.get(field, 0.0) > 0 else None
        if label is not None:
            if label in names:
                p = p.copy()
            else:  # a class the model does not know: it enters with the boost alone
                names, p = [*names, label], np.append(p, 0.0)
            p[names.index(label)] += boost[field]
            p /= p.sum()
        k = int(p.argmax())
        out[field] = (names[k], float(p[k]))
    return out
