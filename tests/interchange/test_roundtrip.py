"""What our exports write comes back with no loss of our fields (STIX, MISP, VERIS plus, CSV)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from cyberline.interchange import export, import_file
from tests.interchange.helpers import fresh_store, incident_lists, ours_of, seed

SUFFIX = {"stix": ".json", "misp": ".json", "vcdb": ".jsonl"}
EXPORT = {"stix": "stix", "misp": "misp", "vcdb": "veris"}


def _round_trip(kind: str, incidents: list[dict]) -> tuple[list[dict], list[dict], str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        first = fresh_store(Path(tmp) / "a.sqlite")
        seed(first, incidents)
        out = io.StringIO()
        export(first, EXPORT[kind], out)
        path = Path(tmp) / f"export{SUFFIX[kind]}"
        path.write_text(out.getvalue(), encoding="utf-8")
        second = fresh_store(Path(tmp) / "b.sqlite")
        result = import_file(second, kind, path)
        assert not result.skipped, result.skipped
        again = io.StringIO()
        export(second, EXPORT[kind], again)
        before, after = ours_of(first), ours_of(second)
        first.close()
        second.close()
        return before, after, out.getvalue(), again.getvalue()


@pytest.mark.parametrize("kind", ["stix", "misp", "vcdb"])
def test_round_trip_keeps_every_field_of_ours(kind):
    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(incident_lists())
    def check(incidents):
        before, after, _, _ = _round_trip(kind, incidents)
        assert after == before

    check()


def test_misp_round_trip_is_byte_identical_when_ids_match():
    incidents = [{"organization": "株式会社テスト", "disclosure_date": "2022-08-01",
                  "attack_type": "ransomware", "motivation": "cybercrime", "target_class": "C",
                  "countries": ["JP"], "affected_persons": 122,
                  "data_categories": ["name", "credit_card_number"], "link": "https://a.invalid/1",
                  "amount_lost": {"amount": 8800000.0, "currency": "USD", "text": "880万ドル"}}]
    before, after, first, second = _round_trip("misp", incidents)
    assert after == before
    assert first == second  # same incident id 1 in both databases: the very same bytes
