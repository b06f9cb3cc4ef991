"""`cyberline report` end to end: every format, language, filter and error path."""

from __future__ import annotations

import csv
import io
import json
import re


def test_json_contract(cli, cases_db):
    result = cli("report", "--period", "2022-07-01..2022-07-15", "--format", "json", db=cases_db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("period", "total", "per_day", "by_attack_type", "by_technique", "by_motivation",
                "by_target_class", "by_country", "previous", "japan", "notable", "incidents",
                "narrative", "changes", "by_day"):
        assert key in data
    assert data["period"]["start"] == "2022-07-01" and data["total"] == 8
    assert len(data["previous"]) == 2 and set(data["narrative"]) == {"ja", "en"}


def test_fortnight_month_and_compare(cli, cases_db):
    fortnight = json.loads(cli("report", "--fortnight", "2022-07a", "--format", "json",
                               "--compare", "1", db=cases_db).stdout)
    assert fortnight["total"] == 8 and len(fortnight["previous"]) == 1
    month = json.loads(cli("report", "--month", "2022-06", "--format", "json", db=cases_db).stdout)
    assert month["total"] == 9 and month["previous"][0]["period"]["start"] == "2022-05-01"


def test_filters(cli, cases_db):
    def total(*args):
        out = cli("report", "--fortnight", "2022-07a", "--format", "json", *args, db=cases_db)
        assert out.exit_code == 0, out.output
        return json.loads(out.stdout)["total"]
    assert total("--country", "jp") == 3
    assert total("--attack-type", "ransomware") == 3
    assert total("--target-class", "P Education") == 1 == total("--target-class", "P")


def test_markdown_has_narrative_tables_and_svg_charts(cli, cases_db, tmp_path):
    out = tmp_path / "r.md"
    result = cli("report", "--fortnight", "2022-07a", "--format", "md", "--lang", "ja",
                 "-o", str(out), db=cases_db)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# サイバー攻撃タイムライン: 2022年7月前半")
    assert "ランサムウェアは、8件中3件(37.5%)" in text
    assert "| 公表日 | 発生日 | 発覚日 | 攻撃者 | 標的 | 概要 | 攻撃手法 | 標的業種 | 攻撃分類 | 国 |" in text
    assert text.count("<svg") == 6  # 4 share charts, daily counts, 12-period trend
    assert "Noto Sans CJK JP" in text


def test_html_is_a_page_with_charts_and_escaped_text(cli, cases_db, tmp_path):
    out = tmp_path / "r.html"
    result = cli("report", "--fortnight", "2022-07a", "--format", "html", "-o", str(out),
                 db=cases_db)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert page.count("<svg") == 6 and "株式会社大都 discloses a ransomware attack" in page
    # chart labels stay text (svg.fonttype none), not glyph paths, with CJK fonts named
    assert re.search(r"<text[^>]*font-family:'Noto Sans CJK JP'[^>]*>Ransomware</text>", page)
    ja = cli("report", "--fortnight", "2022-07a", "--format", "html", "--lang", "ja",
             db=cases_db).stdout
    assert re.search(r"<text[^>]*>ランサムウェア</text>", ja)
    assert 'href="https://x.invalid/9"' in page


def test_csv_uses_the_anchor_headers(cli, cases_db):
    result = cli("report", "--fortnight", "2022-07a", "--format", "csv", db=cases_db)
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:11] == ["Date Reported", "Date Occurred", "Date Discovered", "Author",
                            "Target", "Description", "Attack", "Target Class", "Attack Class",
                            "Country", "Link"]
    assert len(rows) == 9
    daito = next(r for r in rows if r[4] == "株式会社大都")
    assert daito[6] == "Ransomware" and daito[7] == "G Wholesale and retail trade"
    assert daito[8] == "CC" and daito[9] == "JP" and daito[15] == "不正アクセス"


def test_table_output(cli, cases_db):
    result = cli("report", "--fortnight", "2022-07a", db=cases_db)
    assert result.exit_code == 0 and "Crema Finance" in result.stdout
    assert "By technique" in result.stdout


def test_bad_input_gives_clear_errors(cli, cases_db):
    cases = [
        (["--period", "nonsense"], "period 'nonsense'"),
        ([], "exactly one of"),
        (["--fortnight", "2022-07"], "not a fortnight"),
        (["--month", "2022-07", "--format", "pdf"], "format 'pdf'"),
        (["--month", "2022-07", "--lang", "fr"], "language 'fr'"),
        (["--month", "2022-07", "--attack-type", "laser"], "unknown attack type"),
        (["--month", "2022-07", "--target-class", "Q Pirates"], "unknown target class"),
        (["--month", "2022-07", "--country", "Japan"], "ISO 3166-1"),
    ]
    for args, message in cases:
        result = cli("report", *args, db=cases_db)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output.replace("\n", " ").replace("│", ""), (args, result.output)


def test_demo_still_prints_reports(cli, tmp_path):
    result = cli("demo", "--format", "md", "--lang", "ja", "--no-serve",
                 db=str(tmp_path / "demo.sqlite"))
    assert result.exit_code == 0, result.output
    assert "2022年7月後半" in result.stdout and "2022年8月前半" in result.stdout
