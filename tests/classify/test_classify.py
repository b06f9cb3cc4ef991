
import numpy as np
import pytest

from cyberline.classify import FIELDS, ModelError, Model, get_model, predict_fields
from cyberline.classify.data import dedupe, Item, split_of, vcdb_motivation
from cyberline.classify.features import Vectorizer, char_analyzer, word_analyzer
from cyberline.model import vocabulary


def test_split_is_the_shared_rule():
    import hashlib
    for i in ["0", "1", "abc", "0001AA7F-C601-424A-B2B8-BE6C9F5164E7", 17]:
        expected = "holdout" if hashlib.sha1(str(i).encode()).hexdigest()[0] in "01234" else "tune"
        assert split_of(i) == expected


def test_predict_fields_shape_and_vocabulary():
    out = predict_fields("Hackers encrypted the hospital's servers and demanded a ransom in bitcoin.", "en")
    assert set(out) == set(FIELDS)
    for field, (value, p) in out.items():
        assert value in vocabulary(field)
        assert 0.0 <= p <= 1.0
    assert out["attack_type"][0] == "ransomware"
    assert out["target_class"][0] == "Q"


def test_other_languages_and_empty_text_fall_back():
    assert predict_fields("ランサムウェアに感染しました", "ja")["attack_type"] == ("unknown", 0.0)
    assert predict_fields("   ", "en")["target_class"] == ("Z", 0.0)


def test_model_metadata_credits_vcdb_and_records_holdout():
    meta = get_model().metadata
    assert "VERIS Community Database" in meta["credit"]
    assert any(s["licence"] == "CC BY-SA 4.0" for s in meta["sources"])
    assert "holdout" in meta and "versions" in meta


# Speed (predictions/s, load time) is measured by bench/extract.py, not by timed tests.


def test_vectorizer_matches_sklearn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["Ransomware hit the city", "The city was hit by phishing", "phishing phishing email 2020"]
    blocks = []
    mats = []
    for name, an in (("word", word_analyzer), ("char", char_analyzer)):
        v = TfidfVectorizer(analyzer=an, sublinear_tf=True).fit(docs)
        terms = sorted(v.vocabulary_, key=v.vocabulary_.get)
        blocks.append((name, terms, v.idf_))
        mats.append(v.transform(docs).toarray())
    expected = np.hstack(mats)
    vec = Vectorizer(blocks)
    for k, d in enumerate(docs):
        cols, vals = vec.transform_one(d)
        row = np.zeros(vec.size)
        row[cols] = vals
        assert np.allclose(row, expected[k])


def test_incompatible_model_is_refused(tmp_path):
    import json, shutil
    from cyberline.classify import MODEL_DIR
    for f in MODEL_DIR.iterdir():
        shutil.copy(f, tmp_path / f.name)
    meta = json.loads((tmp_path / "metadata.json").read_text())
    meta["format_version"] = 999
    (tmp_path / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="cyberline train"):
        Model(tmp_path)
    with pytest.raises(ModelError, match="cyberline train"):
        Model(tmp_path / "missing")


def test_dedupe_keeps_first_by_id():
    items = [Item("b", "Same  text 1", "x"), Item("a", "same text 2", "x"), Item("c", "other", "x")]
    assert [i.id for i in dedupe(items)] == ["a", "c"]


def test_vcdb_motivation_rules():
    assert vcdb_motivation({"action_categories": ["error"], "summary": "mailed to wrong address"}) == "accident"
    assert vcdb_motivation({"action_categories": ["hacking"], "actor_categories": ["external"],
                            "summary": "Anonymous defaced the ministry site"}) == "hacktivism"
    assert vcdb_motivation({"action_categories": ["hacking"], "actor_categories": ["external"],
                            "summary": "an anonymous tip revealed the breach"}) == "cybercrime"
    assert vcdb_motivation({"action_categories": ["malware"], "summary": "state-sponsored APT29 spies"}) == "cyber_espionage"
