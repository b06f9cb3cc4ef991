"""What the pages show, as plain data (the HTML, JSON and CSV views all render these dicts)."""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from cyberline.analyze import parse_period
from cyberline.analyze.describe import label
from cyberline.analyze.timeline import incident_row, row_select
from cyberline.store.schema import (AuditEntry, Document, Incident, IncidentCountry,
                                    IncidentReport, Report, Source)
from cyberline.store.search import MATCH_CAP, capped_matching_ids, search_clause
from cyberline.web.facets import FIELDS, FacetIndex, Snapshot
from cyberline.web.facets import build as build_snapshot
from cyberline.web.highlight import segments
from cyberline.web.shared_cache import SharedMatches

FACETS = ("attack_type", "motivation", "target_class", "country")
PER_PAGE = 50
CSV_LIMIT = 100_000
MEMO_SIZE = 2048  # facet counts kept per snapshot (filters, audience, language)
CSV_COLUMNS = ("id", "date_reported", "date_occurred", "date_discovered", "target",
               "description_en", "description_ja", "attack_type", "target_class", "motivation",
               "country", "link", "affected_persons", "affected_orgs", "data_categories",
               "amount_lost", "cause_category_jnsa", "title")


@dataclass(frozen=True)
class ListFilters:
    q: str | None = None
    attack_type: str | None = None
    motivation: str | None = None
    target_class: str | None = None
    country: str | None = None
    period: str | None = None  # anything parse_period reads

    def active(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


def filtered(session: Session, query: Select, filters: ListFilters, unpublished: bool) -> Select:
    """Apply the filters to a query over incidents. Raises PeriodError / SearchError."""
    if not unpublished:
        query = query.where(Incident.published.is_(True))
    for name in ("attack_type", "motivation", "target_class"):
        if getattr(filters, name):
            query = query.where(getattr(Incident, name) == getattr(filters, name))
    if filters.country:
        query = query.where(Incident.id.in_(select(IncidentCountry.incident_id)
                                            .where(IncidentCountry.country == filters.country)))
    if filters.period:
        period = parse_period(filters.period)
        query = query.where(Incident.disclosure_date.between(period.start, period.end))
    if filters.q:
        query = query.where(search_clause(session, filters.q))
    return query


class TTLCache:
    """Keep the incident ids a free-text query matches for a short while.

    The app clears it on every curation write, so editors see their changes at once; new
    ingestion shows up within ``ttl`` seconds (the incident rows themselves are live).
    """

    def __init__(self, ttl: float = 60.0, size: int = 512, shared: SharedMatches | None = None):
        self.ttl, self.size = ttl, size
        self.shared = shared  # the other workers' results (``serve --workers N``)
        self._data: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, compute) -> Any:
        now = time.monotonic()
        with self._lock:
            hit = self._data.get(key)
            if hit and hit[0] > now:
                return hit[1]
        value = self.shared.get(repr(key), compute) if self.shared else compute()
        with self._lock:
            if len(self._data) >= self.size:
                self._data.clear()
            self._data[key] = (now + self.ttl, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
        if self.shared:
            self.shared.clear()


def _counts(snapshot: Snapshot, cand: np.ndarray, filters: ListFilters, unpublished: bool,
            lang: str) -> dict[str, list[dict[str, Any]]]:
    def count() -> dict[str, list[dict[str, Any]]]:
        out = {}
        for name, pairs in snapshot.counts(cand).items():
            out[name] = [{"value": value, "label": label(name, value, lang), "count": n}
                         for value, n in sorted(pairs, key=lambda r: (-r[1], str(r[0])))]
        return out

    return snapshot.once(snapshot.memo, (filters, unpublished, lang), count, MEMO_SIZE)


def prime(snapshot: Snapshot) -> None:
    """Count the facets of the unfiltered list (the home page) for anonymous visitors in both
    languages: a bincount over every incident (~0.1 s at a million), done when a snapshot is
    built rather than by the first visitor after each rebuild; also sort the ids once."""
    cand = snapshot.select(unpublished=False, fields={name: None for name in FIELDS},
                           country=None, start=None, end=None, ranks=None)
    snapshot.sorted_ids()  # for the first text search
    for lang in ("en", "ja"):
        _counts(snapshot, cand, ListFilters(), False, lang)


_PAGE_ROWS: dict[bool, Select] = {}


def page_rows(unpublished: bool) -> Select:
    """The list rows of a page of ids (bound as ``ids``): built once, not per request (building
    the statement cost ~0.7 ms of the ~6 ms of CPU of a list page)."""
    query = _PAGE_ROWS.get(unpublished)
    if query is None:
        query = row_select().add_columns(Incident.published).where(
            Incident.id.in_(bindparam("ids", expanding=True)))
        if not unpublished:
            query = query.where(Incident.published.is_(True))
        _PAGE_ROWS[unpublished] = query
    return query


def incident_list(session: Session, filters: ListFilters, *, unpublished: bool, page: int = 1,
                  lang: str = "en", facets: FacetIndex | None = None,
                  cache: TTLCache | None = None) -> dict[str, Any]:
    """One page of the filtered list, newest first, with the facet counts of the whole match.

    Counts and the page's ids come from the worker's facet snapshot (``facets``; built here when
    none is given); the rows themselves are read live by id.
    Free-text matches are kept in ``cache`` for a while (cleared on every curation write).
    """
    page = max(1, page)
    period = parse_period(filters.period) if filters.period else None
    snapshot = facets.get() if facets else build_snapshot(session)
    ranks, truncated = None, False
    if filters.q:
        q = filters.q

        def found() -> tuple[np.ndarray, bool]:
            ids, more = capped_matching_ids(session, q)
            return np.array(sorted(ids), dtype=np.int64), more

        ranks, truncated = snapshot.search_ranks(
            q, lambda: cache.get(("q", q), found) if cache else found())
    cand = snapshot.select(unpublished=unpublished,
                           fields={name: getattr(filters, name) for name in FIELDS},
                           country=filters.country, start=period.start if period else None,
                           end=period.end if period else None, ranks=ranks)

    counts = _counts(snapshot, cand, filters, unpublished, lang)
    page_ids = snapshot.page_ids(cand, (page - 1) * PER_PAGE, PER_PAGE)
    rows = {}
    if page_ids:
        # By primary key; ``published`` is checked again here, so a just-unpublished incident
        # never shows to anonymous visitors, whatever the snapshot's age.
        # One query (row_select counts the reports in it), not one lazy load per incident.
        rows = {r.id: r for r in session.execute(page_rows(unpublished), {"ids": page_ids})}
    return {"filters": filters.active(), "page": page, "per_page": PER_PAGE,
            "total": len(cand), "facets": counts,
            # Only the MATCH_CAP most recently added matches of the text were listed: the total
            # and the facet counts are those of that part, lower bounds of the whole.
            "total_is_lower_bound": truncated, "match_cap": MATCH_CAP if truncated else None,
            "incidents": [incident_row(rows[i]) | {"published": bool(rows[i].published)}
                          for i in page_ids if i in rows]}


def incident_rows_for_csv(session: Session, filters: ListFilters, unpublished: bool):
    query = (filtered(session, select(Incident), filters, unpublished)
             .order_by(Incident.disclosure_date, Incident.id).limit(CSV_LIMIT))
    for incident in session.scalars(query):
        yield incident_row(incident)


def incident_detail(session: Session, incident: Incident) -> dict[str, Any]:
    links = session.scalars(
        select(IncidentReport).join(Report, Report.id == IncidentReport.report_id)
        .where(IncidentReport.incident_id == incident.id)
        .order_by(Report.disclosure_date.nulls_last(), Report.id)).all()
    reports = []
    for link in links:
        report, doc = link.report, link.report.document
        reports.append({
            "report_id": report.id, "kind": report.kind, "provenance": report.provenance,
            "version": report.version, "disclosure_date": report.data.get("disclosure_date"),
            "link": {"method": link.method, "score": link.score, "reason": link.reason},
            "document": {"id": doc.id, "url": doc.url, "title": doc.title,
                         "published_at": doc.published_at.isoformat() if doc.published_at else None,
                         "language": doc.language},
            "data": report.data,
            "segments": [{"text": s.text, "field": s.field, "fields": list(s.fields), "by_model": s.by_model}
                         for s in segments(doc.text, report.data.get("evidence"),
                                           report.data.get("evidence_source"))],
        })
    return {"incident": incident_row(incident) | {
                "published": incident.published, "provenance": incident.provenance or {},
                "occurred_date": incident.occurred_date.isoformat() if incident.occurred_date
                else None},
            "reports": reports, "audit": audit_entries(session, incident.id)}


def audit_entries(session: Session, incident_id: int, limit: int = 100) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditEntry).where(AuditEntry.incident_id == incident_id)
                           .order_by(AuditEntry.id.desc()).limit(limit))
    return [{"id": a.id, "at": a.at.isoformat(timespec="seconds"), "actor": a.actor,
             "action": a.action, "field": a.field, "before": a.before, "after": a.after,
             "undone_by": a.undone_by} for a in rows]


def period_list(session: Session) -> list[dict[str, Any]]:
    """Fortnights and months that have published incidents, newest first."""
    days = session.scalars(select(Incident.disclosure_date).where(
        Incident.published.is_(True), Incident.disclosure_date.is_not(None)).distinct())
    months: dict[str, int] = {}
    fortnights: dict[str, int] = {}
    for day in days:
        months[day.strftime("%Y-%m")] = 1
        fortnights[day.strftime("%Y-%m") + ("a" if day.day <= 15 else "b")] = 1
    out = [{"period": key, "kind": "month", "label": parse_period(key).label()} for key in months]
    out += [{"period": key, "kind": "fortnight", "label": parse_period(key).label()}
            for key in fortnights]
    return sorted(out, key=lambda p: (p["label"].split("..")[0], p["kind"]), reverse=True)


def source_list(session: Session) -> list[dict[str, Any]]:
    counts = dict(session.execute(select(Document.source_id, func.count())
                                  .group_by(Document.source_id)).all())
    return [{"id": s.id, "name": s.name, "url": s.url, "kind": s.kind, "enabled": s.enabled,
             "language": s.language, "documents": counts.get(s.id, 0),
             "last_fetched_at": s.last_fetched_at.isoformat() if s.last_fetched_at else None,
             "last_status": s.last_status}
            for s in session.scalars(select(Source).order_by(Source.name))]
