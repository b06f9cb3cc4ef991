"""Timeline rows: one incident each, in the anchors' columns plus ours.

Rows are read with a Core SELECT of the needed columns (no ORM objects) and the number of
reports per incident comes from one GROUP BY over incident_reports.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from cyberline.analyze.columns import attack_class, target_class, technique
from cyberline.analyze.describe import describe_en, describe_ja
from cyberline.store.schema import Incident, IncidentReport

ROW_COLUMNS = (
    Incident.id, Incident.organization, Incident.author, Incident.disclosure_date,
    Incident.occurred_date, Incident.discovered_date, Incident.attack_type, Incident.motivation,
    Incident.target_class, Incident.countries, Incident.cause_category_jnsa,
    Incident.affected_persons, Incident.affected_orgs, Incident.data_categories,
    Incident.amount_lost, Incident.amount_usd, Incident.link, Incident.title, Incident.language,
    Incident.description_en, Incident.description_ja, Incident.provenance,
)


def row_select() -> Select:
    """SELECT of the row columns (restrict it with ``in_period``, order and limit it).

    The report count is a correlated subquery on ix_incident_reports_incident: one index
    lookup per listed incident rather than grouping the whole incident_reports table.
    """
    reports = (select(func.count()).select_from(IncidentReport)
               .where(IncidentReport.incident_id == Incident.id).scalar_subquery())
    return select(*ROW_COLUMNS, reports.label("report_count"))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _set_by_person(provenance: dict[str, Any] | None, column: str) -> bool:
    return "user" in ((provenance or {}).get(column) or {})


def incident_row(record: Any) -> dict[str, Any]:
    """One timeline row from a row of ``row_select()`` (or an Incident object).

    Descriptions are generated from the full fields (money lost, follow-ups), unless a person
    wrote them (provenance {"user": ...}).
    """
    # A Core row as a dict: plain lookups; attribute access on Row is several times slower.
    values = record._asdict() if hasattr(record, "_asdict") else None
    get = (values.get if values is not None
           else (lambda name, default=None: getattr(record, name, default)))
    row = {
        "id": get("id"),
        "date_reported": _iso(get("disclosure_date")),
        "date_occurred": _iso(get("occurred_date")),
        "date_discovered": _iso(get("discovered_date")),
        "author": get("author"),
        "target": get("organization"),
        "attack_type": get("attack_type"),
        "attack": technique(get("attack_type")),
        "target_class": get("target_class"),
        "target_class_label": target_class(get("target_class")),
        "motivation": get("motivation"),
        "attack_class": attack_class(get("motivation")),
        "country": list(get("countries") or []),
        "link": get("link"),
        "affected_persons": get("affected_persons"),
        "affected_orgs": get("affected_orgs"),
        "data_categories": list(get("data_categories") or []),
        "amount_lost": get("amount_lost"),
        "amount_usd": get("amount_usd"),
        "cause_category_jnsa": get("cause_category_jnsa"),
        "title": get("title"),
        "language": get("language"),
        "report_count": count if (count := get("report_count")) is not None  # row_select's
        else len(getattr(record, "reports", None) or []),
    }
    fields = {"organization": row["target"], "occurred_date": row["date_occurred"],
              "discovered_date": row["date_discovered"], **row}
    provenance = get("provenance")
    for lang, describe in (("en", describe_en), ("ja", describe_ja)):
        column = f"description_{lang}"
        row[column] = get(column) if _set_by_person(provenance, column) else describe(fields)
    return row


def rows(session: Session, query: Select) -> list[dict[str, Any]]:
    return [incident_row(r) for r in session.execute(query)]
