"""NFKC normalisation that remembers where each normalised character came from.

Rules run over NFKC text (full-width digits, Kangxi radicals such as ``⽉`` become plain), but
evidence offsets must point into the ORIGINAL text, so we keep ``offsets[i]`` = index in the
original of normalised character ``i``.  Circled numbers (①) are turned into a separator first:
NFKC would make ``①2022年`` read as ``12022年``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# ① .. ⑳, ㉑ .. ㉟, ㊱ .. ㊿, ❶ .. ❿: list markers, not digits.
_CIRCLED = {chr(c) for c in range(0x2460, 0x2474)} | {chr(c) for c in range(0x3251, 0x3260)} \
    | {chr(c) for c in range(0x32B1, 0x32C0)} | {chr(c) for c in range(0x2776, 0x2780)}

_cache: dict[str, str] = {}


def _norm_char(ch: str) -> str:
    out = _cache.get(ch)
    if out is None:
        if ch in _CIRCLED:
            out = " "
        elif ch in "\u301c\uff5e\u2053":  # wave dashes: one range mark
            out = "~"
        elif ch == "\x00":
            out = " "
        else:
            out = unicodedata.normalize("NFKC", ch)
        _cache[ch] = out
    return out


@dataclass
class Normalized:
    text: str
    offsets: list[int]  # len(text) + 1 entries; the last is len(original)

    def span(self, start: int, end: int) -> list[int]:
        """Map a [start, end) span of the normalised text back to the original."""
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1 if end > start else o_start
        return [o_start, o_end]


# Characters seen so far: one shared translation table for the 1:1 ones, a set for the others.
_TABLE: dict[int, str] = {}
_SEEN: set[str] = set()
_MULTI: set[str] = set()
_LAST: tuple[str, "Normalized"] | None = None


def _learn(chars: set[str]) -> None:
    for ch in chars:
        if ch.isascii() and ch != "\x00":
            continue
        n = _norm_char(ch)
        if len(n) != 1:
            _MULTI.add(ch)
        elif n != ch:
            _TABLE[ord(ch)] = n
    _SEEN.update(chars)


def normalize(text: str) -> Normalized:
    global _LAST
    if _LAST is not None and _LAST[0] is text:
        return _LAST[1]
    chars = set(text)
    new = chars - _SEEN
    if new:
        _learn(new)
    if not (chars & _MULTI):
        # the usual case: every character maps to one, offsets are the identity, translate in C
        out = Normalized(text.translate(_TABLE), list(range(len(text) + 1)))
        _LAST = (text, out)
        return out
    parts: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii() and ch != "\x00":
            parts.append(ch)
            offsets.append(i)
            continue
        n = _norm_char(ch)
        parts.append(n)
        offsets.extend([i] * len(n))
    offsets.append(len(text))
    return Normalized("".join(parts), offsets)
