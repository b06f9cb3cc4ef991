"""JSON Lines export: one full record per line (the incident, its field provenance, and its
reports with their data, provenance and source document)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Iterable, TextIO

from cyberline.interchange.records import IncidentRecord, ReportRecord


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _report(report: ReportRecord) -> dict[str, Any]:
    return {
        "id": report.id, "version": report.version, "provenance": report.provenance,
        "kind": report.kind, "link_method": report.method,
        "document": {"id": report.document_id, "url": report.url, "title": report.title,
                     "content_hash": report.content_hash,
                     "published_at": _iso(report.published_at)},
        "data": report.data,
    }


def to_json(record: IncidentRecord) -> dict[str, Any]:
    incident = {"id": record.id, **record.ours(), "description_en": record.description_en,
                "description_ja": record.description_ja}
    return {"incident": incident, "provenance": record.provenance,
            "reports": [_report(r) for r in record.reports]}


def write(records: Iterable[IncidentRecord], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(to_json(record), ensure_ascii=False) + "\n")
        count += 1
    return count
