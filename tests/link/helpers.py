"""Storing reports the way the pipeline does (document + report version), then linking."""

from __future__ import annotations

import hashlib
import itertools

from cyberline.link import link_pending
from cyberline.model import IncidentDate, Report, SourceDocument
from cyberline.store import Store
from cyberline.store.records import save_document, save_report
from cyberline.store.schema import Report as ReportRow

_n = itertools.count()


def report(org: str | None, day: str | None, **fields) -> Report:
    dates = [IncidentDate(**d) for d in fields.pop("incident_dates", [])]
    return Report(id="x", kind=fields.pop("kind", "incident_notice"), organization=org,
                  disclosure_date=day, attack_type=fields.pop("attack_type", "ransomware"),
                  country=fields.pop("country", ["JP"]), incident_dates=dates, **fields)


def store_report(store: Store, rep: Report, text: str | None = None,
                 provenance: str = "test", link: bool = True) -> int:
    """Save one report (with its own document) and link pending reports; returns the report id."""
    key = f"doc-{next(_n)}"
    # Default texts share no n-grams, so text similarity never decides a test by accident.
    body = text or hashlib.sha256(key.encode()).hexdigest()
    with store.session() as s:
        doc, _ = save_document(s, SourceDocument(url=f"https://x.invalid/{key}",
                                                 raw=(key + body).encode(), text=body,
                                                 title=f"title {key}"))
        row: ReportRow = save_report(s, doc, rep, provenance=provenance)
        if link:
            link_pending(s)
        return row.id
