"""STIX 2.1 bundles: export (streamed) and import.

Per incident: an ``incident``, the victim as an ``identity`` (with ``sectors``) ``located-at`` a
``location`` (country), the source documents as ``report`` objects (with external references) and
``relationship``s between them. Ids are uuid5 of our ids/content and timestamps come from the
incident's own dates, so the same data exports byte-identically. Our fields that STIX lacks travel
as ``x_cyberline_*`` properties, so importing our own bundle loses nothing.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import Counter
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

from cyberline.interchange.imports import ImportItem, Skipped, read_json_file
from cyberline.interchange.ours import document_for, report_from_ours
from cyberline.interchange.records import OUR_FIELDS, IncidentRecord
from cyberline.link.orgkey import org_key
from cyberline.taxonomy.crosswalk import crosswalk

log = logging.getLogger(__name__)

# Fixed namespace: ids depend only on our data, never on the run.
NAMESPACE = uuid.UUID("6f0b3c52-4d0e-5a53-9c55-6379626572e1")
EPOCH = "1970-01-01T00:00:00.000Z"
PREFIX = "x_cyberline_"


def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def timestamp(day: date | datetime | None) -> str:
    if day is None:
        return EPOCH
    if not isinstance(day, datetime):
        day = datetime.combine(day, time())
    return day.strftime("%Y-%m-%dT%H:%M:%S.") + f"{day.microsecond // 1000:03d}Z"


def _sector(target_class: str) -> str | None:
    return crosswalk("target_class", "stix_sector").from_ours(target_class, default=None)


class _Seen:
    """Ids already written (shared identities and locations), as 64-bit ints to bound memory."""

    def __init__(self) -> None:
        self._ids: set[int] = set()

    def first(self, object_id: str) -> bool:
        key = uuid.UUID(object_id.split("--", 1)[1]).int >> 64
        if key in self._ids:
            return False
        self._ids.add(key)
        return True


def incident_objects(record: IncidentRecord, seen: _Seen) -> Iterator[dict[str, Any]]:
    """The STIX objects of one incident (shared objects only the first time they occur)."""
    ts = timestamp(record.first_day)
    incident_id = stix_id("incident", str(record.id))
    incident: dict[str, Any] = {
        "type": "incident", "spec_version": "2.1", "id": incident_id, "created": ts,
        "modified": ts,
        "name": record.title or f"{record.organization or 'Unknown victim'}: {record.attack_type}",
    }
    if record.description_en:
        incident["description"] = record.description_en
    refs = [{"source_name": "cyberline", "external_id": str(record.id)}]
    if record.link:
        refs.append({"source_name": "source", "url": record.link})
    incident["external_references"] = refs
    # STIX forbids null and empty-list property values: absent means "none" on import.
    extras = {**record.ours(), "description_ja": record.description_ja}
    for name, value in extras.items():
        if value not in (None, []):
            incident[PREFIX + name] = value
    yield incident

    identity_id = None
    if record.organization:
        identity_id = stix_id("identity", org_key(record.organization) or record.organization)
        if seen.first(identity_id):
            identity: dict[str, Any] = {
                "type": "identity", "spec_version": "2.1", "id": identity_id, "created": ts,
                "modified": ts, "name": record.organization,
                "identity_class": "individual" if record.target_class == "X" else "organization",
            }
            if sector := _sector(record.target_class):
                identity["sectors"] = [sector]
            yield identity
        yield _relationship(incident_id, "targets", identity_id, ts)
        for country in record.countries:
            location_id = stix_id("location", country)
            if seen.first(location_id):
                yield {"type": "location", "spec_version": "2.1", "id": location_id,
                       "created": EPOCH, "modified": EPOCH, "country": country}
            rel = _relationship(identity_id, "located-at", location_id, ts)
            if seen.first(rel["id"]):
                yield rel
    for report in record.reports:
        report_id = stix_id("report", report.content_hash)
        if not seen.first(report_id):
            continue
        published = report.published_at or report.data.get("disclosure_date") or record.first_day
        if isinstance(published, str):
            published = date.fromisoformat(published[:10])
        obj: dict[str, Any] = {
            "type": "report", "spec_version": "2.1", "id": report_id,
            "created": timestamp(published), "modified": timestamp(published),
            "name": report.title or report.url or f"report {report.id}",
            "published": timestamp(published),
            "report_types": ["threat-report"],
            "object_refs": [incident_id] + ([identity_id] if identity_id else []),
            PREFIX + "provenance": report.provenance,
            PREFIX + "kind": report.kind,
        }
        if report.url:
            obj["external_references"] = [{"source_name": "source", "url": report.url}]
        yield obj


def _relationship(source: str, kind: str, target: str, ts: str) -> dict[str, Any]:
    return {"type": "relationship", "spec_version": "2.1",
            "id": stix_id("relationship", f"{source}|{kind}|{target}"), "created": ts,
            "modified": ts, "relationship_type": kind, "source_ref": source, "target_ref": target}


def write_bundle(records: Iterable[IncidentRecord], out: TextIO, bundle_key: str) -> int:
    """Write one bundle, object by object; returns the number of incidents."""
    seen = _Seen()
    out.write('{"type": "bundle", "id": "%s", "objects": [' % stix_id("bundle", bundle_key))
    count, first = 0, True
    for record in records:
        for obj in incident_objects(record, seen):
            out.write(("\n" if first else ",\n") + json.dumps(obj, ensure_ascii=False))
            first = False
        count += 1
    out.write("\n]}\n")
    return count


# Import ------------------------------------------------------------------------------------

def _canonical(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _foreign_fields(incident: dict, by_id: dict[str, dict], rels: list[dict]) -> dict[str, Any]:
    """What a bundle from elsewhere says about an incident, in our fields."""
    linked = [r["target_ref"] for r in rels if r.get("source_ref") == incident["id"]]
    linked += [r["source_ref"] for r in rels if r.get("target_ref") == incident["id"]]
    reports = [o for o in by_id.values() if o.get("type") == "report"
               and incident["id"] in (o.get("object_refs") or [])]
    for report in reports:
        linked += report.get("object_refs") or []
    identities = [by_id[i] for i in linked if by_id.get(i, {}).get("type") == "identity"]
    victim = identities[0] if identities else None
    locations = [by_id[i] for i in linked if by_id.get(i, {}).get("type") == "location"]
    if victim is not None:
        locations += [by_id[r["target_ref"]] for r in rels if r.get("source_ref") == victim["id"]
                      and by_id.get(r.get("target_ref"), {}).get("type") == "location"]
    countries = list(dict.fromkeys(str(loc["country"]).upper() for loc in locations
                                   if loc.get("country")))
    sectors = (victim or {}).get("sectors") or []
    target = crosswalk("target_class", "stix_sector").to_ours_many(sectors, default="Z") or "Z"
    urls = [ref["url"] for obj in [incident, *reports] for ref in obj.get("external_references") or []
            if ref.get("url")]
    day = (incident.get("first_seen") or incident.get("created") or "")[:10] or None
    return {"organization": (victim or {}).get("name"), "disclosure_date": day,
            "countries": countries, "target_class": target, "title": incident.get("name"),
            "link": urls[0] if urls else None}


def read_bundle(path: str | Path, notes: list[str] | None = None) -> Iterator[ImportItem | Skipped]:
    """Items from a STIX 2.x bundle file: one per ``incident`` object."""
    path = Path(path)
    bundle = read_json_file(path)
    if isinstance(bundle, Skipped):
        yield bundle
        return
    objects = bundle.get("objects") if isinstance(bundle, dict) else None
    if not isinstance(objects, list):
        yield Skipped(str(path), "not a STIX bundle (no 'objects' list)")
        return
    by_id = {o["id"]: o for o in objects if isinstance(o, dict) and isinstance(o.get("id"), str)}
    rels = [o for o in by_id.values() if o.get("type") == "relationship"]
    unused = Counter(o.get("type") for o in by_id.values()
                     if o.get("type") not in ("incident", "identity", "location", "relationship",
                                              "report"))
    for kind, n in sorted(unused.items(), key=lambda kv: str(kv[0])):
        message = f"{path.name}: {n} {kind} object(s) have no cyberline counterpart (not imported)"
        log.info(message)
        if notes is not None:
            notes.append(message)
    for number, obj in enumerate(objects):
        if not isinstance(obj, dict) or obj.get("type") != "incident":
            continue
        where = f"{path.name} object {obj.get('id', number)}"
        if not isinstance(obj.get("id"), str):
            yield Skipped(where, "incident without an id")
            continue
        ours = {name: obj.get(PREFIX + name) for name in OUR_FIELDS}
        if not any(key.startswith(PREFIX) for key in obj):
            ours = _foreign_fields(obj, by_id, rels)
        try:
            report = report_from_ours(ours, obj["id"])
        except (TypeError, ValueError) as exc:
            yield Skipped(where, f"fields that do not fit cyberline's: {exc}")
            continue
        doc = document_for(_canonical(obj), obj["id"], url=ours.get("link"), title=ours.get("title"),
                           text=obj.get("description") or obj.get("name"),
                           language=ours.get("language"))
        yield ImportItem(doc, report, original=obj)
