"""Storage on SQLite and PostgreSQL: migrations, deduplication, versions, linking, counting."""

from __future__ import annotations

import time
from datetime import date

import pytest
from sqlalchemy import func, select

from cyberline.analyze import parse_period, period_report
from cyberline.model import Report, SourceDocument
from cyberline.pipeline import ingest
from cyberline.store import Store
from cyberline.store.records import save_document, save_report
from cyberline.store.schema import Document, Incident, IncidentReport, Report as ReportRow
from cyberline.link import link_pending


def _counts(store: Store) -> tuple[int, int, int]:
    with store.session() as s:
        return (s.scalar(select(func.count()).select_from(Document)),
                s.scalar(select(func.count()).select_from(ReportRow)),
                s.scalar(select(func.count()).select_from(Incident)))


def test_open_twice_is_idempotent(db_url):
    Store.open(db_url).close()
    store = Store.open(db_url)
    assert _counts(store) == (0, 0, 0)


def test_ingesting_the_sample_feed_twice_leaves_the_same_counts(store, sample_feed):
    first = ingest(store, [str(sample_feed)])
    assert first.new == 8 and not first.errors
    counts = _counts(store)
    second = ingest(store, [str(sample_feed)])
    assert second.new == 0 and second.unchanged == 8
    assert _counts(store) == counts


def test_changed_document_becomes_a_new_version(store):
    doc = SourceDocument(url="https://x.invalid/n", raw=b"v1", text="v1", external_id="n")
    changed = SourceDocument(url="https://x.invalid/n", raw=b"v2", text="v2", external_id="n")
    with store.session() as s:
        first, created = save_document(s, doc)
        assert created
        again, created_again = save_document(s, doc)
        assert not created_again and again.id == first.id
        second, _ = save_document(s, changed)
        assert second.version == 2 and second.supersedes_id == first.id


def _report(org: str, day: str, **fields) -> Report:
    return Report(id="x", kind="incident_notice", organization=org, disclosure_date=day,
                  attack_type=fields.pop("attack_type", "ransomware"), country=["JP"], **fields)


def _store_report(store: Store, key: str, report: Report) -> None:
    with store.session() as s:
        row, _ = save_document(s, SourceDocument(url=f"https://x.invalid/{key}",
                                                 raw=key.encode(), text=key))
        save_report(s, row, report, provenance="test")
        link_pending(s)


def test_follow_up_joins_the_first_report_and_counts_once(store):
    _store_report(store, "a", _report("株式会社テスト", "2022-08-01"))
    _store_report(store, "b", _report("(株)テスト", "2022-08-05", is_followup_report=True,
                                      affected_persons=12))
    _store_report(store, "c", _report("別会社", "2022-08-03", attack_type="misdelivery"))
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Incident)) == 2
        merged = s.scalar(select(Incident).where(Incident.org_key == "テスト"))
        assert merged.affected_persons == 12
        assert merged.disclosure_date == date(2022, 8, 1)  # the first disclosure
        links = s.scalars(select(IncidentReport).where(IncidentReport.incident_id == merged.id))
        assert sorted(link.method for link in links) == ["auto", "new"]
        data = period_report(s, parse_period("2022-08a"))
    assert data["total"] == 2
    assert data["by_attack_type"]["ransomware"] == {"count": 1, "share": 50.0}
    assert data["japan"]["count"] == 2
    assert len(data["previous"]) == 2


def test_reextraction_keeps_the_incident_link(store):
    _store_report(store, "a", _report("株式会社テスト", "2022-08-01"))
    with store.session() as s:
        doc = s.scalar(select(Document))
        save_report(s, doc, _report("株式会社テスト", "2022-08-01", affected_persons=5), "test")
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ReportRow)) == 2
        current = s.scalar(select(ReportRow).where(ReportRow.is_current.is_(True)))
        assert current.version == 2 and current.link is not None


def test_read_sessions_read_the_same_data(store):
    with store.session() as s:
        s.add(Incident(organization="read me", published=True, provenance={},
                       data_categories=[], reported_to=[]))
    with store.read_session() as s:
        assert s.scalar(select(Incident.organization)) == "read me"


@pytest.mark.postgres
def test_read_sessions_run_outside_a_transaction_on_postgresql(postgres_url):
    """No BEGIN/COMMIT round trips for the web pages: each statement is its own transaction
    (now() is the transaction's start time: it moves between two statements)."""
    store = Store.open(postgres_url)
    try:
        with store.read_session() as s:
            first = s.scalar(select(func.now()))
            time.sleep(0.01)
            assert s.scalar(select(func.now())) > first
        with store.session() as s:  # the writers' sessions are still one transaction
            first = s.scalar(select(func.now()))
            time.sleep(0.01)
            assert s.scalar(select(func.now())) == first
    finally:
        store.close()
