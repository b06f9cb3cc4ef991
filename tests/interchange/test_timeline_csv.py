"""The timeline CSV: parsing rules, the sample file import, malformed rows, export columns."""

from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
import pytest
from sqlalchemy import func, select

from cyberline.interchange import export, import_file
from cyberline.interchange.csv_timeline import (
    OUR_COLUMNS, TIMELINE_COLUMNS, attack_type_of, parse_date, read_rows, target_class_of,
)
from cyberline.interchange.imports import ImportItem, Skipped
from cyberline.store.schema import Document, Incident, Report
from tests.interchange.helpers import SAMPLE_CSV, fresh_store, ours_of, seed


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_parse_date_reads_every_written_form(day):
    iso = day.isoformat()
    assert parse_date(f"{iso} 00:00:00") == iso
    assert parse_date(iso) == iso
    assert parse_date(day.strftime("%d/%m/%Y")) == iso


@given(st.text(max_size=30))
def test_parse_date_never_guesses(text):
    try:
        value = parse_date(text)
    except ValueError:
        return
    assert value is None or date.fromisoformat(value)


def test_parse_date_rules():
    assert parse_date("null") is None and parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("2020-02-30 00:00:00")
    with pytest.raises(ValueError):
        parse_date("last week")


def test_target_class_with_and_without_the_letter():
    assert target_class_of("P Education") == "P"
    assert target_class_of("Education") == "P"
    assert target_class_of("O Public administration and defence, compulsory social security") == "O"
    assert target_class_of("K Something new") == "K"  # unknown text, but a valid letter prefix
    assert target_class_of("null") == "Z"


def test_attack_type_through_the_crosswalk_and_a_finer_tag():
    assert attack_type_of("Account Hijacking", "") == "account_takeover"
    assert attack_type_of("Malware", "Contra Costa, ransomware") == "ransomware"
    assert attack_type_of("Malware", "Emotet") == "malware"
    assert attack_type_of("Something unheard of", "") == "unknown"


def test_sample_file_rows_map_to_reports():
    items = list(read_rows(SAMPLE_CSV))
    assert len(items) == 160 and all(isinstance(i, ImportItem) for i in items)
    first = items[0]
    assert first.report.organization == "Adam Sandler's Twitter account"
    assert first.report.disclosure_date == "2020-01-02"
    assert first.report.attack_type == "account_takeover"
    assert first.report.motivation == "cybercrime" and first.report.target_class == "R"
    assert first.report.kind == "incident_news"
    assert first.original["Author"] == "Chuckling Squad"
    assert first.document.raw.decode().startswith("2020-01-02 00:00:00,null,null,Chuckling Squad")
    by_country = {i.original["Country"]: i.report.country for i in items}
    assert by_country["UK"] == ["GB"]
    assert by_country[">1"] == []
    assert by_country["US\n CA\n MX"] == ["US", "CA", "MX"]


def test_import_twice_adds_nothing_and_keeps_originals(tmp_path):
    store = fresh_store(tmp_path / "t.sqlite")
    first = import_file(store, "timeline", SAMPLE_CSV)
    assert (first.new, first.unchanged, first.skipped) == (160, 0, [])
    second = import_file(store, "timeline", SAMPLE_CSV)
    assert (second.new, second.unchanged) == (0, 160)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 160
        report = s.scalar(select(Report).order_by(Report.id))
        assert report.provenance == "import:hackmageddon_2020-01.csv"
        assert report.data["original"]["Target Class"].startswith("R ")
        assert s.scalar(select(func.count()).select_from(Incident)) >= 150


def test_malformed_rows_are_logged_with_their_number_and_skipped(tmp_path, caplog):
    lines = SAMPLE_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = tmp_path / "broken.csv"
    broken.write_text("".join(lines[:3]) + "2020-01-05 00:00:00,null,too,few\n"
                      + "yesterday,null,null,?,X,d,Malware,P Education,CC,US,http://x,\n"
                      + lines[3], encoding="utf-8")
    store = fresh_store(tmp_path / "t.sqlite")
    result = import_file(store, "timeline", broken)
    assert result.new == 3
    assert [s.where for s in result.skipped] == ["broken.csv row 4", "broken.csv row 5"]
    assert "fields" in result.skipped[0].reason and "date" in result.skipped[1].reason
    assert "broken.csv row 4" in caplog.text


def test_not_a_timeline_file_is_a_clear_error(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    items = list(read_rows(path))
    assert len(items) == 1 and isinstance(items[0], Skipped)
    assert "missing columns" in items[0].reason


def test_export_columns_bom_and_round_trip(tmp_path):
    store = fresh_store(tmp_path / "a.sqlite")
    seed(store, [{"organization": "株式会社テスト", "disclosure_date": "2022-08-01",
                  "occurred_date": "2022-07-20", "attack_type": "payment_skimming",
                  "motivation": "cybercrime", "target_class": "G", "countries": ["JP"],
                  "affected_persons": 122, "data_categories": ["credit_card_number", "name"],
                  "cause_category_jnsa": "不正アクセス",
                  "amount_lost": {"amount": 1000.0, "currency": "JPY", "text": "1000"}}])
    out = io.StringIO()
    assert export(store, "csv", out, excel=True) == 1
    text = out.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == TIMELINE_COLUMNS + OUR_COLUMNS
    assert rows[0]["Attack"] == "Malicious Script Injection"
    assert rows[0]["Target Class"] == "G Wholesale and retail trade"
    assert rows[0]["Attack Class"] == "CC" and rows[0]["Country"] == "JP"
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    other = fresh_store(tmp_path / "b.sqlite")
    assert import_file(other, "timeline", path).new == 1
    before, after = ours_of(store)[0], ours_of(other)[0]
    for key in ("organization", "disclosure_date", "occurred_date", "attack_type", "motivation",
                "target_class", "countries", "affected_persons", "data_categories",
                "cause_category_jnsa", "amount_lost"):
        assert after[key] == {**before, "amount_lost": {**before["amount_lost"], "text": "1000.0"}}[key], key
