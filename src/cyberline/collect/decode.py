"""Bytes -> text. Japanese pages often come as Shift_JIS/cp932 or EUC-JP without a charset."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# A <meta charset> or XML declaration in the first bytes names the encoding when headers don't.
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
# Legacy Japanese names map to the superset Windows actually uses.
_SUPERSETS = {"shift_jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "shift-jis": "cp932",
              "ms932": "cp932", "windows-31j": "cp932", "euc-jp": "euc_jis_2004"}


def _normalise(name: str) -> str | None:
    name = _SUPERSETS.get(name.lower(), name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def looks_binary(data: bytes) -> bool:
    """True for data that is no text in any encoding (many NULs or control bytes)."""
    head = data[:4096]
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 BOMs are text
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.1


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: BOM, then declared charset, then UTF-8, then detection."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    match = _DECLARED.search(data[:2048])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for name in candidates:
        encoding = _normalise(name)
        if not encoding:
            continue
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        encoding = _normalise(best.encoding) or best.encoding
        return data.decode(encoding, errors="replace"), encoding
    return data.decode("utf-8", errors="replace"), "utf-8"
