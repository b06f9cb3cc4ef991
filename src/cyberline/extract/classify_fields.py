"""The one place where attack_type, motivation and target_class are decided.

Rules decide today.  When the sibling ``cyberline.classify`` package is importable, its
``predict_fields(text, language)`` is combined: for English (where our rules are weak) a
confident model wins; for Japanese the rules win unless they found nothing.
"""

from __future__ import annotations

import re
from typing import Callable

_predict: Callable | None = None
_loaded = False


def _classifier() -> Callable | None:
    global _predict, _loaded
    if not _loaded:
        _loaded = True
        try:
            from cyberline.classify import predict_fields  # type: ignore

            _predict = predict_fields
        except Exception:  # not built yet, or broken: rules alone
            _predict = None
    return _predict


def decide(rules: dict[str, tuple[str, float]], text: str, language: str) -> dict[str, tuple[str, float]]:
    """rules: field -> (value, confidence) from our rules; returns the final (value, confidence)."""
    out = dict(rules)
    predict = _classifier()
    if predict is None:
        return out
    try:
        model = predict(text, _model_language(text, language)) or {}
    except Exception:
        return out
    for fld in ("attack_type", "motivation", "target_class"):
        if fld not in model:
            continue
        value, prob = model[fld]
        rule_value, rule_conf = out.get(fld, ("unknown", 0.0))
        if language != "ja" and len(text) <= DESCRIPTION_CHARS:
            # A short English description (a timeline row, a VCDB or HHS summary) is the text
            # the model was trained on: it decides unless it is unsure and a rule is sure.
            if prob >= DESCRIPTION_MODEL_FLOOR or rule_conf < 0.6 or rule_value in ("unknown", "Z"):
                out[fld] = (value, float(prob))
            continue
        if fld == "attack_type" and language != "ja":
            out[fld] = _attack_en((rule_value, rule_conf), (value, float(prob)))
            continue
        unknownish = rule_value in ("unknown", "Z") or rule_conf < 0.3
        threshold = 0.5 if language != "ja" else 0.8
        if unknownish or (prob >= threshold and prob > rule_conf):
            out[fld] = (value, float(prob))
    return out


_NOT_LATIN = re.compile("[\u0370-\u1fff\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")
_LETTER = re.compile("[A-Za-z]")


def _model_language(text: str, language: str) -> str:
    """The language the model is asked about.  detect_language says "other" for a text with
    fewer than 20 Latin letters ("ATM skimmer at bank", "Publishing error"): such a text in
    Latin script alone is read as English (the model's language) instead of getting no answer."""
    if language == "other" and _LETTER.search(text) and not _NOT_LATIN.search(text):
        return "en"
    return language


# Texts up to this length are descriptions (timeline rows, VCDB/HHS summaries), not notices.
DESCRIPTION_CHARS = 800
DESCRIPTION_MODEL_FLOOR = 0.4

# English notices' attack_type (calibrated on en_dev TUNE; the timeline's TUNE rows are the model's own
# training data, so they cannot calibrate it): a notice that names no mechanism stays "unknown"
# unless the model is fairly sure; a stated cue (rule confidence >= 0.3) yields only to a
# confident model.
EN_MODEL_WHEN_NO_RULE = 0.4
EN_MODEL_OVER_RULE = 0.75


def _attack_en(rule: tuple[str, float], model: tuple[str, float]) -> tuple[str, float]:
    (rv, rc), (mv, mp) = rule, model
    if rv == "unknown":
        return (mv, mp) if mp >= EN_MODEL_WHEN_NO_RULE else ("unknown", rc)
    if rc < 0.3:
        return (mv, mp) if mp > rc else (rv, rc)
    return (mv, mp) if mp >= EN_MODEL_OVER_RULE and mp > rc else (rv, rc)
