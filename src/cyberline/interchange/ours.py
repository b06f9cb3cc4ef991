"""Our incident fields <-> a Report and a Document, for imports of what our exports wrote.

STIX and MISP exports carry every field of ours (``IncidentRecord.ours()``); importing them
back builds one Report per incident whose merged incident equals the exported one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cyberline.model import Amount, IncidentDate, Report, SourceDocument, vocabulary

IMPORT_KIND = "incident_news"


def _in_vocab(value: Any, name: str, default: str) -> str:
    return value if value in vocabulary(name) else default


def _check(ours: dict[str, Any]) -> None:
    """Raise ValueError for values the database cannot hold (bad dates, non-integer counts)."""
    for key in ("disclosure_date", "occurred_date", "discovered_date"):
        if ours.get(key) is not None:
            date.fromisoformat(str(ours[key]))
    for key in ("affected_persons", "affected_orgs"):
        value = ours.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValueError(f"{key} {value!r} is not a whole number")
    for key in ("countries", "data_categories", "reported_to"):
        if not isinstance(ours.get(key) or [], list):
            raise ValueError(f"{key} {ours[key]!r} is not a list")


def report_from_ours(ours: dict[str, Any], report_id: str) -> Report:
    """A Report whose fields are ``ours`` (unknown vocabulary values fall back to unknown).

    Raises ValueError/TypeError for values that do not fit (the importers log and skip those).
    """
    _check(ours)
    dates = [IncidentDate(ours[key], role) for key, role in
             (("occurred_date", "occurred"), ("discovered_date", "discovered")) if ours.get(key)]
    amount = ours.get("amount_lost")
    return Report(
        id=report_id,
        language=ours.get("language"),
        kind=IMPORT_KIND,
        organization=ours.get("organization"),
        disclosure_date=ours.get("disclosure_date"),
        incident_dates=dates,
        attack_type=_in_vocab(ours.get("attack_type"), "attack_type", "unknown"),
        cause_category_jnsa=ours.get("cause_category_jnsa"),
        motivation=_in_vocab(ours.get("motivation"), "motivation", "unknown"),
        target_class=_in_vocab(ours.get("target_class"), "target_class", "Z"),
        country=list(ours.get("countries") or []),
        affected_persons=ours.get("affected_persons"),
        affected_orgs=ours.get("affected_orgs"),
        data_categories=list(ours.get("data_categories") or []),
        amount_lost=Amount(**amount) if amount else None,
        reported_to=list(ours.get("reported_to") or []),
        extractor_version="import",
    )


def document_for(raw: bytes, external_id: str, *, url: str | None, title: str | None,
                 text: str | None, language: str | None = None) -> SourceDocument:
    """The Document of one imported object: its verbatim bytes; the URL is the incident link.

    A missing link is stored as an empty URL (the column is required) and exported as none.
    """
    return SourceDocument(url=url or "", raw=raw, text=text or "", title=title,
                          language=language, external_id=external_id,
                          content_type="application/json")
