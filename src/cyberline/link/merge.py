"""An incident's fields from its reports, by precedence, remembering who set each field.

Precedence: a value set by a person (provenance {"user": ...}) is never overwritten; then the
latest official notice, then earlier notices, then news, then imports. Empty values never win.
Conflicting values are not dropped: provenance[field]["alternatives"] lists every other value
with the report that gave it, so `cyberline incidents show` can display them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cyberline.analyze.describe import describe_en, describe_ja
from cyberline.link.orgkey import org_key
from cyberline.model import parse_day

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
DEFAULTS = {"attack_type": "unknown", "motivation": "unknown", "target_class": "Z",
            "countries": [], "data_categories": [], "reported_to": []}
_KIND_RANK = {"incident_notice": 3, "incident_news": 2}


@dataclass
class Member:
    """What merging needs of one member report (from an ORM row or a query row)."""

    report_id: int
    kind: str
    provenance: str
    disclosure_date: date | None
    version: int
    data: dict[str, Any]
    language: str | None
    url: str | None
    title: str | None

    @classmethod
    def of(cls, report) -> "Member":  # noqa: ANN001 - a cyberline.store.schema.Report
        doc = report.document
        return cls(report.id, report.kind, report.provenance, report.disclosure_date,
                   report.version, report.data or {}, report.language,
                   doc.url if doc else None, doc.title if doc else None)


def rank(member: Member) -> tuple:
    """Higher sorts first: official notices over news over imports, later over earlier."""
    imported = member.provenance.startswith("import:")
    return (0 if imported else _KIND_RANK.get(member.kind, 1),
            member.disclosure_date or date.min, member.version, member.report_id)


def _dates(members: list[Member], role: str) -> tuple[date | None, int | None]:
    found = []
    for m in members:
        for d in m.data.get("incident_dates") or []:
            if isinstance(d, dict) and d.get("role") == role and d.get("date"):
                try:
                    found.append((parse_day(d["date"]), m.report_id))
                except ValueError:
                    continue
    return min(found) if found else (None, None)


def _person_set(provenance: dict[str, Any], column: str) -> bool:
    return "user" in (provenance.get(column) or {})


def merged_values(members: list[Member], provenance: dict[str, Any] | None,
                  current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The incident columns computed from ``members`` (person-set columns keep ``current``).

    Returns a dict of column -> value including ``provenance``.
    """
    provenance = {k: dict(v) for k, v in (provenance or {}).items()}
    # Columns set by a person (fixed for this call: only other columns' entries are rewritten).
    person = {c for c, v in provenance.items() if "user" in v}
    current = current or {}
    out: dict[str, Any] = {}
    by_rank = sorted(members, key=rank, reverse=True)
    for key, column in MERGED_FIELDS.items():
        given = [(v, m.report_id) for m in by_rank if (v := m.data.get(key)) not in _EMPTY]
        entry = provenance.get(column) or {}
        if column in person:
            out[column] = current.get(column, DEFAULTS.get(column))
            alternatives = [{"value": v, "report_id": r} for v, r in given if v != out[column]]
        elif given:
            out[column] = given[0][0]
            entry = {"report_id": given[0][1]}
            alternatives = [{"value": v, "report_id": r} for v, r in given[1:] if v != given[0][0]]
        else:
            out[column] = DEFAULTS.get(column)
            provenance.pop(column, None)
            continue
        if alternatives:
            entry["alternatives"] = alternatives
        else:
            entry.pop("alternatives", None)
        provenance[column] = entry
    if "disclosure_date" not in person:
        dated = [m for m in members if m.disclosure_date]
        earliest = min(dated, key=lambda m: (m.disclosure_date, m.report_id)) if dated else None
        out["disclosure_date"] = earliest.disclosure_date if earliest else None
        if earliest:
            provenance["disclosure_date"] = {"report_id": earliest.report_id}
        else:
            provenance.pop("disclosure_date", None)
    else:
        out["disclosure_date"] = current.get("disclosure_date")
    for role, column in (("occurred", "occurred_date"), ("discovered", "discovered_date")):
        if column in person:
            out[column] = current.get(column)
            continue
        day, report_id = _dates(members, role)
        out[column] = day
        if report_id is not None:
            provenance[column] = {"report_id": report_id}
        else:
            provenance.pop(column, None)
    countries = out["countries"] or []
    out["country"] = countries[0] if countries else None
    out["org_key"] = org_key(out["organization"])
    out["amount_usd"] = _usd(out["amount_lost"])
    best = by_rank[0] if by_rank else None
    for column, value in (("language", best.language if best else None),
                          ("link", best.url if best else None),
                          ("title", best.title if best else None)):
        out[column] = current.get(column) if column in person else value
    out["provenance"] = provenance
    fields = {c: out[c] for c in ("organization", "attack_type", "affected_persons",
                                  "affected_orgs", "data_categories")}
    fields["occurred_date"] = out["occurred_date"].isoformat() if out["occurred_date"] else None
    fields["discovered_date"] = (out["discovered_date"].isoformat()
                                 if out["discovered_date"] else None)
    for column, make in (("description_en", describe_en), ("description_ja", describe_ja)):
        out[column] = current.get(column) if column in person else make(fields)
    return out


INCIDENT_COLUMNS = ("organization", "org_key", "disclosure_date", "occurred_date", "discovered_date",
                    "attack_type", "motivation", "target_class", "country", "countries",
                    "cause_category_jnsa", "affected_persons", "affected_orgs", "data_categories",
                    "amount_lost", "amount_usd", "reported_to", "language", "link", "title",
                    "description_en", "description_ja", "published", "provenance")


def current_values(incident) -> dict[str, Any]:  # noqa: ANN001 - schema.Incident
    return {c: getattr(incident, c) for c in INCIDENT_COLUMNS}


def apply_reports(incident, reports) -> None:  # noqa: ANN001
    """Recompute an ORM incident's extracted fields from its ORM reports (person-set stay)."""
    values = merged_values([Member.of(r) for r in reports], incident.provenance,
                           current_values(incident))
    for column, value in values.items():
        setattr(incident, column, value)


# Rough rates for comparing losses across currencies in "notable" lists (not accounting).
_USD_RATE = {"USD": 1.0, "JPY": 0.0067, "EUR": 1.08, "GBP": 1.27, "CNY": 0.14, "KRW": 0.00075,
             "AUD": 0.66, "CAD": 0.74, "INR": 0.012}


def _usd(amount: dict[str, Any] | None) -> float | None:
    if not isinstance(amount, dict) or amount.get("amount") is None:
        return None
    rate = _USD_RATE.get(str(amount.get("currency", "")).upper())
    try:
        return float(amount["amount"]) * rate if rate else None
    except (TypeError, ValueError):
        return None
