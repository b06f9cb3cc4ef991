"""Low-confidence incident reports are flagged for review (issue 3), and listed by the CLI."""

from cyberline.model import Report


def test_flags_low_confidence_and_missing_key_fields():
    sure = Report(id="a", kind="incident_notice", organization="株式会社テスト",
                  attack_type="ransomware", disclosure_date="2022-08-01",
                  confidence={"organization": 0.9, "attack_type": 0.9, "disclosure_date": 0.9})
    assert sure.to_json()["needs_review"] is False
    unsure = Report(id="b", kind="incident_notice", organization="テスト",
                    attack_type="unknown", disclosure_date="2022-08-01",
                    confidence={"organization": 0.3, "disclosure_date": 0.5})
    assert unsure.low_confidence_fields() == ["organization", "attack_type"]
    assert Report(id="c", kind="event").low_confidence_fields() == []  # no incident, no review


def test_review_low_confidence_lists_flagged_reports(cli, tmp_path):
    notice = tmp_path / "n.txt"
    notice.write_text("お知らせ\n当社サーバーに不正アクセスがありました。", encoding="utf-8")
    db = str(tmp_path / "t.sqlite")
    assert cli("ingest", str(notice), db=db).exit_code == 0
    result = cli("review", "--low-confidence", db=db)
    assert "1 incident reports flagged for review" in result.stdout
    assert "disclosure_date" in result.stdout  # the notice states no date
