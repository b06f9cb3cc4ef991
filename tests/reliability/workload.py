"""A child process for the crash tests: incident reports stored and linked, plus curation-like
edits (an incident field and its audit entry in one transaction), one short transaction each.

    python -m tests.reliability.workload --db URL --count N
"""

from __future__ import annotations

import argparse

from sqlalchemy import select

from cyberline.store import Store
from cyberline.store.schema import AuditEntry, Incident, IncidentReport, Report
from tests.reliability.data import store_incident_report

EDIT_EVERY = 5


MOTIVATIONS = ("cybercrime", "hacktivism", "cyber_espionage", "cyber_warfare")


def edited_value(number: int) -> str:
    return MOTIVATIONS[(number // EDIT_EVERY) % len(MOTIVATIONS)]


def edit_incident(store: Store, number: int) -> bool:
    """What a curator's edit does: set a field (person provenance) and record before/after,
    atomically. False when report ``number`` is not stored yet."""
    with store.session() as session:
        incident = session.scalar(
            select(Incident).join(IncidentReport).join(Report)
            .where(Report.data["id"].as_string() == str(number)))
        if incident is None:
            return False
        after = edited_value(number)
        session.add(AuditEntry(actor="workload", action="set_field", incident_id=incident.id,
                               field="motivation", before=incident.motivation, after=after))
        incident.motivation = after
        incident.provenance = {**incident.provenance, "motivation": {"user": "workload"}}
    return True


def edits_shown(store: Store) -> tuple[dict[int, str], dict[int, str]]:
    """(latest audited value per incident, value shown by each person-edited incident): equal
    when every edit was applied whole (field, provenance and audit entry together)."""
    with store.session() as session:
        latest = {a.incident_id: a.after for a in session.scalars(
            select(AuditEntry).order_by(AuditEntry.id))}
        shown = {i.id: i.motivation for i in session.scalars(select(Incident))
                 if "user" in (i.provenance or {}).get("motivation", {})}
    return latest, shown


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    store = Store.open(args.db)
    for number in range(args.count):
        store_incident_report(store, number)
        if number % EDIT_EVERY == 0:
            edit_incident(store, number)
    store.close()


if __name__ == "__main__":
    main()
