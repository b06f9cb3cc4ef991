"""VERIS 1.4: export (one JSON per incident) and import of VCDB incidents.

The import reads full VERIS JSON files (a file, a folder of them) and the flattened JSON Lines of
the VCDB training copy (``incidents.jsonl[.gz]``: action_varieties, victim_name, year, ...): both
become the same fields of ours through the crosswalks, with the original object kept.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import uuid
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

from cyberline.interchange.imports import ImportItem, Skipped
from cyberline.interchange.ours import report_from_ours
from cyberline.interchange.records import IncidentRecord
from cyberline.interchange.stix import NAMESPACE
from cyberline.model import SourceDocument
from cyberline.taxonomy.crosswalk import countries as timeline_countries
from cyberline.taxonomy.crosswalk import crosswalk, naics_to_target_class

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1.4.0"
# Fields each action category requires besides variety (VERIS schema "required").
_ACTION_EXTRAS = {"social": {"vector": ["Unknown"], "target": ["Unknown"]},
                  "environmental": {}}
_INTERNAL_ACTIONS = {"error", "misuse"}


# Export ------------------------------------------------------------------------------------

def _action(attack_type: str) -> tuple[dict[str, Any], str | None]:
    value = crosswalk("attack_type", "veris_action").from_ours(attack_type, default=None)
    if not value or "." not in value:
        return {"unknown": {}}, None
    category, variety = value.split(".", 1)
    body = {"variety": [variety], **_ACTION_EXTRAS.get(category, {"vector": ["Unknown"]})}
    return {category: body}, category


def _actor(motivation: str, category: str | None) -> dict[str, Any]:
    motive = crosswalk("motivation", "veris_motive").from_ours(motivation, default=None)
    if motivation == "unknown" and category is None:
        return {"unknown": {}}
    side = "internal" if category in _INTERNAL_ACTIONS or motivation == "accident" else "external"
    return {side: {"variety": ["Unknown"], "motive": [motive or "Unknown"]}}


def _data(record: IncidentRecord) -> dict[str, Any]:
    table = crosswalk("data_categories", "veris_data")
    varieties = dict.fromkeys(v for c in record.data_categories
                              if (v := table.from_ours(c, default=None)))
    confidentiality: dict[str, Any] = {
        "data_disclosure": "Potentially" if varieties or record.affected_persons else "Unknown"}
    if varieties:
        confidentiality["data"] = [{"variety": v} for v in varieties]
    if record.affected_persons is not None:
        confidentiality["data_total"] = record.affected_persons
    return {"confidentiality": confidentiality}


def incident_json(record: IncidentRecord) -> dict[str, Any] | None:
    """The VERIS incident of one record, or None when it has no date at all (VERIS needs a year)."""
    day = record.occurred_date or record.disclosure_date or record.discovered_date
    if day is None:
        return None
    action, category = _action(record.attack_type)
    industry = crosswalk("target_class", "naics").from_ours(record.target_class, default=None)
    victim: dict[str, Any] = {
        "country": list(record.countries) or ["Unknown"],
        "employee_count": "Unknown",
        "industry": industry or "000",
        "government": ["Unknown" if (industry or "").startswith("92") else "NA"],
    }
    if record.organization:
        victim["victim_id"] = record.organization
    references = list(dict.fromkeys(u for u in [record.link, *(r.url for r in record.reports)] if u))
    incident: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "incident_id": str(uuid.uuid5(NAMESPACE, f"veris:incident:{record.id}")).upper(),
        "source_id": "cyberline",
        "security_incident": "Confirmed",
        "summary": record.description_en or record.title or record.organization or "",
        "timeline": {"incident": {"year": day.year, "month": day.month, "day": day.day}},
        "victim": victim,
        "action": action,
        "actor": _actor(record.motivation, category),
        "asset": {"assets": [{"variety": "Unknown"}], "cloud": ["Unknown"]},
        "attribute": _data(record),
        "discovery_method": {"unknown": True},
        "impact": {"overall_rating": "Unknown"},
        "plus": {"master_id": str(uuid.uuid5(NAMESPACE, f"veris:master:{record.id}")),
                 "cyberline": {"id": record.id, **record.ours()}},
    }
    if references:
        incident["reference"] = "; ".join(references)
    if record.amount_lost and record.amount_lost.get("currency"):
        incident["impact"].update(iso_currency_code=record.amount_lost["currency"],
                                  overall_amount=record.amount_lost["amount"])
    if record.disclosure_date:
        d = record.disclosure_date
        incident["plus"]["timeline"] = {"notification": {"year": d.year, "month": d.month,
                                                         "day": d.day}}
    return incident


def write(records: Iterable[IncidentRecord], out: TextIO | None = None,
          folder: Path | None = None) -> int:
    """JSON Lines to ``out``, or one ``<incident_id>.json`` per incident into ``folder``."""
    count = 0
    for record in records:
        incident = incident_json(record)
        if incident is None:
            log.warning("incident %s has no date: VERIS needs at least a year; not exported",
                        record.id)
            continue
        if folder is not None:
            (folder / f"{incident['incident_id']}.json").write_text(
                json.dumps(incident, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            out.write(json.dumps(incident, ensure_ascii=False) + "\n")
        count += 1
    return count


# Import ------------------------------------------------------------------------------------

def _full_date(parts: dict[str, Any] | None) -> str | None:
    parts = parts or {}
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])).isoformat()
    except (KeyError, TypeError, ValueError):
        return None


def _flatten(obj: dict[str, Any]) -> dict[str, Any]:
    """Full VERIS JSON -> the flat shape of the VCDB JSONL (one reader for both)."""
    if "action_varieties" in obj or "victim_name" in obj:
        return obj
    action = obj.get("action") or {}
    actor = obj.get("actor") or {}
    victim = obj.get("victim") or {}
    if isinstance(victim, list):  # VERIS 1.2 wrote a list of victims
        victim = victim[0] if victim else {}
    timeline = obj.get("timeline") or {}
    confidentiality = (obj.get("attribute") or {}).get("confidentiality") or {}
    notification = ((obj.get("plus") or {}).get("timeline") or {}).get("notification")
    reference = obj.get("reference") or ""
    return {
        "id": obj.get("incident_id"),
        "summary": obj.get("summary"),
        "action_varieties": [f"{c}.{v}" for c, body in action.items()
                             for v in ((body or {}).get("variety") or [])] or
                            [c for c in action if c.lower() == "unknown"],
        "motives": [m for body in actor.values() for m in ((body or {}).get("motive") or [])],
        "victim_name": victim.get("victim_id"),
        "victim_country": victim.get("country") or [],
        "victim_industry": victim.get("industry"),
        "data_total": confidentiality.get("data_total"),
        "data_varieties": [d.get("variety") for d in confidentiality.get("data") or []
                           if isinstance(d, dict)],
        "occurred": _full_date(timeline.get("incident")),
        "discovered": None,
        "notified": _full_date(notification),
        "references": [r.strip() for r in re.split(r"[;\s]+", reference) if r.strip()],
        "impact": obj.get("impact") or {},
        "cyberline": (obj.get("plus") or {}).get("cyberline"),
    }


def vcdb_fields(obj: dict[str, Any]) -> dict[str, Any]:
    """A VERIS incident (full or flattened VCDB) in our fields."""
    flat = _flatten(obj)
    if isinstance(flat.get("cyberline"), dict):  # our own export: lossless
        return {k: v for k, v in flat["cyberline"].items() if k != "id"}
    occurred = flat.get("occurred") or _full_date(
        {"year": flat.get("year"), "month": flat.get("month"), "day": flat.get("day")})
    countries = [c for c in timeline_countries(" ".join(flat.get("victim_country") or []))]
    data_table = crosswalk("data_categories", "veris_data")
    categories = list(dict.fromkeys(
        c for v in flat.get("data_varieties") or [] if (c := data_table.to_ours(v, default=None))))
    impact = flat.get("impact") or {}
    amount = None
    if impact.get("overall_amount") is not None and impact.get("iso_currency_code"):
        amount = {"amount": float(impact["overall_amount"]),
                  "currency": impact["iso_currency_code"],
                  "text": f"{impact['overall_amount']} {impact['iso_currency_code']}"}
    total = flat.get("data_total")
    refs = flat.get("references") or []
    return {
        "organization": flat.get("victim_name") or None,
        "disclosure_date": flat.get("notified"),
        "occurred_date": occurred,
        "attack_type": crosswalk("attack_type", "veris_action").to_ours_many(
            flat.get("action_varieties") or [], default="unknown"),
        "motivation": crosswalk("motivation", "veris_motive").to_ours_many(
            flat.get("motives") or [], default="unknown"),
        "target_class": naics_to_target_class(flat.get("victim_industry")) or "Z",
        "countries": countries,
        "affected_persons": total if isinstance(total, int) and not isinstance(total, bool) else None,
        "data_categories": categories,
        "amount_lost": amount,
        "language": "en",
        "link": refs[0] if refs else None,
        "title": None,
    }


def _objects(path: Path) -> Iterator[tuple[str, dict[str, Any] | None, bytes, str]]:
    """(where, object or None, verbatim bytes, error) for a file, folder or (gzipped) JSONL."""
    if path.is_dir():
        for child in sorted(path.rglob("*.json")):
            yield from _objects(child)
        for child in sorted(path.rglob("*.jsonl*")):
            yield from _objects(child)
        return
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield str(path), None, b"", f"cannot read: {exc}"
        return
    if ".jsonl" not in path.name:
        try:
            yield path.name, json.loads(raw), raw, ""
            return
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            if b"\n{" not in raw:  # not JSON Lines either
                yield path.name, None, raw, f"not JSON: {exc}"
                return
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            yield where, json.loads(line), line, ""
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield where, None, line, f"not JSON: {exc}"


def read_vcdb(path: str | Path) -> Iterator[ImportItem | Skipped]:
    for where, obj, raw, error in _objects(Path(path)):
        if obj is None or not isinstance(obj, dict):
            yield Skipped(where, error or "not a JSON object")
            continue
        try:
            ours = vcdb_fields(obj)
            report = report_from_ours(ours, str(obj.get("incident_id") or obj.get("id") or where))
        except (TypeError, ValueError, AttributeError) as exc:
            yield Skipped(where, f"not a VERIS incident: {exc}")
            continue
        key = str(obj.get("incident_id") or obj.get("id") or where)
        summary = obj.get("summary") if isinstance(obj.get("summary"), str) else ""
        doc = SourceDocument(url=ours.get("link") or "", raw=raw, text=summary,
                             title=ours.get("title"), language=ours.get("language"),
                             external_id=f"vcdb:{key}",
                             content_type="application/json")
        yield ImportItem(doc, report, original=obj)
