"""The decision rules, one by one, on plain LinkRecords."""

from datetime import date

from cyberline.link.record import LinkRecord, cosine, text_grams
from cyberline.link.rules import compatible, rules
from cyberline.link.score import score_pair


def rec(org="株式会社テスト", day="2022-08-01", **kw) -> LinkRecord:
    return LinkRecord(report_id=kw.pop("report_id", 1), organization=org,
                      disclosure_date=date.fromisoformat(day) if day else None, **kw)


AUTO = rules()["thresholds"]["auto"]
REVIEW = rules()["thresholds"]["review"]


def test_follow_up_of_same_org_merges():
    d = score_pair(rec(day="2022-08-10", is_followup=True, attack_type="ransomware"),
                   rec(attack_type="ransomware"))
    assert d.score >= AUTO
    assert any("follow-up" in r for r in d.reasons)


def test_same_org_alone_is_not_enough():
    d = score_pair(rec(day="2022-09-20"), rec())
    assert d.score < AUTO


def test_incompatible_attack_types_keep_apart():
    d = score_pair(rec(attack_type="misdelivery", is_followup=True),
                   rec(attack_type="ransomware"))
    assert d.score < REVIEW
    assert not compatible("misdelivery", "ransomware")
    assert compatible("unknown", "ransomware") and compatible("malware", "ransomware")


def test_same_count_and_similar_name_across_sources():
    d = score_pair(rec("Life Line Screening", "2019-12-30", affected_persons=2802),
                   rec("Life Line Screening of America, Ltd.", "2019-12-01", affected_persons=2802))
    assert d.score >= AUTO


def test_different_counts_count_against():
    same = score_pair(rec(affected_persons=100), rec(affected_persons=100)).score
    diff = score_pair(rec(affected_persons=100), rec(affected_persons=5000)).score
    assert diff < same


def test_alias_counts_like_the_same_key():
    d = score_pair(rec("DAITO Co., Ltd.", is_followup=True, attack_type="ransomware"),
                   rec("株式会社大都", attack_type="ransomware"),
                   aliases=frozenset({"大都"}))
    assert any("alias" in r for r in d.reasons) and d.score >= AUTO


def test_shared_incident_date_and_text():
    a = rec(incident_dates=frozenset({"2022-07-30"}), text="ランサムウェアによる被害が発生しました。" * 3)
    b = rec(day="2022-08-20", incident_dates=frozenset({"2022-07-30"}),
            text="ランサムウェアによる被害が発生しました。" * 3)
    d = score_pair(a, b)
    assert any("shared incident date" in r for r in d.reasons)
    assert any("similar texts" in r for r in d.reasons)


def test_far_apart_disclosures_count_against():
    assert score_pair(rec(day="2023-08-01"), rec()).score < score_pair(rec(), rec()).score


def test_cosine():
    assert cosine(text_grams("abcdef"), text_grams("abcdef")) > 0.999
    assert cosine(text_grams("abc"), text_grams("")) == 0.0
