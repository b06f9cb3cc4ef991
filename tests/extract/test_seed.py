"""The floor: the seed post's entries (tests/extract/fixtures/seed_*.txt)."""

import pytest

from cyberline.extract import extract_report


def run(seed, key, with_title=True):
    text, title, published = seed[key]
    if with_title:
        return extract_report(text, id=key, title=title, published=published)
    # the entry as it appears in the post: title line then body, no metadata
    return extract_report(title + "\n" + text, id=key)


@pytest.mark.parametrize("with_title", [True, False])
def test_wdb(seed, with_title):
    r = run(seed, "wdb", with_title)
    assert r.organization == "WDBホールディングス株式会社"
    assert r.attack_type == "ransomware"
    assert r.cause_category_jnsa == "不正アクセス"
    assert r.country == ["JP"]
    assert r.disclosure_date == "2022-08-02"
    assert ("2022-08-01", "occurred") in {(d.date, d.role) for d in r.incident_dates}
    assert r.data_categories == []


@pytest.mark.parametrize("with_title", [True, False])
def test_daito(seed, with_title):
    r = run(seed, "daito", with_title)
    assert r.organization == "株式会社大都"
    assert r.attack_type == "payment_skimming"
    assert r.affected_persons == 122
    assert {"credit_card_number", "card_expiry", "card_security_code"} <= set(r.data_categories)
    assert ("2022-04-20", "discovered") in {(d.date, d.role) for d in r.incident_dates}
    assert {"police", "ppc"} <= set(r.reported_to)
    assert r.disclosure_date == "2022-08-01"
    assert r.target_class == "G"


@pytest.mark.parametrize("with_title", [True, False])
def test_japandental(seed, with_title):
    r = run(seed, "japandental", with_title)
    assert r.organization == "株式会社ジャパンデンタル"
    assert r.attack_type == "software_bug"
    assert r.affected_persons == 3
    assert r.affected_orgs == 35
    assert {"bank_account", "name"} <= set(r.data_categories)
    assert r.disclosure_date == "2022-08-01"
    assert ("2022-07-28", "discovered") in {(d.date, d.role) for d in r.incident_dates}


@pytest.mark.parametrize("with_title", [True, False])
def test_sanwa(seed, with_title):
    r = run(seed, "sanwa", with_title)
    assert r.organization == "三和倉庫株式会社"
    assert r.attack_type == "unauthorized_access"
    assert r.is_followup_report is True
    assert ("2022-07-29", "occurred") in {(d.date, d.role) for d in r.incident_dates}


@pytest.mark.parametrize("with_title", [True, False])
def test_showa(seed, with_title):
    r = run(seed, "showa", with_title)
    assert r.organization == "昭和女子大学"
    assert r.attack_type == "lost_or_stolen_device"
    assert r.cause_category_jnsa == "盗難"
    assert r.target_class == "P"


@pytest.mark.parametrize("with_title", [True, False])
def test_tokyo(seed, with_title):
    r = run(seed, "tokyo", with_title)
    assert r.organization == "東京都"
    assert r.attack_type == "spam_relay"
    assert ("2022-07-31", "occurred") in {(d.date, d.role) for d in r.incident_dates}
    assert r.target_class == "O"
    assert r.disclosure_date == "2022-08-01"


@pytest.mark.parametrize("with_title", [True, False])
def test_event_and_stats(seed, with_title):
    assert run(seed, "hitcon", with_title).kind == "event"
    assert run(seed, "stats", with_title).kind == "other"


def test_notices_are_notices(seed):
    for key in ("wdb", "daito", "japandental", "sanwa", "showa", "tokyo"):
        assert run(seed, key).kind == "incident_notice", key


def test_evidence_points_into_original(seed):
    text, title, published = seed["daito"]
    r = extract_report(text, id="d", title=title, published=published)
    s, e = r.evidence["affected_persons"]
    assert "122" in text[s:e]
    for field, (s, e) in r.evidence.items():
        assert 0 <= s <= e <= len(text), field
    assert all(0.0 <= v <= 1.0 for v in r.confidence.values())
