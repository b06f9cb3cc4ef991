"""The whole job as plain functions: inputs -> documents -> reports -> incidents.

The CLI and the web app call these; nothing here prints. Progress is reported through an
optional callback so the CLI can show a rich progress bar.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from cyberline.collect import CollectError, read_local
from cyberline.collect.files import local_files
from cyberline.extract import EXTRACTOR_VERSION, extract_report
from cyberline.link import link_pending, link_report, refresh_incident
from cyberline.model import Report, SourceDocument
from cyberline.store import Store
from cyberline.store.records import get_or_create_source, naive_utc, save_document, save_report
from cyberline.store.search import index_document, index_documents
from cyberline.store.schema import Document, Report as ReportRow, Source

log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    new: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """A batch succeeds when something could be read, even if some inputs failed."""
        return self.new + self.unchanged > 0 or not self.errors


def prepare_report(doc: SourceDocument) -> Report:
    """The report of a document not stored yet: a pure function of the document, so it can run
    in a worker process while the writer stores other documents (its id is set when stored)."""
    published = naive_utc(doc.published)
    return extract_report(doc.text, id="", title=doc.title, url=doc.url,
                          published=published.date() if published else None)


def extract_document(session: Session, document: Document,
                     report: Report | None = None) -> ReportRow:
    """Extract a report from a stored document and store it as a new report version.

    ``report`` is the document's report prepared beforehand by ``prepare_report`` (same text,
    title, URL and date, so the same result); None extracts here."""
    if report is None:
        published = document.published_at.date() if document.published_at else None
        report = extract_report(document.text, id=str(document.id), title=document.title,
                                url=document.url, published=published)
    else:
        report.id = str(document.id)
    row = save_report(session, document, report, provenance=f"extract:{EXTRACTOR_VERSION}")
    if row.link is not None:
        refresh_incident(session, row.link.incident)
    return row


def store_document(session: Session, doc: SourceDocument, source: Source | None, *,
                   report: Report | None = None, source_id: int | None = None) -> str:
    """Store one document, extract and link its report: "new", "changed" (a new version of a
    stored URL or entry) or "unchanged" (same bytes, or same text as the latest version).

    ``report``: the prepared report (see ``prepare_report``); ``source_id`` instead of a loaded
    ``source`` row saves a query per document."""
    row, created = save_document(session, doc, source, source_id=source_id, same_text=True)
    if not created:
        return "unchanged"
    link_report(session, extract_document(session, row, report))
    index_document(session, row.id)
    return "changed" if row.version > 1 else "new"


def store_batch(session: Session, items: Iterable[tuple[SourceDocument, int | None,
                                                      Report | None]]) -> list[str]:
    """Store several documents in the caller's transaction: what ``store_document`` does for
    each, but their reports are linked by one ``link_pending`` call (in disclosure order, so a
    follow-up joins its first report even inside the batch) and indexed in one update.

    ``items``: (document, source id, prepared report or None). Returns each one's outcome."""
    outcomes, reports, documents = [], [], []
    for doc, source_id, report in items:
        row, created = save_document(session, doc, None, source_id=source_id, same_text=True)
        if not created:
            outcomes.append("unchanged")
            continue
        reports.append(extract_document(session, row, report).id)
        documents.append(row.id)
        outcomes.append("changed" if row.version > 1 else "new")
    if reports:
        link_pending(session, reports)
        index_documents(session, documents)
    return outcomes


def store_documents(store: Store, documents: Iterable[SourceDocument], source_name: str,
                    source_url: str, result: IngestResult,
                    kind: str = "file") -> None:
    """Store, extract and link documents, one short transaction per document."""
    for doc in documents:
        with store.session() as session:
            source = get_or_create_source(session, source_name, source_url, kind)
            status = store_document(session, doc, source)
        if status == "unchanged":
            result.unchanged += 1
        else:
            result.new += 1


def ingest(store: Store, inputs: Iterable[str],
           progress: Callable[[str], None] | None = None) -> IngestResult:
    """Ingest local files, folders or file:// URLs (feeds, HTML, text, PDF).

    A bad input is logged with its reason and skipped; the rest of the batch goes on.
    """
    result = IngestResult()
    for item in inputs:
        if progress:
            progress(item)
        try:
            files = local_files(item)
        except CollectError as exc:
            result.errors.append(str(exc))
            continue
        for path in files:  # each file of a folder succeeds or fails on its own
            try:
                documents = list(read_local(path))
            except CollectError as exc:
                # Logged at debug: the caller reports result.errors (the CLI prints each).
                log.debug("skipped %s", exc)
                result.errors.append(str(exc))
                continue
            store_documents(store, documents, source_name=f"local:{item}", source_url=item,
                            result=result)
    return result


def reextract(store: Store) -> int:
    """Extract every document again with the current extractor (new report versions)."""
    count = 0
    with store.session() as session:
        ids = session.scalars(select(Document.id).order_by(Document.id)).all()
    for doc_id in ids:
        with store.session() as session:
            link_report(session, extract_document(session, session.get(Document, doc_id)))
            index_document(session, doc_id)
            count += 1
    return count


__all__ = ["IngestResult", "ingest", "store_documents", "extract_document", "reextract", "Source"]
