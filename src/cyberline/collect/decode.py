"""Bytes -> text. Japanese pages often come as Shift_JIS/cp932 or EUC-JP without a charset."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# A <meta charset> or XML declaration in the first bytes names the encoding when headers don't.
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_\-]{1,40})""", re.I)
# Legacy Japanese names map to the superset Windows actually uses.
_SUPERSETS = {"shift_jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "shift-jis": "cp932",
              "ms932": "cp932", "windows-31j": "cp932", "euc-jp": "euc_jis_2004"}
# Detection looks at a prefix only: charset_normalizer's time grows with the input.
DETECT_BYTES = 200_000
# NUL (PostgreSQL TEXT refuses it), other C0 controls but tab/newline/CR, and lone surrogates
# (UTF-8 cannot encode them; numeric references like &#xD800; produce them).
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text that every backend can store: unstorable characters dropped."""
    return _UNSTORABLE.sub("", text)


def _normalise(name: str) -> str | None:
    """Python's codec name for a declared charset, or None for unknown or non-text codecs."""
    name = _SUPERSETS.get(name.lower(), name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    # A page may "declare" rot13, base64 or zlib: those are no text encodings.
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def looks_binary(data: bytes) -> bool:
    """True for data that is no text in any encoding (many NULs or control bytes)."""
    head = data[:4096]
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 BOMs are text
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.1


# Split points that are never a trail byte in Shift_JIS/cp932 or EUC-JP, so cutting there
# never splits a legacy character: newlines and tag starts.
_SEGMENT = re.compile(rb"[^\n<]*(?:[\n<]|$)")
_LEGACY = ("cp932", "euc_jis_2004")


def _decode_mixed(data: bytes) -> str | None:
    """Text of a page pasted together from UTF-8 and a legacy Japanese encoding, or None.

    CMSs concatenate templates (UTF-8) with old content (cp932): decode every segment as UTF-8
    and the others in the one legacy encoding that reads all of them strictly.
    """
    segments = [m.group(0) for m in _SEGMENT.finditer(data) if m.group(0)]
    decoded: list[str | None] = []
    utf8_bytes = 0
    for segment in segments:
        try:
            decoded.append(segment.decode("utf-8"))
            if not segment.isascii():
                utf8_bytes += len(segment)
        except UnicodeDecodeError:
            decoded.append(None)
    failing = [s for s, d in zip(segments, decoded) if d is None]
    if not utf8_bytes or not failing:
        return None
    for legacy in _LEGACY:
        try:
            legacy_text = [s.decode(legacy) for s in failing]
        except UnicodeDecodeError:
            continue
        rest = iter(legacy_text)
        return "".join(d if d is not None else next(rest) for d in decoded)
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: BOM, then declared charset, then UTF-8, then detection.

    Never fails: undecodable bytes become U+FFFD, and the text is cleaned with clean_text.
    """
    if data.startswith(codecs.BOM_UTF8):
        return clean_text(data[3:].decode("utf-8", errors="replace")), "utf-8"
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
            return clean_text(data.decode(encoding)), encoding
        except (UnicodeError, LookupError, ValueError):
            # UnicodeError, not only UnicodeDecodeError: codecs such as idna raise the parent.
            continue
    mixed = _decode_mixed(data)
    if mixed is not None:
        return clean_text(mixed), "utf-8"  # the page's main encoding; the rest was legacy
    best = from_bytes(data[:DETECT_BYTES]).best()
    encoding = _normalise(best.encoding) if best is not None and best.encoding else None
    if encoding:
        try:
            return clean_text(data.decode(encoding, errors="replace")), encoding
        except (UnicodeError, LookupError, ValueError):
            pass
    return clean_text(data.decode("utf-8", errors="replace")), "utf-8"
