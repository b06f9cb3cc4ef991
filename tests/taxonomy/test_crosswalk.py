import csv
import doctest
import json
from importlib import resources
from pathlib import Path

import pytest

import cyberline.taxonomy.crosswalk as cw_module
from cyberline.model import vocabulary
from cyberline.taxonomy.crosswalk import (
    available, countries, crosswalk, is_multiple_countries, naics_to_target_class, UnknownValue,
)

ROOT = Path(__file__).resolve().parents[2]
TABLES = available()


def test_tables_present():
    assert ("attack_type", "technique") in TABLES
    for needed in [("attack_type", s) for s in ("veris_action", "jnsa_cause", "hhs_breach_type")] + [
        ("motivation", "attack_class"), ("target_class", "timeline"), ("target_class", "naics"),
        ("target_class", "hhs_entity"), ("target_class", "jsic"),
    ]:
        assert needed in TABLES


@pytest.mark.parametrize("field,scheme", TABLES)
def test_every_value_of_ours_maps_or_is_unmappable(field, scheme):
    table = crosswalk(field, scheme)
    missing = [v for v in vocabulary(field) if not table.maps_from_ours(v)]
    assert not missing, f"{table.name}: no from_ours row for {missing}"
    unknown = table.ours_values() - set(vocabulary(field))
    assert not unknown, f"{table.name}: values not in our vocabulary: {unknown}"


@pytest.mark.parametrize("field,scheme", TABLES)
def test_every_value_of_theirs_maps_or_is_unmappable(field, scheme):
    table = crosswalk(field, scheme)
    missing = [v for v in table.theirs_values() if not table.maps_to_ours(v)]
    assert not missing, f"{table.name}: no to_ours row for {missing}"


def test_every_veris_action_variety_is_listed():
    enum = json.loads(resources.files("cyberline.taxonomy").joinpath("veris", "verisc-enum.json").read_text())
    table = crosswalk("attack_type", "veris_action")
    for category, spec in enum["action"].items():
        for variety in (spec or {}).get("variety") or []:
            assert table.maps_to_ours(f"{category}.{variety}"), (category, variety)


def test_timeline_sample_values_all_resolve():
    rows = list(csv.DictReader(open(ROOT / "datasets/samples/hackmageddon_2020-01.csv", encoding="utf-8")))
    for row in rows:
        crosswalk("attack_type", "technique").to_ours(row["Attack"])  # raises when not listed
        crosswalk("motivation", "attack_class").to_ours(row["Attack Class"])
        crosswalk("target_class", "timeline").to_ours(row["Target Class"])


def test_examples():
    tech = crosswalk("attack_type", "technique")
    assert tech.to_ours("Account Hijacking") == "account_takeover"
    assert tech.to_ours("Targeted attack") == "unauthorized_access"
    assert tech.to_ours(">1") is None
    assert tech.from_ours("misdelivery") is None
    assert tech.compatible("ransomware", "Malware")
    with pytest.raises(UnknownValue):
        tech.to_ours("no such technique")
    assert tech.to_ours("no such technique", default="unknown") == "unknown"
    tl = crosswalk("target_class", "timeline")
    assert tl.to_ours("P Education") == "P" == tl.to_ours("Education")
    assert tl.to_ours("M Professional scientific and technical activities") == "M"
    assert crosswalk("motivation", "attack_class").to_ours("CE") == "cyber_espionage"
    assert crosswalk("motivation", "attack_class").from_ours("hacktivism") == "H"
    assert crosswalk("target_class", "hhs_entity").to_ours("Healthcare Provider") == "Q"
    assert crosswalk("target_class", "jsic").to_ours("S") == "O"
    veris = crosswalk("attack_type", "veris_action")
    assert veris.to_ours_many(["hacking.Unknown", "malware.Ransomware"]) == "ransomware"
    assert veris.to_ours_many(["hacking.Made up variety"]) == "unauthorized_access"
    assert veris.to_ours_many([]) is None
    assert naics_to_target_class("611310") == "P"
    assert naics_to_target_class("000") == "Z"
    assert naics_to_target_class("923140") == "O"
    assert naics_to_target_class(None) is None


def test_naics_longest_prefix():
    # subsectors whose NACE section differs from their NAICS sector's
    assert naics_to_target_class("541511") == "J"  # computer systems design = NACE 62
    assert naics_to_target_class("541611") == "M"  # management consulting stays M
    assert naics_to_target_class("221310") == "E"  # water supply
    assert naics_to_target_class("221122") == "D"  # electric power distribution
    assert naics_to_target_class("562111") == "E"  # waste collection
    assert naics_to_target_class("561320") == "N"
    assert naics_to_target_class("532111") == "N"  # rental and leasing
    assert naics_to_target_class("531210") == "L"
    assert naics_to_target_class("519120") == "R"  # libraries
    assert naics_to_target_class("519130") == "J"
    assert naics_to_target_class("54") == "M"


def test_countries():
    assert countries("UK") == ["GB"]
    assert countries("US\n CA\n MX") == ["US", "CA", "MX"]
    assert countries(">1") == [] and is_multiple_countries(">1")
    assert countries("null") == [] and countries("EU") == []


def test_doctests():
    assert doctest.testmod(cw_module).failed == 0
