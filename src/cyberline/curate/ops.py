"""Curation operations: people correct incidents, and every change is logged and undoable.

Each operation writes one audit_log row (who, when, before, after) and returns it. A value set by a
person is marked {"user": actor} in the incident's provenance, so re-linking and re-extraction
never overwrite it (cyberline.link.merge). ``undo`` reverses an entry if nothing changed since.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cyberline.curate.values import CurationError, convert, empty_value, resolve_field
from cyberline.link.blocking import add_alias
from cyberline.link.linker import refresh_incident
from cyberline.link.merge import INCIDENT_COLUMNS
from cyberline.store.schema import (AuditEntry, Incident, IncidentReport, ReviewItem, utcnow)

_DATE_COLUMNS = {"disclosure_date", "occurred_date", "discovered_date"}


def _json(value: Any) -> Any:
    """Audit rows are JSON: dates become ISO strings (and come back through _unjson)."""
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _unjson(column: str, value: Any) -> Any:
    return date.fromisoformat(value) if column in _DATE_COLUMNS and value else value


def _incident(session: Session, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise CurationError(f"no incident #{incident_id}")
    return incident


def _log(session: Session, actor: str, action: str, incident_id: int | None,
         field: str | None, before: Any, after: Any) -> AuditEntry:
    if not actor or not str(actor).strip():
        raise CurationError("an actor (who makes the change) is required")
    entry = AuditEntry(actor=str(actor), action=action, incident_id=incident_id, field=field,
                       before=before, after=after, at=utcnow())
    session.add(entry)
    session.flush()
    return entry


def _field_state(incident: Incident, column: str) -> dict[str, Any]:
    return {"value": _json(getattr(incident, column)),
            "provenance": (incident.provenance or {}).get(column)}


def _put_field(session: Session, incident: Incident, column: str, value: Any,
               provenance_entry: dict | None) -> None:
    provenance = dict(incident.provenance or {})
    if provenance_entry is None:
        provenance.pop(column, None)
    else:
        provenance[column] = provenance_entry
    setattr(incident, column, value)
    incident.provenance = provenance
    refresh_incident(session, incident)


def _person(actor: str) -> dict[str, Any]:
    return {"user": str(actor), "at": utcnow().isoformat(timespec="seconds")}


def set_field(session: Session, incident_id: int, field: str, value: Any,
              actor: str) -> AuditEntry:
    """Set a field to a person's value (validated); extraction will not overwrite it."""
    incident = _incident(session, incident_id)
    column = resolve_field(field)
    converted = convert(column, value)
    before = _field_state(incident, column)
    alternatives = (before["provenance"] or {}).get("alternatives")
    entry = _person(actor) | ({"alternatives": alternatives} if alternatives else {})
    _put_field(session, incident, column, converted, entry)
    return _log(session, actor, "set_field", incident.id, column, before,
                _field_state(incident, column))


def clear_field(session: Session, incident_id: int, field: str, actor: str) -> AuditEntry:
    """Empty a field as a person's decision ("no value"); extraction will not refill it.
    (To go back to the extracted value, undo the entry that set it.)"""
    incident = _incident(session, incident_id)
    column = resolve_field(field)
    before = _field_state(incident, column)
    _put_field(session, incident, column, empty_value(column), _person(actor))
    return _log(session, actor, "clear_field", incident.id, column, before,
                _field_state(incident, column))


def _snapshot(session: Session, incident: Incident) -> dict[str, Any]:
    links = session.scalars(select(IncidentReport).where(IncidentReport.incident_id == incident.id)
                            .order_by(IncidentReport.id)).all()
    return {"id": incident.id,
            "columns": {c: _json(getattr(incident, c)) for c in INCIDENT_COLUMNS},
            "links": [{"report_id": l.report_id, "method": l.method, "score": l.score,
                       "reason": l.reason} for l in links]}


def _restore(session: Session, snapshot: dict[str, Any]) -> Incident:
    """Recreate a deleted incident with its id and columns, and move its reports back."""
    if session.get(Incident, snapshot["id"]) is not None:
        raise CurationError(f"incident #{snapshot['id']} exists again; cannot restore it")
    incident = Incident(id=snapshot["id"], **{c: _unjson(c, v)
                                               for c, v in snapshot["columns"].items()})
    session.add(incident)
    session.flush()
    for link in snapshot["links"]:
        _move_link(session, link["report_id"], incident.id, link["method"], link["score"],
                   link["reason"])
    return incident


def _move_link(session: Session, report_id: int, incident_id: int, method: str,
               score: float | None, reason: str | None) -> None:
    session.execute(update(IncidentReport).where(IncidentReport.report_id == report_id)
                    .values(incident_id=incident_id, method=method, score=score, reason=reason,
                            linked_at=utcnow()))


def _refresh(session: Session, *incident_ids: int) -> None:
    session.expire_all()
    for incident_id in incident_ids:
        incident = session.get(Incident, incident_id)
        if incident is not None:
            refresh_incident(session, incident)


def merge_incidents(session: Session, keep_id: int, other_id: int, actor: str) -> AuditEntry:
    """Move every report of ``other_id`` into ``keep_id`` and delete ``other_id``.

    The two organisation keys become aliases; person-set fields of the other incident are kept
    where ``keep_id`` has none; open review items move along.
    """
    if keep_id == other_id:
        raise CurationError("cannot merge an incident with itself")
    keep, other = _incident(session, keep_id), _incident(session, other_id)
    before = {"keep": _snapshot(session, keep), "other": _snapshot(session, other)}
    reviews = session.scalars(select(ReviewItem.id).where(ReviewItem.incident_id == other_id,
                                                          ReviewItem.status == "open")).all()
    before["reviews"] = list(reviews)
    carried = {c: e for c, e in (other.provenance or {}).items()
               if "user" in (e or {}) and "user" not in ((keep.provenance or {}).get(c) or {})}
    for link in before["other"]["links"]:
        _move_link(session, link["report_id"], keep_id, "person", None,
                   f"merged by {actor} from incident #{other_id} (was: {link['reason']})")
    if reviews:
        session.execute(update(ReviewItem).where(ReviewItem.id.in_(reviews))
                        .values(incident_id=keep_id))
    provenance = dict(keep.provenance or {})
    for column, entry in carried.items():
        setattr(keep, column, getattr(other, column))
        provenance[column] = entry
    keep.provenance = provenance
    add_alias(session, keep.org_key, other.org_key, f"person:{actor}")
    session.flush()
    session.expire_all()
    _refresh(session, keep_id, other_id)  # other has no member left: deleted
    keep = _incident(session, keep_id)
    return _log(session, actor, "merge", keep_id, None, before,
                {"keep": _snapshot(session, keep)})


def split_report(session: Session, report_id: int, actor: str) -> Incident:
    """Take a report out of its incident into a new incident of its own."""
    link = session.scalar(select(IncidentReport).where(IncidentReport.report_id == report_id))
    if link is None:
        raise CurationError(f"report #{report_id} is not linked to any incident")
    old_id = link.incident_id
    count = len(session.scalars(select(IncidentReport.id)
                                .where(IncidentReport.incident_id == old_id)).all())
    if count == 1:
        raise CurationError(f"report #{report_id} is the only report of incident #{old_id}")
    before = {"incident_id": old_id, "report_id": report_id, "method": link.method,
              "score": link.score, "reason": link.reason}
    new = Incident()
    session.add(new)
    session.flush()
    _move_link(session, report_id, new.id, "person", None,
               f"split by {actor} from incident #{old_id}")
    _refresh(session, old_id, new.id)
    _log(session, actor, "split", old_id, None, before, {"incident_id": new.id,
                                                         "report_id": report_id})
    return _incident(session, new.id)


def open_reviews(session: Session) -> list[ReviewItem]:
    """Open review items, most likely matches first."""
    return list(session.scalars(select(ReviewItem).where(ReviewItem.status == "open")
                                .order_by(ReviewItem.score.desc(), ReviewItem.id)))


def decide_review(session: Session, item_id: int, accept: bool, actor: str) -> AuditEntry:
    """Accept (the report joins the item's incident) or reject (it stays apart) a review item."""
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise CurationError(f"no review item #{item_id}")
    if item.status != "open":
        raise CurationError(f"review item #{item_id} is already {item.status}")
    target = _incident(session, item.incident_id)
    link = session.scalar(select(IncidentReport).where(IncidentReport.report_id == item.report_id))
    before: dict[str, Any] = {"item_id": item.id, "status": "open"}
    if accept:
        if link is None:
            raise CurationError(f"report #{item.report_id} of review item #{item_id} is not linked")
        if link.incident_id == target.id:
            raise CurationError(f"report #{item.report_id} is already in incident #{target.id}")
        source = _incident(session, link.incident_id)
        before["from"] = _snapshot(session, source)
        before["link"] = {"report_id": link.report_id, "method": link.method,
                          "score": link.score, "reason": link.reason}
        _move_link(session, item.report_id, target.id, "person", item.score,
                   f"review #{item.id} accepted by {actor}: {item.reason}")
        from_key = link.report.org_key
        add_alias(session, target.org_key, from_key, f"person:{actor}")
        _refresh(session, target.id, source.id)
    item = session.get(ReviewItem, item_id)
    item.status = "accepted" if accept else "rejected"
    item.decided_by, item.decided_at = str(actor), utcnow()
    session.flush()
    return _log(session, actor, "review_accept" if accept else "review_reject", target.id, None,
                before, {"item_id": item.id, "status": item.status})


def audit_log(session: Session, incident_id: int | None = None,
              limit: int = 100) -> list[AuditEntry]:
    """The latest audit entries (of one incident, or all), newest first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if incident_id is not None:
        query = query.where(AuditEntry.incident_id == incident_id)
    return list(session.scalars(query))


# --- undo -----------------------------------------------------------------------------------

def _undo_field(session: Session, entry: AuditEntry) -> None:
    incident = _incident(session, entry.incident_id)
    now = _field_state(incident, entry.field)
    if now["value"] != entry.after["value"]:
        raise CurationError(f"{entry.field} of incident #{incident.id} changed since audit "
                            f"#{entry.id}; undo the later change first")
    _put_field(session, incident, entry.field, _unjson(entry.field, entry.before["value"]),
               entry.before["provenance"])


def _undo_merge(session: Session, entry: AuditEntry) -> None:
    other = entry.before["other"]
    keep_id = entry.before["keep"]["id"]
    for link in other["links"]:
        row = session.scalar(select(IncidentReport).where(IncidentReport.report_id
                                                          == link["report_id"]))
        if row is None or row.incident_id != keep_id:
            raise CurationError(f"report #{link['report_id']} moved since audit #{entry.id}")
    _restore(session, other)
    if entry.before.get("reviews"):
        session.execute(update(ReviewItem).where(ReviewItem.id.in_(entry.before["reviews"]))
                        .values(incident_id=other["id"]))
    keep = _incident(session, keep_id)
    keep.provenance = entry.before["keep"]["columns"]["provenance"]
    _refresh(session, keep_id, other["id"])


def _undo_split(session: Session, entry: AuditEntry) -> None:
    report_id, new_id = entry.after["report_id"], entry.after["incident_id"]
    row = session.scalar(select(IncidentReport).where(IncidentReport.report_id == report_id))
    if row is None or row.incident_id != new_id:
        raise CurationError(f"report #{report_id} moved since audit #{entry.id}")
    _incident(session, entry.before["incident_id"])
    b = entry.before
    _move_link(session, report_id, b["incident_id"], b["method"], b["score"], b["reason"])
    _refresh(session, b["incident_id"], new_id)  # the emptied new incident is deleted


def _undo_review(session: Session, entry: AuditEntry) -> None:
    item = session.get(ReviewItem, entry.before["item_id"])
    if item is None or item.status != entry.after["status"]:
        raise CurationError(f"review item #{entry.before['item_id']} changed since audit "
                            f"#{entry.id}")
    if entry.action == "review_accept":
        link = entry.before["link"]
        source = entry.before["from"]
        if session.get(Incident, source["id"]) is None:
            _restore(session, {**source, "links": [link]})
        else:
            _move_link(session, link["report_id"], source["id"], link["method"], link["score"],
                       link["reason"])
        _refresh(session, entry.incident_id, source["id"])
    item.status, item.decided_by, item.decided_at = "open", None, None


_UNDO: dict[str, Callable[[Session, AuditEntry], None]] = {
    "set_field": _undo_field, "clear_field": _undo_field, "merge": _undo_merge,
    "split": _undo_split, "review_accept": _undo_review, "review_reject": _undo_review,
}


def undo(session: Session, audit_id: int, actor: str) -> AuditEntry:
    """Reverse an audit entry (logged as an "undo" entry pointing at it)."""
    entry = session.get(AuditEntry, audit_id)
    if entry is None:
        raise CurationError(f"no audit entry #{audit_id}")
    if entry.undone_by is not None:
        raise CurationError(f"audit entry #{audit_id} was already undone by #{entry.undone_by}")
    if entry.action not in _UNDO:
        raise CurationError(f"audit entry #{audit_id} ({entry.action}) cannot be undone")
    _UNDO[entry.action](session, entry)
    done = _log(session, actor, "undo", entry.incident_id, entry.field, {"audit_id": entry.id},
                {"undid": entry.action})
    entry = session.get(AuditEntry, audit_id)
    entry.undone_by = done.id
    session.flush()
    return done
