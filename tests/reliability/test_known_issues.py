"""Regression tests for problems the reliability tests found in other parts (now fixed)."""

from __future__ import annotations

from cyberline.store.schema import Incident
from tests.reliability.data import store_incident_report


def test_a_person_set_title_survives_a_follow_up_report(sqlite_url):
    from cyberline.store import Store

    store = Store.open(sqlite_url)
    store_incident_report(store, 0)  # 株式会社テスト0, first notice
    with store.session() as session:
        incident = session.query(Incident).one()
        incident.title = "curated title"
        incident.provenance = {**incident.provenance, "title": {"user": "editor"}}
    store_incident_report(store, 40)  # the same organisation's follow-up joins the incident
    with store.session() as session:
        assert session.query(Incident).one().title == "curated title"
    store.close()
