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


def save_document(session: Session, doc: SourceDocument, source: Source | None = None, *,
                  source_id: int | None = None,
                  same_text: bool = False) -> tuple[Document, bool]:
    """Store a document unless the same bytes are stored already. Returns (row, created).

    A document with the same external id (or URL) but new bytes becomes a new version that
    supersedes the previous one; the old row stays. With ``same_text``, new bytes whose main text
    equals the latest version's (a new date in the footer, a rotated ad) are no new version
    either: (latest row, False). ``source_id`` may stand in for ``source``.

    Two indexed queries of a few columns; the row itself is loaded only when it is returned
    without being created.
    """
    digest = doc.content_hash
    existing = session.scalar(select(Document.id).where(Document.content_hash == digest))
    if existing is not None:
        return session.get(Document, existing), False
    key = doc.external_id or doc.url
    previous = session.execute(
        select(Document.id, Document.version, Document.text)
        .where((Document.external_id == key) if doc.external_id else (Document.url == key))
        .order_by(Document.version.desc())
        .limit(1)
    ).first()
    if same_text and previous is not None and doc.text and previous.text == doc.text:
        return session.get(Document, previous.id), False
    row = Document(
        source_id=source.id if source is not None else source_id,
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
    versions = session.execute(select(ReportRow.id, ReportRow.version, ReportRow.is_current)
                               .where(ReportRow.document_id == document.id)).all()
    latest = max((v.version for v in versions), default=None)
    current = [v.id for v in versions if v.is_current]
    previous = session.get(ReportRow, current[0]) if current else None
    if current:  # a new document has no reports: nothing to retire
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
    if previous is None or previous.link is None:
        row.link = None  # known: no incident yet (saves a lazy load); linking sets it
    session.add(row)
    session.flush()
    # The new version takes over the old one's place in its incident (the caller refreshes it).
    if previous is not None and previous.link is not None:
        previous.link.report = row
        session.flush()
    return row
