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
    return fast_compile("|".join(parts))


def _first_chars(items, flags: int) -> set[str] | None:
    """Characters a match can start with, or None when that is not a small known set."""
    from re import _constants as C  # noqa: N812 (internal, stable since 3.11; guarded by callers)

    def add(out: set[str], code: int, fl: int) -> None:
        ch = chr(code)
        out.add(ch)
        if fl & re.IGNORECASE:
            out.update({ch.lower(), ch.upper()})

    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            add(out, av, flags)
            return out
        if op is C.IN:
            for o, a in av:
                if o is C.LITERAL:
                    add(out, a, flags)
                elif o is C.RANGE and a[1] - a[0] < 100:
                    for code in range(a[0], a[1] + 1):
                        add(out, code, flags)
                else:
                    return None
            return out
        if op is C.BRANCH:
            for alt in av[1]:
                f = _first_chars(list(alt), flags)
                if f is None:
                    return None
                out |= f
            return out
        if op is C.SUBPATTERN:
            _group, add_flags, _del, sub = av
            f = _first_chars(list(sub), flags | add_flags)
            return None if f is None else out | f
        if op is C.AT:
            continue
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, _hi, sub = av
            f = _first_chars(list(sub), flags)
            if f is None:
                return None
            out |= f
            if lo > 0:
                return out
            continue
        return None
    return None


def fast_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile, plus a first-character lookahead when the engine finds no prefix of its own.

    An alternation of many phrases (ランサム|LockBit|身代金|…) is otherwise tried at every
    position; with ``(?=[ラL身…])`` in front the engine skips most positions in one C loop.
    Measured: 5-10x faster on 2,000-character notices for such tables."""
    try:
        from re import _compiler, _parser

        parsed = _parser.parse(pattern, flags)
        prefix, _skip, _all = _compiler._get_literal_prefix(parsed, flags)
        if prefix or _compiler._get_charset_prefix(parsed, flags):
            return re.compile(pattern, flags)
        chars = _first_chars(list(parsed), flags | parsed.state.flags)
        if chars and len(chars) <= 60:
            cls = "".join(sorted(re.escape(c) for c in chars))
            return re.compile(f"(?=[{cls}])(?:{pattern})", flags)
    except Exception:
        pass
    return re.compile(pattern, flags)


_SENT_RE = re.compile(r"[^。\n]+。?")


def sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) for each sentence or line of ``text``."""
    return [(m.start(), m.end(), m.group()) for m in _SENT_RE.finditer(text)]
