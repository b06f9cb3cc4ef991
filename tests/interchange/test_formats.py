"""STIX, MISP and VERIS exports: valid for their own libraries/schemas, deterministic, and
imports of files from elsewhere take what maps and report what does not."""

from __future__ import annotations

import gzip
import io
import json
from importlib import resources
from itertools import islice

import jsonschema
import stix2
from pymisp import MISPEvent

from cyberline.interchange import export, import_file
from cyberline.interchange.veris import read_vcdb, vcdb_fields
from cyberline.interchange.imports import ImportItem
from tests.interchange.helpers import VCDB_JSONL_GZ, fresh_store, ours_of, seed

INCIDENTS = [
    {"organization": "株式会社テスト", "disclosure_date": "2022-08-01", "occurred_date": "2022-07-20",
     "attack_type": "ransomware", "motivation": "cybercrime", "target_class": "C",
     "countries": ["JP"], "affected_persons": 122, "data_categories": ["name", "health"],
     "link": "https://a.invalid/1", "title": "ランサムウェア被害のお知らせ",
     "amount_lost": {"amount": 8800000.0, "currency": "USD", "text": "880万ドル"}},
    {"organization": "Example University", "disclosure_date": "2022-08-03",
     "attack_type": "lost_or_stolen_device", "motivation": "accident", "target_class": "P",
     "countries": ["JP", "US"], "link": "https://b.invalid/2"},
    {"organization": "Nobody Ltd", "attack_type": "unknown"},  # no date at all
]


def _export(store, fmt, **kw) -> str:
    out = io.StringIO()
    export(store, fmt, out, **kw)
    return out.getvalue()


def test_stix_bundle_parses_and_is_byte_identical_twice(tmp_path):
    store = fresh_store(tmp_path / "a.sqlite")
    seed(store, INCIDENTS)
    text = _export(store, "stix")
    assert text == _export(store, "stix")
    bundle = stix2.parse(text, allow_custom=True)
    types = [o.type for o in bundle.objects]
    assert types.count("incident") == 3 and types.count("report") == 3
    identity = next(o for o in bundle.objects if o.type == "identity" and o.name == "株式会社テスト")
    assert identity.sectors == ["manufacturing"]
    assert {o.country for o in bundle.objects if o.type == "location"} == {"JP", "US"}
    rels = {(o.relationship_type) for o in bundle.objects if o.type == "relationship"}
    assert rels == {"targets", "located-at"}
    incident = next(o for o in bundle.objects if o.type == "incident"
                    and o.get("x_cyberline_organization") == "株式会社テスト")
    assert incident.created.isoformat().startswith("2022-08-01")


def test_foreign_stix_bundle_imports_what_maps(tmp_path):
    bundle = {"type": "bundle", "id": "bundle--1", "objects": [
        {"type": "incident", "spec_version": "2.1", "id": "incident--a", "name": "Breach at ACME",
         "created": "2023-03-04T10:00:00.000Z", "modified": "2023-03-04T10:00:00.000Z",
         "external_references": [{"source_name": "news", "url": "https://news.invalid/acme"}]},
        {"type": "identity", "spec_version": "2.1", "id": "identity--v", "name": "ACME Corp",
         "identity_class": "organization", "sectors": ["healthcare"]},
        {"type": "location", "spec_version": "2.1", "id": "location--de", "country": "de"},
        {"type": "relationship", "id": "relationship--1", "relationship_type": "targets",
         "source_ref": "incident--a", "target_ref": "identity--v"},
        {"type": "relationship", "id": "relationship--2", "relationship_type": "located-at",
         "source_ref": "identity--v", "target_ref": "location--de"},
        {"type": "indicator", "id": "indicator--x", "pattern": "[file:name = 'x']"},
    ]}
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    store = fresh_store(tmp_path / "a.sqlite")
    result = import_file(store, "stix", path)
    assert result.new == 1
    assert any("indicator" in note for note in result.notes)
    [ours] = ours_of(store)
    assert (ours["organization"], ours["countries"], ours["target_class"]) == ("ACME Corp", ["DE"], "Q")
    assert ours["disclosure_date"] == "2023-03-04" and ours["link"] == "https://news.invalid/acme"


def test_misp_events_load_in_pymisp_with_real_taxonomy_tags(tmp_path):
    store = fresh_store(tmp_path / "a.sqlite")
    seed(store, INCIDENTS)
    events = json.loads(_export(store, "misp"))
    assert len(events) == 3
    loaded = []
    for item in events:
        event = MISPEvent()
        event.load(item)
        loaded.append(event)
    first = next(e for e in loaded if e.info == "ランサムウェア被害のお知らせ")
    tags = {t.name for t in first.tags}
    assert {"tlp:clear", 'ecsirt:malicious-code="ransomware"',
            'veris:action:malware:variety="Ransomware"',
            'veris:actor:external:motive="Financial"'} <= tags
    victim = first.get_objects_by_name("victim")[0]
    values = {(a.object_relation, a.value) for a in victim.attributes}
    assert {("name", "株式会社テスト"), ("regions", "JP"), ("sectors", "manufacturing")} <= values
    assert [a.value for a in first.attributes if a.type == "link"] == ["https://a.invalid/1"]
    assert str(first.date) == "2022-08-01"
    # The veris tags name real VERIS enumeration values.
    enum = json.loads(resources.files("cyberline.taxonomy").joinpath(
        "veris", "verisc-enum.json").read_text())
    assert "Ransomware" in enum["action"]["malware"]["variety"]
    assert "Financial" in enum["actor"]["external"]["motive"]


def test_misp_per_period_and_foreign_event(tmp_path):
    store = fresh_store(tmp_path / "a.sqlite")
    seed(store, INCIDENTS)
    events = json.loads(_export(store, "misp", per_period="month"))
    assert [e["Event"]["info"].split(" (")[0] for e in events] == [
        "Cyber incidents disclosed 2022-08-01..2022-08-31", "Cyber incidents without a disclosure date"]
    path = tmp_path / "period.json"
    path.write_text(json.dumps(events), encoding="utf-8")
    other = fresh_store(tmp_path / "b.sqlite")
    assert import_file(other, "misp", path).new == 3
    assert ours_of(other) == ours_of(store)

    foreign = {"Event": {"info": "Phishing wave at Foo", "date": "2021-05-06",
                         "Tag": [{"name": 'ecsirt:fraud="phishing"'}, {"name": "custom:thing"}],
                         "Attribute": [{"type": "link", "value": "https://foo.invalid/",
                                        "category": "External analysis"},
                                       {"type": "ip-dst", "value": "192.0.2.1",
                                        "category": "Network activity"}],
                         "Object": [{"name": "victim", "Attribute": [
                             {"object_relation": "name", "value": "Foo GmbH", "type": "target-org"},
                             {"object_relation": "regions", "value": "DE",
                              "type": "target-location"}]}]}}
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(foreign), encoding="utf-8")
    third = fresh_store(tmp_path / "c.sqlite")
    result = import_file(third, "misp", path)
    assert result.new == 1
    assert any("custom:thing" in n for n in result.notes) and any("ip-dst" in n for n in result.notes)
    [ours] = ours_of(third)
    assert (ours["organization"], ours["attack_type"], ours["countries"],
            ours["disclosure_date"]) == ("Foo GmbH", "phishing", ["DE"], "2021-05-06")


def _veris_validator():
    schema = json.loads(resources.files("cyberline.taxonomy").joinpath(
        "veris", "verisc-merged.json").read_text())
    return jsonschema.Draft4Validator(schema)


def test_veris_export_validates_against_the_schema(tmp_path, caplog):
    store = fresh_store(tmp_path / "a.sqlite")
    seed(store, INCIDENTS)
    lines = _export(store, "veris").splitlines()
    assert len(lines) == 2 and "no date" in caplog.text  # VERIS needs a year
    validator = _veris_validator()
    for line in lines:
        incident = json.loads(line)
        errors = [e.message for e in validator.iter_errors(incident)]
        assert not errors, errors
    first = json.loads(lines[0])
    assert first["action"] == {"malware": {"variety": ["Ransomware"], "vector": ["Unknown"]}}
    assert first["victim"]["industry"] == "31" and first["victim"]["country"] == ["JP"]
    assert first["attribute"]["confidentiality"]["data_total"] == 122
    assert {d["variety"] for d in first["attribute"]["confidentiality"]["data"]} == {"Personal",
                                                                                   "Medical"}
    assert first["impact"]["overall_amount"] == 8800000.0
    assert first["timeline"]["incident"] == {"year": 2022, "month": 7, "day": 20}
    second = json.loads(lines[1])
    assert "internal" in second["actor"] and second["action"] == {
        "physical": {"variety": ["Theft"], "vector": ["Unknown"]}}
    folder = tmp_path / "veris"
    folder.mkdir()
    export(store, "veris", None, folder=folder)
    assert len(list(folder.glob("*.json"))) == 2
    assert sum(isinstance(i, ImportItem) for i in read_vcdb(folder)) == 2


def test_vcdb_jsonl_and_full_veris_give_the_same_fields(tmp_path):
    with gzip.open(VCDB_JSONL_GZ, "rt", encoding="utf-8") as fh:
        lines = list(islice(fh, 40))
    path = tmp_path / "incidents.jsonl"
    path.write_text("".join(lines) + "{broken\n", encoding="utf-8")
    items = list(read_vcdb(path))
    assert sum(isinstance(i, ImportItem) for i in items) == 40
    assert items[-1].reason.startswith("not JSON")
    first = next(i for i in items if i.original["id"] == "0001AA7F-C601-424A-B2B8-BE6C9F5164E7")
    assert first.report.organization == "United States Department of Veterans Affairs"
    assert first.report.attack_type == "insider" and first.report.target_class == "O"
    assert first.report.country == ["US"]
    assert [(d.date, d.role) for d in first.report.incident_dates] == [("2010-04-09", "occurred")]
    full = {"incident_id": "X1", "schema_version": "1.3.4", "summary": "Laptop stolen",
            "action": {"physical": {"variety": ["Theft"], "vector": ["Victim work area"]}},
            "actor": {"internal": {"variety": ["Unknown"], "motive": ["NA"]}},
            "victim": {"victim_id": "Clinic", "country": ["US"], "industry": "621111"},
            "timeline": {"incident": {"year": 2014, "month": 1, "day": 2}},
            "attribute": {"confidentiality": {"data_disclosure": "Potentially", "data_total": 5,
                                              "data": [{"variety": "Medical"}]}},
            "reference": "https://clinic.invalid/notice"}
    ours = vcdb_fields(full)
    assert (ours["attack_type"], ours["motivation"], ours["target_class"], ours["affected_persons"],
            ours["data_categories"], ours["link"]) == (
        "lost_or_stolen_device", "accident", "Q", 5, ["health"], "https://clinic.invalid/notice")
    store = fresh_store(tmp_path / "a.sqlite")
    assert import_file(store, "vcdb", path).new == 40
    assert import_file(store, "vcdb", path).unchanged == 40
