"""MISP event JSON: export (one event per incident, or one per period) and import.

Built with pymisp. An event carries: the date, a TLP tag (the sources are public), MISP taxonomy
tags that fit (``ecsirt:`` incident classification, ``veris:action:...:variety`` and
``veris:actor:external:motive``, both from the crosswalks), a ``victim`` object (name, ``regions``
for countries since the object has no country, ``sectors``), the sources as ``link`` attributes,
and one ``text`` attribute holding our fields as JSON (comment ``cyberline:incident``) so that
importing our own events loses nothing. Ids are uuid5 of our ids, so exports are reproducible.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

from pymisp import MISPEvent, MISPObject

from cyberline.analyze.periods import Period, fortnight_of, month_of, quarter_of
from cyberline.interchange.imports import ImportItem, Skipped, read_json_file
from cyberline.interchange.ours import document_for, report_from_ours
from cyberline.interchange.records import OUR_FIELDS, IncidentRecord
from cyberline.interchange.stix import NAMESPACE
from cyberline.taxonomy.crosswalk import crosswalk

log = logging.getLogger(__name__)

RECORD_COMMENT = "cyberline:incident"
TLP = "tlp:clear"
PERIODS = {"fortnight": fortnight_of, "month": month_of, "quarter": quarter_of}


def _uuid(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"misp:{key}"))


def tags_for(record: IncidentRecord) -> list[str]:
    """MISP taxonomy tags for an incident (only where a crosswalk row maps our value)."""
    tags = [TLP]
    if ecsirt := crosswalk("attack_type", "misp_ecsirt").from_ours(record.attack_type, default=None):
        tags.append(ecsirt)
    action = crosswalk("attack_type", "veris_action").from_ours(record.attack_type, default=None)
    if action and "." in action:
        category, variety = action.split(".", 1)
        tags.append(f'veris:action:{category}:variety="{variety}"')
    if record.motivation not in ("accident", "unknown"):
        motive = crosswalk("motivation", "veris_motive").from_ours(record.motivation, default=None)
        if motive:
            tags.append(f'veris:actor:external:motive="{motive}"')
    return tags


def _add_incident(event: MISPEvent, record: IncidentRecord) -> None:
    key = f"incident:{record.id}"
    victim = MISPObject("victim", standalone=False)
    victim.uuid = _uuid(f"{key}:victim")
    if record.organization:
        victim.add_attribute("name", value=record.organization)
    for country in record.countries:
        victim.add_attribute("regions", value=country)
    if sector := crosswalk("target_class", "misp_sector").from_ours(record.target_class,
                                                                  default=None):
        victim.add_attribute("sectors", value=sector)
    if record.description_en:
        victim.add_attribute("description", value=record.description_en)
    for n, attribute in enumerate(victim.attributes):
        attribute.uuid = _uuid(f"{key}:victim:{n}")
    if victim.attributes:
        event.add_object(victim)
    urls = dict.fromkeys([record.link] + [r.url for r in record.reports])
    for url in (u for u in urls if u):
        attribute = event.add_attribute("link", url, category="External analysis",
                                        comment="source", to_ids=False)
        attribute.uuid = _uuid(f"{key}:link:{url}")
    payload = {"id": record.id, **record.ours()}
    attribute = event.add_attribute("text", json.dumps(payload, ensure_ascii=False, sort_keys=True),
                                    category="Other", comment=RECORD_COMMENT, to_ids=False,
                                    disable_correlation=True)
    attribute.uuid = _uuid(f"{key}:record")


def incident_event(record: IncidentRecord) -> MISPEvent:
    event = MISPEvent()
    event.uuid = _uuid(f"incident:{record.id}")
    event.info = record.title or record.description_en or f"Incident {record.id}"
    if record.first_day:
        event.date = record.first_day
    event.threat_level_id = 4  # undefined
    event.analysis = 2  # completed: the source disclosed it
    for tag in tags_for(record):
        event.add_tag(tag)
    _add_incident(event, record)
    return event


def period_event(period: Period, records: list[IncidentRecord]) -> MISPEvent:
    event = MISPEvent()
    event.uuid = _uuid(f"period:{period.label()}")
    event.info = f"Cyber incidents disclosed {period.label()} ({len(records)})"
    event.date = period.start
    event.threat_level_id = 4
    event.analysis = 2
    for tag in dict.fromkeys(t for r in records for t in tags_for(r)):
        event.add_tag(tag)
    for record in records:
        _add_incident(event, record)
    return event


def _events(records: Iterable[IncidentRecord], per_period: str | None) -> Iterator[MISPEvent]:
    if per_period is None:
        yield from (incident_event(r) for r in records)
        return
    period_of = PERIODS[per_period]
    current: Period | None = None
    batch: list[IncidentRecord] = []
    for record in records:  # ordered by disclosure date: a period's incidents are consecutive
        period = period_of(record.first_day) if record.first_day else None
        if batch and period != current:
            yield period_event(current, batch) if current else _undated(batch)
            batch = []
        current = period
        batch.append(record)
    if batch:
        yield period_event(current, batch) if current else _undated(batch)


def _undated(records: list[IncidentRecord]) -> MISPEvent:
    event = MISPEvent()
    event.uuid = _uuid("period:undated")
    event.info = f"Cyber incidents without a disclosure date ({len(records)})"
    event.add_tag(TLP)
    for record in records:
        _add_incident(event, record)
    return event


def write(records: Iterable[IncidentRecord], out: TextIO, per_period: str | None = None) -> int:
    """A JSON list of {"Event": ...}, written event by event; returns the number of events."""
    if per_period is not None and per_period not in PERIODS:
        raise ValueError(f"--per-period {per_period!r}: one of {', '.join(PERIODS)}")
    out.write("[")
    count = 0
    for event in _events(records, per_period):
        out.write(("\n" if count == 0 else ",\n") + json.dumps(
            {"Event": json.loads(event.to_json())}, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count


# Import ------------------------------------------------------------------------------------

def _event_dicts(data: Any) -> list[dict]:
    """A single event, a list of events, or a MISP API response ({"response": [...]})."""
    if isinstance(data, dict) and "response" in data:
        data = data["response"]
    items = data if isinstance(data, list) else [data]
    return [item for item in items if isinstance(item, dict)]


def _foreign_fields(event: MISPEvent) -> tuple[dict[str, Any], list[str]]:
    """What an event from elsewhere says, in our fields, and what did not map."""
    unmapped: list[str] = []
    victims = [o for o in event.objects if o.name == "victim"]
    values = {rel: [a.value for v in victims for a in v.attributes if a.object_relation == rel]
              for rel in ("name", "regions", "sectors")}
    org = (values["name"] or [a.value for a in event.attributes if a.type == "target-org"] or [None])[0]
    regions = values["regions"] + [a.value for a in event.attributes if a.type == "target-location"]
    countries = list(dict.fromkeys(str(r).upper() for r in regions
                                   if len(str(r)) == 2 and str(r).isalpha()))
    tags = [t.name for t in event.tags]
    ecsirt = crosswalk("attack_type", "misp_ecsirt").to_ours_many(tags)
    veris = crosswalk("attack_type", "veris_action").to_ours_many(
        [".".join(t.split(":")[2:3]) + "." + t.split('"')[1] for t in tags
         if t.startswith("veris:action:") and t.count('"') == 2])
    motives = [t.split('"')[1] for t in tags if t.startswith("veris:actor:") and ":motive=" in t
               and t.count('"') == 2]
    motivation = crosswalk("motivation", "veris_motive").to_ours_many(motives, default="unknown")
    used = {t for t in tags if t.startswith(("ecsirt:", "veris:action:", "veris:actor:", "tlp:"))}
    unmapped += [f"tag {t}" for t in tags if t not in used]
    kinds = Counter(a.type for a in event.attributes if a.type not in ("link", "target-org",
                                                                      "target-location"))
    unmapped += [f"{n} {kind} attribute(s)" for kind, n in sorted(kinds.items())]
    unmapped += [f"object {o.name}" for o in event.objects if o.name != "victim"]
    links = [a.value for a in event.attributes if a.type == "link"]
    target = crosswalk("target_class", "misp_sector").to_ours_many(values["sectors"], default="Z")
    return ({"organization": org, "countries": countries,
             "disclosure_date": event.date.isoformat() if getattr(event, "date", None) else None,
             "attack_type": ecsirt or veris or "unknown", "motivation": motivation,
             "target_class": target or "Z", "title": event.info,
             "link": links[0] if links else None}, unmapped)


def read_events(path: str | Path, notes: list[str] | None = None) -> Iterator[ImportItem | Skipped]:
    """Items from a MISP JSON file: one per cyberline record attribute, else one per event."""
    path = Path(path)
    data = read_json_file(path)
    if isinstance(data, Skipped):
        yield data
        return
    for number, item in enumerate(_event_dicts(data), start=1):
        where = f"{path.name} event {number}"
        event = MISPEvent()
        try:
            event.load(item)
        except Exception as exc:  # noqa: BLE001 - pymisp raises many kinds on malformed input
            yield Skipped(where, f"not a MISP event: {exc}")
            continue
        records = [a for a in event.attributes if a.type == "text" and a.comment == RECORD_COMMENT]
        if not records:
            ours, unmapped = _foreign_fields(event)
            for message in unmapped:
                log.info("%s: %s not imported", where, message)
                if notes is not None:
                    notes.append(f"{where}: {message} not imported")
            raw = json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8")
            yield _item(ours, raw, str(event.uuid), where, event.info)
            continue
        for attribute in records:
            try:
                payload = json.loads(attribute.value)
            except json.JSONDecodeError as exc:
                yield Skipped(f"{where} attribute {attribute.uuid}", f"record is not JSON: {exc}")
                continue
            ours = {name: payload.get(name) for name in OUR_FIELDS}
            raw = (json.dumps(item, ensure_ascii=False, sort_keys=True) if len(records) == 1
                   else attribute.value).encode("utf-8")
            yield _item(ours, raw, str(attribute.uuid), f"{where} attribute {attribute.uuid}",
                        event.info)


def _item(ours: dict, raw: bytes, key: str, where: str, info: str | None) -> ImportItem | Skipped:
    try:
        report = report_from_ours(ours, key)
    except (TypeError, ValueError) as exc:
        return Skipped(where, f"fields that do not fit cyberline's: {exc}")
    doc = document_for(raw, f"misp:{key}", url=ours.get("link"), title=ours.get("title"),
                       text=info, language=ours.get("language"))
    return ImportItem(doc, report, original=json.loads(raw))
