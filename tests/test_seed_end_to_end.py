"""The seed post end to end: the bundled feed -> `cyberline demo` database -> incidents.

The floor of issue 2, checked on what a user gets (stored incidents and the report JSON), not on
the extractor alone (tests/extract/test_seed.py does that).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from cyberline.store import Store
from cyberline.store.schema import Incident, Report


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from typer.testing import CliRunner

    from cyberline.cli import app

    db = str(tmp_path_factory.mktemp("seed") / "demo.sqlite")
    result = CliRunner().invoke(app, ["--db", db, "demo", "--format", "json", "--no-serve"])
    assert result.exit_code == 0, result.output
    return db, result.stdout


def _incident(db: str, org_part: str) -> Incident:
    store = Store.open(db)
    with store.session() as s:
        found = [i for i in s.scalars(select(Incident)) if org_part in (i.organization or "")]
    assert len(found) == 1, f"{org_part}: {len(found)} incidents"
    return found[0]


def test_wdb_ransomware(demo_db):
    wdb = _incident(demo_db[0], "WDBホールディングス")
    assert (wdb.attack_type, wdb.cause_category_jnsa, wdb.countries) == ("ransomware", "不正アクセス", ["JP"])
    assert wdb.disclosure_date == date(2022, 8, 2) and wdb.occurred_date == date(2022, 8, 1)
    assert wdb.data_categories == []


def test_daito_payment_page(demo_db):
    daito = _incident(demo_db[0], "大都")
    assert daito.attack_type == "payment_skimming" and daito.affected_persons == 122
    assert set(daito.data_categories) >= {"credit_card_number", "card_expiry", "card_security_code"}
    assert daito.discovered_date == date(2022, 4, 20)
    assert set(daito.reported_to) >= {"police", "ppc"}
    assert daito.disclosure_date == date(2022, 8, 1)


def test_japan_dental_misprint(demo_db):
    dental = _incident(demo_db[0], "ジャパンデンタル")
    assert dental.attack_type == "software_bug"
    assert (dental.affected_persons, dental.affected_orgs) == (3, 35)
    assert set(dental.data_categories) >= {"bank_account", "name"}
    assert dental.disclosure_date == date(2022, 8, 1) and dental.discovered_date == date(2022, 7, 28)


def test_sanwa_follow_up_and_the_rest(demo_db):
    sanwa = _incident(demo_db[0], "三和倉庫")
    assert sanwa.attack_type == "unauthorized_access" and sanwa.occurred_date == date(2022, 7, 29)
    store = Store.open(demo_db[0])
    with store.session() as s:
        followups = s.scalars(select(Report).where(Report.is_followup.is_(True))).all()
    assert [r.organization for r in followups] == ["三和倉庫株式会社"]
    showa = _incident(demo_db[0], "昭和女子大学")
    assert (showa.attack_type, showa.cause_category_jnsa) == ("lost_or_stolen_device", "盗難")
    tokyo = _incident(demo_db[0], "東京都")
    assert tokyo.attack_type == "spam_relay" and tokyo.occurred_date == date(2022, 7, 31)


def test_event_and_statistics_posts_are_no_incidents(demo_db):
    store = Store.open(demo_db[0])
    with store.session() as s:
        kinds = {r.document.title[:20]: r.kind for r in s.scalars(select(Report))}
        assert len(s.scalars(select(Incident)).all()) == 6
    assert kinds["[イベント] HITCON PEACE 2022"[:20]] == "event"
    assert kinds["2022年7月1日~15日 サイバー攻撃タイムライン"[:20]] == "other"


def test_demo_report_json_counts_the_two_fortnights(demo_db):
    decoder, text, reports = json.JSONDecoder(), demo_db[1].strip(), []
    while text:
        obj, end = decoder.raw_decode(text)
        reports.append(obj)
        text = text[end:].strip()
    july, august = reports
    assert (july["total"], august["total"]) == (1, 5)
    assert august["japan"]["count"] == 5
    assert august["by_attack_type"]["ransomware"] == {"count": 1, "share": 20.0}
