"""Incidents as plain records for the exporters, streamed from the database in batches.

Exports must handle millions of incidents in bounded memory: incidents are read with a
streaming cursor (server-side on PostgreSQL) as Core rows (no ORM identity map that grows),
and the reports of each batch are fetched with one query per batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterator

from sqlalchemy import select

from cyberline.interchange.filters import IncidentFilter, apply
from cyberline.store import Store
from cyberline.store.schema import Document, Incident, IncidentReport, Report

BATCH = 1000

# The incident fields an export carries (and a lossless import restores), in a fixed order.
OUR_FIELDS = (
    "organization", "disclosure_date", "occurred_date", "discovered_date", "attack_type",
    "motivation", "target_class", "countries", "cause_category_jnsa", "affected_persons",
    "affected_orgs", "data_categories", "amount_lost", "reported_to", "language", "link", "title",
)


@dataclass
class ReportRecord:
    id: int
    version: int
    provenance: str
    kind: str
    data: dict[str, Any]
    document_id: int
    url: str
    title: str | None
    content_hash: str
    published_at: datetime | None
    method: str | None = None  # how it was linked: new | auto | person


@dataclass
class IncidentRecord:
    id: int
    organization: str | None = None
    disclosure_date: date | None = None
    occurred_date: date | None = None
    discovered_date: date | None = None
    attack_type: str = "unknown"
    motivation: str = "unknown"
    target_class: str = "Z"
    countries: list[str] = field(default_factory=list)
    cause_category_jnsa: str | None = None
    affected_persons: int | None = None
    affected_orgs: int | None = None
    data_categories: list[str] = field(default_factory=list)
    amount_lost: dict[str, Any] | None = None
    reported_to: list[str] = field(default_factory=list)
    language: str | None = None
    link: str | None = None
    title: str | None = None
    description_en: str | None = None
    description_ja: str | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    reports: list[ReportRecord] = field(default_factory=list)

    def ours(self) -> dict[str, Any]:
        """Our fields as JSON values (dates as YYYY-MM-DD), the payload of lossless exports."""
        out: dict[str, Any] = {}
        for name in OUR_FIELDS:
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, date) else value
        return out

    @property
    def first_day(self) -> date | None:
        """The incident's earliest known date: the fixed timestamp of deterministic exports."""
        return self.disclosure_date or self.occurred_date or self.discovered_date


_INCIDENT_COLUMNS = [getattr(Incident, name) for name in (
    "id", *OUR_FIELDS, "description_en", "description_ja", "provenance")]


def _incident(row) -> IncidentRecord:
    values = dict(row._mapping)
    for name in ("countries", "data_categories", "reported_to"):
        values[name] = list(values[name] or [])
    values["provenance"] = dict(values["provenance"] or {})
    values["link"] = values["link"] or None  # imports without a link store an empty URL
    return IncidentRecord(**values)


def _reports_of(conn, ids: list[int]) -> dict[int, list[ReportRecord]]:
    query = (
        select(IncidentReport.incident_id, IncidentReport.method, Report.id, Report.version,
               Report.provenance, Report.kind, Report.data, Report.document_id, Document.url,
               Document.title, Document.content_hash, Document.published_at)
        .join(Report, Report.id == IncidentReport.report_id)
        .join(Document, Document.id == Report.document_id)
        .where(IncidentReport.incident_id.in_(ids))
        .order_by(IncidentReport.incident_id, Report.disclosure_date, Report.id)
    )
    out: dict[int, list[ReportRecord]] = {}
    for row in conn.execute(query):
        m = row._mapping
        out.setdefault(m["incident_id"], []).append(ReportRecord(
            id=m["id"], version=m["version"], provenance=m["provenance"], kind=m["kind"],
            data=m["data"], document_id=m["document_id"], url=m["url"], title=m["title"],
            content_hash=m["content_hash"], published_at=m["published_at"], method=m["method"]))
    return out


def iter_incidents(store: Store, flt: IncidentFilter | None = None, *, with_reports: bool = True,
                   batch: int = BATCH) -> Iterator[IncidentRecord]:
    """The incidents matching ``flt`` ordered by disclosure date then id, streamed in batches."""
    query = apply(select(*_INCIDENT_COLUMNS), flt or IncidentFilter()).order_by(
        Incident.disclosure_date.asc().nulls_last(), Incident.id)
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=batch).execute(query)
        for rows in result.partitions():
            records = [_incident(row) for row in rows]
            if with_reports:
                reports = _reports_of(conn, [r.id for r in records])
                for record in records:
                    record.reports = reports.get(record.id, [])
            yield from records
