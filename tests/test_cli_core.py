"""The core commands end to end through the CLI (typer's runner, a real SQLite file)."""

from __future__ import annotations

import json


def test_demo_prints_both_fortnights(cli, tmp_path):
    db = str(tmp_path / "demo.sqlite")
    result = cli("demo", "--format", "json", "--no-serve", db=db)
    assert result.exit_code == 0, result.output
    assert "2022-07-16" in result.stdout and "2022-08-15" in result.stdout
    again = cli("demo", "--format", "json", "--no-serve", db=db)
    assert again.exit_code == 0 and "0 new documents" in again.output


def test_ingest_exit_codes(cli, tmp_path, sample_feed):
    db = str(tmp_path / "t.sqlite")
    ok = cli("ingest", str(sample_feed), db=db)
    assert ok.exit_code == 0 and "8 new documents" in ok.stdout
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    bad = cli("ingest", str(empty), db=db)
    assert bad.exit_code == 1 and "empty input" in bad.output


def test_report_json_has_the_contract_keys(cli, tmp_path, sample_feed):
    db = str(tmp_path / "t.sqlite")
    cli("ingest", str(sample_feed), db=db)
    result = cli("report", "--fortnight", "2022-08a", "--format", "json", db=db)
    data = json.loads(result.stdout)
    for key in ("period", "total", "per_day", "by_attack_type", "by_motivation",
                "by_target_class", "by_country", "previous", "japan", "notable", "incidents"):
        assert key in data
    assert data["period"] == {"start": "2022-08-01", "end": "2022-08-15"}
    bad = cli("report", "--period", "nonsense", db=db)
    assert bad.exit_code != 0


def test_extract_prints_one_object_per_input(cli, tmp_path):
    (tmp_path / "n1.txt").write_text("株式会社テスト 不正アクセスについて", encoding="utf-8")
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps({"id": "j1", "text": "We detected ransomware."}) + "\n"
                     + "not json\n", encoding="utf-8")
    result = cli("extract", str(tmp_path / "n1.txt"), "--jsonl", str(items))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["id"] for d in lines] == ["j1", "n1"]
    assert set(lines[0]) >= {"organization", "incident_dates", "evidence", "amount_lost"}
