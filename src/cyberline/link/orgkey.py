"""Normalised organisation names: the blocking key that brings reports of one victim together."""

from __future__ import annotations

import re
import unicodedata

# Legal-form words that differ between notices of the same organisation (data, not logic).
_LEGAL_FORMS = [
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "一般社団法人", "公益社団法人",
    "一般財団法人", "公益財団法人", "社会福祉法人", "医療法人社団", "医療法人財団", "医療法人",
    "学校法人", "国立大学法人", "公立大学法人", "独立行政法人", "地方独立行政法人", "特定非営利活動法人",
    "(株)", "(有)", "(同)", "(一社)", "(公社)", "(一財)", "(公財)",
]
_EN_FORMS = re.compile(
    r"\b(incorporated|inc|corporation|corp|company|co|ltd|limited|llc|plc|gmbh|ag|sa|s\.a|"
    r"holdings?|group|the)\b\.?", re.I)
_PUNCT = re.compile(r"[\s\-‐‑–—・,.、。'\"()\[\]{}「」『』【】&＆/]+")


def org_key(name: str | None) -> str | None:
    """`株式会社大都` and `(株)大都` and `DAITO Co., Ltd.` -> comparable keys (`大都`, `daito`)."""
    if not name:
        return None
    text = unicodedata.normalize("NFKC", name)
    for form in _LEGAL_FORMS:
        text = text.replace(unicodedata.normalize("NFKC", form), " ")
    text = _EN_FORMS.sub(" ", text.lower())
    key = _PUNCT.sub("", text)
    return key[:200] or None
