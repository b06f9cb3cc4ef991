"""Loads the keyword tables under extract/data once and compiles their regexes."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources


@cache
def table(name: str) -> dict:
    with resources.files("cyberline.extract").joinpath("data", name).open("rb") as fh:
        return tomllib.load(fh)


def compile_any(patterns: list[str]) -> re.Pattern[str]:
    """One alternation of many patterns; inline (?i) flags become scoped groups."""
    parts = []
    for p in patterns:
        if "(?i)" in p:
            # "A|B|(?i)c|d": the flag applies to the alternatives after it
            head, _, tail = p.partition("(?i)")
            parts.append(f"(?:{head}(?i:{tail}))")
        else:
            parts.append(f"(?:{p})")
    return re.compile("|".join(parts))


_SENT_RE = re.compile(r"[^。\n]+。?")


def sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) for each sentence or line of ``text``."""
    return [(m.start(), m.end(), m.group()) for m in _SENT_RE.finditer(text)]
