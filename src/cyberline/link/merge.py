"""An incident's fields from its reports, by precedence, remembering who set each field.

Precedence: a value set by a person (provenance {"user": ...}) is never overwritten; then the
latest official notice, then earlier notices, then news, then imports. Empty values never win.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cyberline.analyze.describe import describe_en, describe_ja
from cyberline.link.orgkey import org_key
from cyberline.model import parse_day
from cyberline.store.schema import Incident, IncidentCountry, Report

# Fields copied from report data to the incident (report key -> incident column).
MERGED_FIELDS = {
    "organization": "organization",
    "attack_type": "attack_type",
    "motivation": "motivation",
    "target_class": "target_class",
    "country": "countries",
    "cause_category_jnsa": "cause_category_jnsa",
    "affected_persons": "affected_persons",
    "affected_orgs": "affected_orgs",
    "data_categories": "data_categories",
    "amount_lost": "amount_lost",
    "reported_to": "reported_to",
}
_EMPTY = (None, "", [], {}, "unknown", "Z")
# What a column holds when no report gives a value.
_DEFAULTS = {"attack_type": "unknown", "motivation": "unknown", "target_class": "Z",
             "countries": [], "data_categories": [], "reported_to": []}
_KIND_RANK = {"incident_notice": 3, "incident_news": 2}


def _rank(report: Report) -> tuple:
    """Higher sorts first: official notices over news over imports, later over earlier."""
    imported = report.provenance.startswith("import:")
    return (0 if imported else _KIND_RANK.get(report.kind, 1),
            report.disclosure_date or date.min, report.version, report.id)


def _dates(reports: list[Report], role: str) -> date | None:
    days = [parse_day(d["date"]) for r in reports for d in r.data.get("incident_dates") or []
            if d.get("role") == role and d.get("date")]
    return min(days) if days else None


def apply_reports(incident: Incident, reports: list[Report]) -> None:
    """Recompute the incident's extracted fields from its reports (person-set fields stay)."""
    provenance: dict[str, Any] = dict(incident.provenance or {})
    by_rank = sorted(reports, key=_rank, reverse=True)
    for key, column in MERGED_FIELDS.items():
        if "user" in provenance.get(column, {}):
            continue
        for report in by_rank:
            value = report.data.get(key)
            if value not in _EMPTY:
                setattr(incident, column, value)
                provenance[column] = {"report_id": report.id}
                break
        else:
            setattr(incident, column, _DEFAULTS.get(column))
            provenance.pop(column, None)
    if "user" not in provenance.get("disclosure_date", {}):
        firsts = [r for r in reports if r.disclosure_date]
        earliest = min(firsts, key=lambda r: r.disclosure_date) if firsts else None
        incident.disclosure_date = earliest.disclosure_date if earliest else None
        if earliest:
            provenance["disclosure_date"] = {"report_id": earliest.id}
    for role, column in (("occurred", "occurred_date"), ("discovered", "discovered_date")):
        if "user" not in provenance.get(column, {}):
            setattr(incident, column, _dates(reports, role))
    incident.country = (incident.countries or [None])[0]
    incident.org_key = org_key(incident.organization)
    incident.amount_usd = _usd(incident.amount_lost)
    best = by_rank[0] if by_rank else None
    if best is not None:
        incident.language = best.language
        incident.link = incident.link if "user" in provenance.get("link", {}) else best.document.url
        incident.title = best.document.title
    incident.provenance = provenance
    fields = {c: getattr(incident, c) for c in ("organization", "attack_type", "affected_persons",
                                                 "affected_orgs", "data_categories")}
    fields["occurred_date"] = incident.occurred_date.isoformat() if incident.occurred_date else None
    fields["discovered_date"] = (incident.discovered_date.isoformat()
                                 if incident.discovered_date else None)
    incident.description_en = describe_en(fields)
    incident.description_ja = describe_ja(fields)


def sync_countries(incident: Incident) -> list[IncidentCountry]:
    return [IncidentCountry(incident_id=incident.id, country=c,
                            disclosure_date=incident.disclosure_date)
            for c in dict.fromkeys(incident.countries or [])]


# Rough rates for comparing losses across currencies in "notable" lists (not accounting).
_USD_RATE = {"USD": 1.0, "JPY": 0.0067, "EUR": 1.08, "GBP": 1.27, "CNY": 0.14, "KRW": 0.00075,
             "AUD": 0.66, "CAD": 0.74, "INR": 0.012}


def _usd(amount: dict[str, Any] | None) -> float | None:
    if not amount or amount.get("amount") is None:
        return None
    rate = _USD_RATE.get(str(amount.get("currency", "")).upper())
    return float(amount["amount"]) * rate if rate else None
