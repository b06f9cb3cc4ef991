"""Interface strings (i18n.toml) and the choice of language for a request."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

LANGS = ("en", "ja")


@cache
def strings() -> dict[str, dict[str, str]]:
    with resources.files("cyberline.web").joinpath("i18n.toml").open("rb") as fh:
        return tomllib.load(fh)


def translator(lang: str):
    table = strings()[lang if lang in LANGS else "en"]
    return lambda key: table.get(key, strings()["en"].get(key, key))


def choose_lang(query_lang: str | None, accept_language: str | None) -> str:
    if query_lang in LANGS:
        return query_lang
    return "ja" if (accept_language or "").lower().startswith("ja") else "en"
