"""Normalised organisation names: the blocking keys that bring reports of one victim together.

`株式会社大都`, `(株)大都` and `大都` share the key `大都`; `DAITO Co., Ltd.` becomes `daito`.
Japanese and English names of one organisation meet through the alias table (cyberline.link.aliases)
once a report of each has been linked to one incident.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache, lru_cache
from importlib import resources


@cache
def _names() -> dict:
    with resources.files("cyberline.link").joinpath("names.toml").open("rb") as fh:
        data = tomllib.load(fh)
    # Longest first: 医療法人社団 must go before 医療法人.
    data["ja_legal_forms"] = sorted((unicodedata.normalize("NFKC", f) for f in data["ja_legal_forms"]),
                                    key=len, reverse=True)
    words = "|".join(re.escape(w) for w in sorted(data["en_legal_forms"], key=len, reverse=True))
    data["en_pattern"] = re.compile(rf"(?<![\w.])({words})\.?(?![\w])", re.I)
    data["common_tokens"] = frozenset(data["common_tokens"])
    data["placeholder_keys"] = frozenset(
        _PUNCT.sub("", unicodedata.normalize("NFKC", n).lower()) for n in data["placeholder_names"])
    return data


_PUNCT = re.compile(r"[\s\-‐‑–—・,.、。'\"()\[\]{}「」『』【】&＆/:;!?]+")
_TOKEN = re.compile(r"[a-z0-9]+|[^\W\da-z_]+", re.I)


@lru_cache(maxsize=200_000)
def _strip_forms(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    for form in _names()["ja_legal_forms"]:
        text = text.replace(form, " ")
    return _names()["en_pattern"].sub(" ", text.lower())


def org_key(name: str | None) -> str | None:
    """`株式会社大都` and `(株)大都` and `ＤＡＩＴＯ Co., Ltd.` -> comparable keys (`大都`, `daito`)."""
    if not name:
        return None
    key = _PUNCT.sub("", _strip_forms(name))
    if key in _names()["placeholder_keys"]:
        return None  # "Multiple targets" names no one: nothing to block on
    return key[:200] or None


@lru_cache(maxsize=200_000)
def name_tokens(name: str | None) -> tuple[str, ...]:
    """Distinctive words of a name (for token blocking): `Life Line Screening of America` ->
    ['screening', 'life', 'line'] (longest first, common words such as 'hospital' left out)."""
    if not name or org_key(name) is None:
        return ()
    common = _names()["common_tokens"]
    words = {w for w in _TOKEN.findall(_strip_forms(name))
             if len(w) >= 4 and w not in common and w.isascii()}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=200_000)
def _bigrams(text: str) -> frozenset[str]:
    return frozenset({text[i:i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text})


def name_similarity(a: str | None, b: str | None) -> float:
    """Char-bigram Dice of two organisation keys, or 1.0 when one key contains the other
    (`lifelinescreening` in `lifelinescreeningofamerica`). 0.0 when either is missing."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and short in long_:
        return 1.0
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))
