"""End to end on SQLite and PostgreSQL: every export and import command, and the filters
(same semantics as `cyberline report`)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from cyberline.analyze import parse_period, period_stats
from cyberline.interchange import FilterError, IncidentFilter, iter_incidents
from cyberline.store.schema import Incident
from tests.interchange.helpers import SAMPLE_CSV, ours_of


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def test_filter_values_are_checked():
    with pytest.raises(FilterError):
        IncidentFilter.parse(attack_type="ransomwar")
    with pytest.raises(FilterError):
        IncidentFilter.parse(target_class="Q9")
    assert IncidentFilter.parse(country="jp", target_class="p").as_dict() == {
        "country": "JP", "attack_type": None, "target_class": "P"}


def test_import_export_commands_end_to_end(cli, db_url, store, tmp_path):
    # The first 40 rows of the sample (the whole file is imported in test_timeline_csv).
    sample = tmp_path / "timeline.csv"
    sample.write_text("".join(SAMPLE_CSV.read_text(encoding="utf-8").splitlines(True)[:41]),
                      encoding="utf-8")
    out = _ok(cli("import", "timeline", str(sample), db=db_url)).output
    assert "40 new" in out
    assert "40 already stored" in _ok(cli("import", "timeline", str(sample), db=db_url)).output

    # Filters: the export covers exactly what the period statistics count.
    period = parse_period("2020-01a")
    with store.session() as s:
        s.execute(update(Incident).where(Incident.id == 1).values(published=False))
        stats = period_stats(s, period, {"country": "US", "attack_type": "malware"})
    flt = IncidentFilter(period, "US", "malware")
    assert len(list(iter_incidents(store, flt, batch=3))) == stats["total"] > 0
    csv_file = tmp_path / "us.csv"
    _ok(cli("export", "csv", "--period", "2020-01a", "--country", "US", "--attack-type", "malware",
            "-o", str(csv_file), db=db_url))
    assert len(csv_file.read_text(encoding="utf-8").splitlines()) == 1 + stats["total"]

    files = {}
    for fmt in ("jsonl", "stix", "misp", "veris"):
        files[fmt] = tmp_path / f"all.{fmt}.json"
        _ok(cli("export", fmt, "-o", str(files[fmt]), db=db_url))
    records = [json.loads(line) for line in files["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(ours_of(store))  # every published incident
    assert records[0]["reports"][0]["provenance"] == "import:timeline.csv"
    assert records[0]["reports"][0]["data"]["original"]["Date Reported"].startswith("2020-01")
    for kind, fmt in (("stix", "stix"), ("misp", "misp"), ("vcdb", "veris")):
        other = str(tmp_path / f"{kind}.sqlite")
        assert "new" in _ok(cli("import", kind, str(files[fmt]), db=other)).output
    stdout = _ok(cli("export", "stix", "--country", "DE", db=db_url)).output
    assert '"country": "DE"' in stdout and '"country": "US"' not in stdout


def test_bad_arguments_give_clear_errors(cli, tmp_path):
    db = str(tmp_path / "x.sqlite")
    assert cli("export", "pdf", db=db).exit_code != 0
    result = cli("export", "csv", "--attack-type", "nope", db=db)
    assert result.exit_code != 0 and "unknown attack type" in result.output
    assert cli("export", "csv", "--per-period", "month", db=db).exit_code != 0
    missing = cli("import", "stix", str(tmp_path / "missing.json"), db=db)
    assert missing.exit_code == 1
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    result = cli("import", "misp", str(garbage), db=db)
    assert result.exit_code == 1 and "not a readable JSON file" in result.output
