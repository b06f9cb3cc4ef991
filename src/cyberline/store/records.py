"""Writing pipeline records into the database: documents (deduplicated) and report versions."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cyberline.link.orgkey import org_key
from cyberline.model import Report, SourceDocument, parse_day
from cyberline.store.schema import Document, Report as ReportRow, Source


def naive_utc(value: datetime | None) -> datetime | None:
    """Datetimes are stored as naive UTC (the same on SQLite and PostgreSQL)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def get_or_create_source(session: Session, name: str, url: str, kind: str = "file") -> Source:
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:
        source = Source(name=name, url=url, kind=kind)
        session.add(source)
        session.flush()
    return source


def save_document(session: Session, doc: SourceDocument,
                  source: Source | None = None) -> tuple[Document, bool]:
    """Store a document unless the same bytes are stored already. Returns (row, created).

    A document with the same external id (or URL) but new bytes becomes a new version that
    supersedes the previous one; the old row stays.
    """
    digest = doc.content_hash
    existing = session.scalar(select(Document).where(Document.content_hash == digest))
    if existing is not None:
        return existing, False
    key = doc.external_id or doc.url
    previous = session.scalar(
        select(Document)
        .where((Document.external_id == key) if doc.external_id else (Document.url == key))
        .order_by(Document.version.desc())
        .limit(1)
    )
    row = Document(
        source_id=source.id if source else None,
        url=doc.url,
        external_id=doc.external_id,
        content_hash=digest,
        raw=doc.raw,
        encoding=doc.encoding,
        content_type=doc.content_type,
        title=doc.title,
        text=doc.text,
        language=doc.language,
        published_at=naive_utc(doc.published),
        version=(previous.version + 1) if previous else 1,
        supersedes_id=previous.id if previous else None,
    )
    session.add(row)
    session.flush()
    return row, True


def save_report(session: Session, document: Document, report: Report,
                provenance: str) -> ReportRow:
    """Add a report version for a document; earlier versions stay but are no longer current."""
    latest = session.scalar(
        select(ReportRow.version).where(ReportRow.document_id == document.id)
        .order_by(ReportRow.version.desc()).limit(1)
    )
    previous = session.scalar(select(ReportRow).where(ReportRow.document_id == document.id,
                                                       ReportRow.is_current.is_(True)))
    session.execute(update(ReportRow).where(ReportRow.document_id == document.id)
                    .values(is_current=False))
    data = report.to_json()
    row = ReportRow(
        document_id=document.id,
        version=(latest or 0) + 1,
        is_current=True,
        provenance=provenance,
        data=data,
        kind=report.kind,
        language=report.language,
        organization=report.organization,
        org_key=org_key(report.organization),
        disclosure_date=parse_day(report.disclosure_date),
        attack_type=report.attack_type,
        is_followup=report.is_followup_report,
    )
    session.add(row)
    session.flush()
    # The new version takes over the old one's place in its incident (the caller refreshes it).
    if previous is not None and previous.link is not None:
        previous.link.report = row
        session.flush()
    return row
