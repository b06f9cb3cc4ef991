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


def edit_incident(store: Store, number: int) -> bool:
    """What a curator's edit does: change a field and record before/after, atomically."""
    with store.session() as session:
        incident = session.scalar(
            select(Incident).join(IncidentReport).join(Report)
            .where(Report.data["id"].as_string() == str(number)))
        if incident is None:
            return False
        after = f"edited after report {number}"
        session.add(AuditEntry(actor="workload", action="set_field", incident_id=incident.id,
                               field="title", before=incident.title, after=after))
        incident.title = after
        incident.provenance = {**incident.provenance, "title": {"user": "workload"}}
    return True


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
