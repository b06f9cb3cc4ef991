"""Read-only views for people: incident lists, an incident with provenance, a review pair."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cyberline.curate.values import CurationError, field_specs
from cyberline.store.schema import (Document, Incident, IncidentReport, Report, ReviewItem)


def list_incidents(session: Session, period=None, limit: int = 200) -> list[dict[str, Any]]:  # noqa: ANN001
    counts = (select(IncidentReport.incident_id, func.count().label("n"))
              .group_by(IncidentReport.incident_id).subquery())
    query = (select(Incident, counts.c.n).join(counts, counts.c.incident_id == Incident.id)
             .order_by(Incident.disclosure_date.desc(), Incident.id.desc()).limit(limit))
    if period is not None:
        query = query.where(Incident.disclosure_date.between(period.start, period.end))
    return [{"id": i.id, "disclosure_date": i.disclosure_date, "organization": i.organization,
             "attack_type": i.attack_type, "affected_persons": i.affected_persons, "reports": n}
            for i, n in session.execute(query)]


def _set_by(entry: dict | None) -> str:
    if not entry:
        return ""
    if "user" in entry:
        return f"person {entry['user']}" + (f" at {entry['at']}" if entry.get("at") else "")
    return f"report #{entry['report_id']}" if "report_id" in entry else ""


def incident_detail(session: Session, incident_id: int) -> dict[str, Any]:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise CurationError(f"no incident #{incident_id}")
    provenance = incident.provenance or {}
    fields = []
    for name in field_specs():
        if name == "aliases":
            continue
        entry = provenance.get(name)
        fields.append({"field": name, "value": getattr(incident, name), "set_by": _set_by(entry),
                       "alternatives": (entry or {}).get("alternatives", [])})
    rows = session.execute(
        select(IncidentReport, Report, Document.url, Document.title)
        .join(Report, Report.id == IncidentReport.report_id)
        .join(Document, Document.id == Report.document_id)
        .where(IncidentReport.incident_id == incident_id).order_by(Report.disclosure_date, Report.id))
    reports = [{"report_id": r.id, "kind": r.kind, "provenance": r.provenance,
                "disclosure_date": r.disclosure_date, "organization": r.organization,
                "url": url, "title": title, "method": link.method, "score": link.score,
                "reason": link.reason} for link, r, url, title in rows]
    reviews = [{"id": i.id, "report_id": i.report_id, "score": i.score, "reason": i.reason}
               for i in session.scalars(select(ReviewItem).where(
                   ReviewItem.incident_id == incident_id, ReviewItem.status == "open"))]
    return {"id": incident.id, "fields": fields, "reports": reports, "reviews": reviews}


def review_pair(session: Session, item_id: int) -> dict[str, Any]:
    """The two sides of a review item, for showing them side by side."""
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise CurationError(f"no review item #{item_id}")
    report = session.get(Report, item.report_id)
    incident = session.get(Incident, item.incident_id)
    doc = report.document
    return {"id": item.id, "score": item.score, "reason": item.reason, "status": item.status,
            "report": {"report_id": report.id, "organization": report.organization,
                       "disclosure_date": report.disclosure_date, "attack_type": report.attack_type,
                       "affected_persons": (report.data or {}).get("affected_persons"),
                       "title": doc.title, "text": (doc.text or "")[:300]},
            "incident": {"id": incident.id, "organization": incident.organization,
                         "disclosure_date": incident.disclosure_date,
                         "attack_type": incident.attack_type,
                         "affected_persons": incident.affected_persons, "title": incident.title,
                         "text": incident.description_en}}
