"""Language of a text from its scripts: kana means Japanese; Latin letters mean English."""

from __future__ import annotations

import re

_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def detect_language(text: str) -> str:
    """'ja', 'en', or 'other' (Korean/Chinese/unreadable)."""
    if not isinstance(text, str):
        return "other"
    sample = text[:5000]
    kana = len(_KANA.findall(sample))
    han = len(_HAN.findall(sample))
    latin = len(_LATIN.findall(sample))
    hangul = len(_HANGUL.findall(sample))
    if kana >= 5 and kana * 4 >= latin * 0.2:
        return "ja"
    if hangul > max(kana, latin / 5, 5):
        return "other"
    if han > 20 and kana < 5 and han > latin / 3:
        return "other"  # Chinese
    if latin >= 20:
        return "en"
    if kana:
        return "ja"
    return "other"
