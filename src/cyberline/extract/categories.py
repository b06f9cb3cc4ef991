"""data_categories: which kinds of personal data the text says leaked (or may have).

Sentence by sentence: skip advice to readers (パスワードを変更してください) and negated
statements (個人情報の流出は確認されておりません); collect category words elsewhere.
`other` when personal data is mentioned without items, or an item outside the list is named.
"""

from __future__ import annotations

import re
from functools import cache

from .resources import compile_any, sentences, table

ORDER = ["name", "address", "phone", "email", "birthdate", "credit_card_number", "card_expiry",
         "card_security_code", "bank_account", "login_credentials", "national_id", "health", "other"]


@cache
def _rx() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = table("categories.toml")
    cats = {k: compile_any(v) for k, v in data.items() if k in ORDER}
    ctx = data["context"]
    return cats, compile_any(ctx["skip"]), compile_any(ctx["negation"]), compile_any(ctx["personal"])


_POSSIBLE = re.compile(r"可能性|おそれ|恐れ|(?i:may have|potentially|possibly)")


def find_categories(text: str) -> tuple[list[str], tuple[int, int] | None]:
    cats, skip, negation, personal = _rx()
    found: dict[str, tuple[int, int]] = {}
    personal_seen = None
    for start, _end, sent in sentences(text):
        if skip.search(sent):
            continue
        if negation.search(sent) and not _POSSIBLE.search(sent):
            continue
        for cat, rx in cats.items():
            m = rx.search(sent)
            if m and cat not in found:
                found[cat] = (start + m.start(), start + m.end())
        if personal_seen is None:
            m = personal.search(sent)
            if m:
                personal_seen = (start + m.start(), start + m.end())
    if not found and personal_seen:
        found["other"] = personal_seen
    if not found:
        return [], None
    spans = list(found.values())
    return [c for c in ORDER if c in found], (min(s[0] for s in spans), max(s[1] for s in spans))
