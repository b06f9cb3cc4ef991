"""Correct by construction: the January 2020 sample timeline, imported, reproduces the counts and
shares that a separate, plain computation over the CSV gives (issue 6).

The expected figures are computed here from the CSV rows with csv + Counter only; the report
side goes through import (cyberline import timeline) and the report code (SQL aggregation).
"""

from __future__ import annotations

import csv
import re
import json
from collections import Counter
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "datasets" / "samples" / "hackmageddon_2020-01.csv"
FORTNIGHTS = {"2020-01a": ("2020-01-01", "2020-01-15"), "2020-01b": ("2020-01-16", "2020-01-31")}


def _expected(start: str, end: str) -> dict:
    rows = [r for r in csv.DictReader(SAMPLE.open(encoding="utf-8"))
            if start <= r["Date Reported"][:10] <= end]
    total = len(rows)

    def shares(counter: Counter) -> dict:
        return {k: {"count": n, "share": round(100.0 * n / total, 2)} for k, n in counter.items()}

    motives = Counter(r["Attack Class"] for r in rows if r["Attack Class"] in ("CC", "CE", "H", "CW"))
    # The CSV's Target Class is "<letter> <label>" or the label alone; the letter is the class.
    letters = Counter(r["Target Class"].split()[0] for r in rows
                      if len(r["Target Class"].split()[0]) == 1)
    countries = Counter()
    for r in rows:
        for c in re.split(r"[,\s]+", r["Country"]):  # "US, CA" and "US\n CA\n MX" list several
            # ">1" means several unnamed countries; EU is no ISO 3166-1 country code.
            if len(c) == 2 and c.isalpha() and c != "EU":
                countries["GB" if c == "UK" else c] += 1
    return {"total": total, "by_attack_class": shares(motives), "letters": shares(letters),
            "by_country": shares(countries)}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    from typer.testing import CliRunner

    from cyberline.cli import app

    db = str(tmp_path_factory.mktemp("timeline") / "t.sqlite")
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db, "import", "timeline", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    reports = {}
    for name in FORTNIGHTS:
        out = runner.invoke(app, ["--db", db, "report", "--fortnight", name, "--format", "json",
                                  "--limit", "0"])
        assert out.exit_code == 0, out.output
        reports[name] = json.loads(out.stdout)
    return reports


@pytest.mark.parametrize("fortnight", sorted(FORTNIGHTS))
def test_fortnight_reproduces_the_csv(imported, fortnight):
    report, expected = imported[fortnight], _expected(*FORTNIGHTS[fortnight])
    assert report["total"] == expected["total"] > 0
    assert len(report["incidents"]) == expected["total"]
    for code, entry in expected["by_attack_class"].items():
        assert report["by_attack_class"][code] == entry, code
    for letter, entry in expected["letters"].items():
        assert report["by_target_class"][letter] == entry, letter
    for country, entry in expected["by_country"].items():
        assert report["by_country"][country] == entry, country
    shares = sum(e["share"] for e in report["by_attack_type"].values())
    assert abs(shares - 100.0) < 0.1 and sum(e["count"] for e in report["by_attack_type"].values()) \
        == expected["total"]
