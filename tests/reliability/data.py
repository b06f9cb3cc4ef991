"""Building stored incidents without the extractor (a placeholder on this branch)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, text

from cyberline.link import link_pending
from cyberline.model import Report, SourceDocument
from cyberline.store import Store
from cyberline.store.records import get_or_create_source, save_document, save_report
from cyberline.store.schema import Document

ATTACKS = ["ransomware", "unauthorized_access", "misdelivery", "phishing", "ddos"]


def incident_report(number: int, orgs: int = 40) -> tuple[SourceDocument, Report]:
    """Document and report ``number``: every ``orgs``-th one is a follow-up of an earlier one."""
    org = f"株式会社テスト{number % orgs}"
    day = date(2022, 7, 1) + timedelta(days=number % 60)
    text = f"{org} 第{number}報 不正アクセスについて {day.isoformat()}"
    doc = SourceDocument(url=f"https://x.invalid/notice/{number}", raw=text.encode(), text=text,
                         title=f"notice {number}", external_id=f"notice-{number}")
    report = Report(id=str(number), kind="incident_notice", language="ja", organization=org,
                    disclosure_date=day.isoformat(), attack_type=ATTACKS[number % len(ATTACKS)],
                    country=["JP"], is_followup_report=number >= orgs, affected_persons=number)
    return doc, report


def store_incident_report(store: Store, number: int) -> None:
    """One short transaction: document + report + link, as ingestion does per document."""
    doc, report = incident_report(number)
    with store.session() as session:
        source = get_or_create_source(session, "reliability-test", "test:", "import")
        row, created = save_document(session, doc, source)
        if created:
            save_report(session, row, report, provenance="test")
            link_pending(session)


def document_count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Document))


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every table's content in a comparable form (ids included: a restore keeps them)."""
    queries = {
        "documents": "SELECT id, content_hash, url, text, title, version FROM documents",
        "reports": "SELECT id, document_id, version, is_current, kind, organization FROM reports",
        "incidents": "SELECT id, organization, attack_type, affected_persons FROM incidents",
        "incident_reports": "SELECT id, incident_id, report_id, method FROM incident_reports",
        "sources": "SELECT id, name FROM sources",
    }
    with store.engine.connect() as conn:
        return {name: sorted(tuple(r) for r in conn.execute(text(q)))
                for name, q in queries.items()}
