"""Curation operations: validation, audit log, undo (SQLite and PostgreSQL)."""

from datetime import date

import pytest
from sqlalchemy import func, select

from cyberline.curate import (CurationError, audit_log, clear_field, decide_review,
                              merge_incidents, open_reviews, set_field, split_report, undo)
from cyberline.store.schema import Incident, IncidentReport, OrgAlias
from tests.link.helpers import report, store_report


def _two_incidents(store):
    a = store_report(store, report("株式会社テスト", "2022-08-01", affected_persons=5))
    b = store_report(store, report("Test KK", "2022-08-02", kind="incident_news", language="en"))
    with store.session() as s:
        ids = s.scalars(select(Incident.id).order_by(Incident.id)).all()
    assert len(ids) == 2
    return ids, (a, b)


def test_set_field_validates_and_is_undoable(store):
    (first, _), _ = _two_incidents(store)
    with store.session() as s:
        with pytest.raises(CurationError, match="not one of"):
            set_field(s, first, "attack_type", "hacking", "alice")
        with pytest.raises(CurationError, match="unknown field"):
            set_field(s, first, "colour", "red", "alice")
        with pytest.raises(CurationError, match="whole number"):
            set_field(s, first, "affected_persons", "-3", "alice")
        with pytest.raises(CurationError, match="YYYY-MM-DD"):
            set_field(s, first, "occurred_date", "yesterday", "alice")
        entry = set_field(s, first, "attack_type", "malware", "alice")
        assert entry.before["value"] == "ransomware" and entry.after["value"] == "malware"
        set_field(s, first, "occurred_date", "2022-07-30", "alice")
        set_field(s, first, "country", "jp, us", "alice")
    with store.session() as s:
        incident = s.get(Incident, first)
        assert incident.attack_type == "malware" and incident.occurred_date == date(2022, 7, 30)
        assert incident.countries == ["JP", "US"] and incident.country == "JP"
        undo(s, entry.id, "bob")
        assert s.get(Incident, first).attack_type == "ransomware"
        assert "attack_type" not in s.get(Incident, first).provenance or \
            "user" not in s.get(Incident, first).provenance["attack_type"]
        with pytest.raises(CurationError, match="already undone"):
            undo(s, entry.id, "bob")
        actions = [e.action for e in audit_log(s, first)]
        assert actions[0] == "undo" and "set_field" in actions


def test_undo_refuses_when_the_field_changed_since(store):
    (first, _), _ = _two_incidents(store)
    with store.session() as s:
        one = set_field(s, first, "affected_persons", 10, "alice")
        set_field(s, first, "affected_persons", 20, "alice")
        with pytest.raises(CurationError, match="changed since"):
            undo(s, one.id, "alice")


def test_clear_field_keeps_it_empty(store):
    (first, _), _ = _two_incidents(store)
    with store.session() as s:
        clear_field(s, first, "affected_persons", "alice")
        assert s.get(Incident, first).affected_persons is None
        assert s.get(Incident, first).provenance["affected_persons"]["user"] == "alice"


def test_merge_and_undo_restore_both_incidents(store):
    (first, second), _ = _two_incidents(store)
    with store.session() as s:
        entry = merge_incidents(s, first, second, "alice")
        assert s.get(Incident, second) is None
        links = s.scalars(select(IncidentReport).where(IncidentReport.incident_id == first)).all()
        assert len(links) == 2 and {l.method for l in links} == {"new", "person"}
        assert s.scalar(select(func.count()).select_from(OrgAlias)) == 2
        with pytest.raises(CurationError):
            merge_incidents(s, first, first, "alice")
    with store.session() as s:
        undo(s, entry.id, "alice")
    with store.session() as s:
        assert s.get(Incident, second) is not None
        assert s.get(Incident, second).organization == "Test KK"
        assert len(s.scalars(select(IncidentReport).where(
            IncidentReport.incident_id == first)).all()) == 1


def test_split_and_undo(store):
    store_report(store, report("株式会社テスト", "2022-08-01"))
    rid = store_report(store, report("株式会社テスト", "2022-08-03", is_followup_report=True))
    with store.session() as s:
        old = s.scalar(select(Incident.id))
        new = split_report(s, rid, "alice")
        assert new.id != old
        with pytest.raises(CurationError, match="only report"):
            split_report(s, rid, "alice")
        entry = audit_log(s, old)[0]
        assert entry.action == "split"
        undo(s, entry.id, "alice")
        assert s.get(Incident, new.id) is None
        assert s.scalar(select(func.count()).select_from(Incident)) == 1


def test_review_accept_moves_report_and_undo_restores(store):
    store_report(store, report("株式会社テスト", "2022-08-01"))
    rid = store_report(store, report("株式会社テスト", "2022-08-20"))
    with store.session() as s:
        (item,) = open_reviews(s)
        entry = decide_review(s, item.id, True, "alice")
        assert s.scalar(select(func.count()).select_from(Incident)) == 1
        assert open_reviews(s) == []
        with pytest.raises(CurationError, match="already accepted"):
            decide_review(s, item.id, False, "alice")
        undo(s, entry.id, "alice")
        assert s.scalar(select(func.count()).select_from(Incident)) == 2
        assert [i.report_id for i in open_reviews(s)] == [rid]
        reject = decide_review(s, item.id, False, "bob")
        assert reject.action == "review_reject" and open_reviews(s) == []
