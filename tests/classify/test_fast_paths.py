"""The fast prediction paths give what the plain ones give (speed: bench/extract.py)."""

import numpy as np

from cyberline.classify import FIELDS, get_model, predict_fields
from cyberline.classify.cues import combine, combine_arrays, cued
from cyberline.classify.features import ANALYZERS
from cyberline.extract.classify_fields import _model_language

TEXTS = [
    "Adam Sandler's Twitter account is hacked",
    "pro-Iranian hackers deface a US government website",
    "The Anonymous collective leaks data of the city of Oakland police",
    "anonymous tip: ATM skimmer at bank",
    "Ransomware hits the hospital; 1,234 patients' records encrypted in 2020",
    "",
    "   ",
    "Ünïcödé  résumé\tphishing\n\ne-mail 42",
]


def _plain_row(vec, text):
    """TF-IDF row straight from the analyzers (what scikit-learn computes)."""
    import math
    from collections import Counter

    row = np.zeros(vec.size)
    for name, index, _idf in vec.blocks:
        counts = Counter(ANALYZERS[name](text))
        cols = [index[t] for t in counts if t in index]
        vals = np.array([(1 + math.log(counts[t])) for t in counts if t in index]) * vec._idf[cols]
        if len(cols):
            row[cols] = vals / (np.linalg.norm(vals) or 1.0)
    return row


def test_cached_char_grams_match_the_analyzers():
    vec = get_model().vectorizer
    for text in TEXTS * 2:  # twice: the second pass reads the word cache
        cols, vals = vec.transform_one(text)
        row = np.zeros(vec.size)
        row[cols] = vals
        assert np.allclose(row, _plain_row(vec, text))


def test_combine_arrays_matches_combine():
    model = get_model()
    for text in TEXTS:
        if not text.strip():
            continue
        arrays = model.proba_arrays(text)
        as_dicts = model.proba(text)
        assert set(arrays) == set(FIELDS)
        fast = combine_arrays(arrays, model.labels, text)
        plain = combine(as_dicts, text)
        for f in FIELDS:
            assert fast[f][0] == plain[f][0]
            assert abs(fast[f][1] - plain[f][1]) < 1e-9
        assert predict_fields(text, "en") == fast


def test_case_sensitive_alternatives_stay_case_sensitive():
    assert cued("motivation", "The Anonymous collective claims the attack") == "hacktivism"
    assert cued("motivation", "an anonymous source says") is None
    assert cued("motivation", "#OpIsrael hits sites") == "hacktivism"
    assert cued("motivation", "PROTEST against the law") == "hacktivism"  # case-insensitive part
    assert cued("target_class", "Taylor Swift's Instagram account was hacked") == "X"
    assert cued("target_class", "taylor swift instagram hacked") != "X"


def test_short_latin_text_is_read_as_english():
    assert _model_language("ATM skimmer at bank", "other") == "en"
    assert _model_language("Publishing error", "other") == "en"
    assert _model_language("해킹 사고", "other") == "other"
    assert _model_language("黑客攻击", "other") == "other"
    assert _model_language("12345", "other") == "other"
    assert _model_language("ランサムウェア", "ja") == "ja"


def test_reads_as_incident():
    from cyberline.extract.classify_fields import reads_as_incident

    assert reads_as_incident(100, ("phishing", 0.3), ("unknown", 0.0))
    assert not reads_as_incident(100, ("phishing", 0.2), ("unknown", 0.0))
    assert not reads_as_incident(100, ("unknown", 0.9), ("unknown", 0.0))
    # a longer text: only when the model decided, and is at least LONG_MODEL_FLOOR sure
    assert reads_as_incident(3000, ("insider", 0.9), ("unknown", 0.0))
    assert not reads_as_incident(3000, ("insider", 0.4), ("unknown", 0.0))
    assert not reads_as_incident(3000, ("ransomware", 0.95), ("ransomware", 0.95))


def test_top_terms_name_the_deciding_words():
    from cyberline.classify import predict_fields, top_terms

    text = "An employee emailed a spreadsheet of member data to the wrong recipient."
    wanted = {f: v for f, (v, _p) in predict_fields(text, "en").items()}
    terms = top_terms(text, "en", wanted)
    assert terms and all(word in text.lower() for term in terms.values() for word in term.split())
    assert top_terms(text, "ja", wanted) == {}  # the model reads English only
    assert top_terms(text, "en", {"attack_type": "no-such-class"}) == {}


def test_model_evidence_points_at_the_deciding_words():
    from cyberline.classify import top_terms
    from cyberline.extract.classify_fields import model_evidence

    body = "Letters with 3 names were sent to the wrong  a recipient by mistake."
    spans = model_evidence(body, body, "en", {"attack_type": "misdelivery"})
    term = top_terms(body, "en", {"attack_type": "misdelivery"})["attack_type"]
    start, end = spans["attack_type"]
    assert body[start:end].lower().split()[0] == term.split()[0]
    # the title alone holds no span in the body
    assert model_evidence("x", "Wrong recipient\nx", "en", {"attack_type": "misdelivery"}) == {}


def test_find_term_crosses_dropped_words_and_digits():
    from cyberline.classify.features import find_term

    text = "Sent to the wrong  a recipient on 12 May"
    assert text[slice(*find_term(text, "wrong recipient"))] == "wrong  a recipient"
    assert text[slice(*find_term(text, "on 00"))] == "on 12"
    assert find_term(text, "ransom") is None
    assert find_term("İstanbul office", "office") is None  # lower-casing changes the length
