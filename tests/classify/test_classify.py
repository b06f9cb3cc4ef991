
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


def test_vcdb_attack_type_mapping_and_refinements():
    from cyberline.classify.data import vcdb_attack_type

    def at(varieties, summary=""):
        cats = sorted({v.split(".")[0] for v in varieties})
        return vcdb_attack_type({"action_varieties": varieties, "action_categories": cats, "summary": summary})

    assert at(["malware.Ransomware", "hacking.Use of stolen creds"]) == "ransomware"
    assert at(["malware.Unknown"], "Files were encrypted and a ransom demanded") == "ransomware"
    assert at(["malware.Unknown"], "a trojan stole data") == "malware"
    assert at(["error.Misdelivery"]) == "misdelivery"
    assert at(["error.Publishing error"]) == "misconfiguration"
    assert at(["physical.Theft"]) == "lost_or_stolen_device"
    assert at(["misuse.Privilege abuse"]) == "insider"
    assert at(["social.Phishing", "hacking.Use of stolen creds"]) == "phishing"
    assert at(["hacking.Use of stolen creds"]) == "account_takeover"
    assert at(["hacking.SQLi", "hacking.Exploit vuln"]) == "sql_injection"
    assert at(["hacking.DoS"]) == "ddos"
    assert at(["physical.Tampering"], "skimming device found on a gas pump") == "payment_skimming"
    assert at(["physical.Tampering"], "ATM was damaged") == "other"
    assert vcdb_attack_type({"action_varieties": [], "action_categories": ["unknown"], "summary": "x"}) is None


def test_hhs_weak_labels_stay_in_the_breach_type_family():
    from cyberline.classify.data import hhs_weak_attack_type

    assert hhs_weak_attack_type("Hacking/IT Incident", "employees fell for a phishing email") == "phishing"
    assert hhs_weak_attack_type("Hacking/IT Incident", "ransomware encrypted the servers") == "ransomware"
    assert hhs_weak_attack_type("Hacking/IT Incident", "an unauthorized third party accessed") == "unauthorized_access"
    # a cue outside the type's family is ignored
    assert hhs_weak_attack_type("Unauthorized Access/Disclosure", "a phishing email") == "insider"
    assert hhs_weak_attack_type("Unauthorized Access/Disclosure", "letters were mailed to the wrong address") == "misdelivery"


def test_cues_combine_with_model_probabilities():
    from cyberline.classify.cues import combine, cued

    assert cued("attack_type", "Adam Sandler's Twitter account is hacked") == "account_takeover"
    assert cued("attack_type", "pro-Iranian hackers deface a US government website") == "defacement"
    assert cued("motivation", "pro-Iranian hackers deface a US government website") == "hacktivism"
    assert cued("motivation", "Researchers attribute the campaign to APT41") == "cyber_espionage"
    assert cued("target_class", "Adam Sandler's Twitter account is hacked") == "X"
    assert cued("target_class", "The city of New Orleans is hit") == "O"
    assert cued("attack_type", "The company published its results") is None
    proba = {"attack_type": {"malware": 0.5, "ddos": 0.3, "phishing": 0.2}}
    assert combine(proba, "a DDoS attack hit the bank")["attack_type"][0] == "ddos"
    assert combine(proba, "nothing cued here")["attack_type"] == ("malware", 0.5)
    confident = {"attack_type": {"malware": 0.97, "ddos": 0.01, "phishing": 0.02}}
    assert combine(confident, "a DDoS attack")["attack_type"][0] == "malware"


def test_target_class_cues():
    from cyberline.classify.cues import cued

    # a health insurer is K although its text speaks of patients and health care
    assert cued("target_class", "Horizon BCBS notifies members that patients' data was exposed") == "K"
    assert cued("target_class", "Anthem Health Plan mailed patients' claims to the wrong address") == "K"
    assert cued("target_class", "The hospital's patients were notified") == "Q"
    assert cued("target_class", "The school district's payroll was phished") == "P"
    assert cued("target_class", "A VA medical center mailed veterans' records to the wrong address") == "O"
    assert cued("target_class", "A payday lender leaked loan applications") == "K"
    assert cued("target_class", "Skimmers found at a gas station") == "G"
    assert cued("target_class", "A restaurant chain's POS was infected") == "I"
    assert cued("target_class", "SQLi against a California ISP") == "J"
    assert cued("target_class", "A new campaign targeting Android users via a mobile trojan") == "X"
    assert cued("target_class", "A new campaign targeting banks in Europe") == "Y"
    # words that name other sectors as often as their own are no cue
    assert cued("target_class", "The insurance information of customers was stolen") is None
    assert cued("target_class", "A pharmacy employee stole customer records") is None


def test_timeline_attack_cues():
    from cyberline.classify.cues import cued, first_attack_cue

    assert cued("attack_type", "A shop's checkout was injected with malicious JavaScript that steals "
                               "customers' card data") == "payment_skimming"
    assert cued("attack_type", "The clinic says three staff email accounts were compromised") == "account_takeover"
    assert cued("attack_type", "The mayor's Instagram was hacked overnight") == "account_takeover"
    assert cued("attack_type", "The Facebook account of a well-known chef gets hijacked") == "account_takeover"
    assert cued("attack_type", "Attackers exploit CVE-2021-1234 in a VPN appliance") == "vulnerability_exploit"
    assert cued("attack_type", "A flaw in the firmware is exploited in the wild") == "vulnerability_exploit"
    assert cued("attack_type", "A malspam campaign spreads an info-stealer") == "malware"
    # main's cues keep their precedence (first match wins)
    assert cued("attack_type", "Ransomware operators exploit an unpatched VPN") == "ransomware"
    assert cued("attack_type", "Phishing emails were sent after two email accounts were compromised") == "account_takeover"
    # the training labels' refinement uses main's cues only
    assert first_attack_cue("staff email accounts were compromised") is None
    assert first_attack_cue("Attackers exploit CVE-2021-1234") is None
    # no cue
    assert cued("attack_type", "The account was closed and the bug fixed") is None
