"""Storing imported items: each row/object is a Document (its verbatim bytes, so importing the
same file twice adds nothing) plus a Report carrying the file's own labels, then linked.

The format modules only parse: they yield ``ImportItem``s (or ``Skipped`` for bad input, which
is logged with its position and never stops the import).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Iterable

from cyberline.link import link_pending
from cyberline.model import Report, SourceDocument
from cyberline.store import Store
from cyberline.store.records import get_or_create_source, save_document, save_report

log = logging.getLogger(__name__)

COMMIT_EVERY = 500


@dataclass
class ImportItem:
    document: SourceDocument
    report: Report
    original: dict | None = None  # the file's own values, kept in report data["original"]


@dataclass
class Skipped:
    where: str  # "file.csv row 12", "bundle.json object incident--..."
    reason: str


@dataclass
class ImportResult:
    new: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what a foreign file had that did not map
    linked: int = 0


def read_json_file(path: Path) -> object | Skipped:
    """A JSON file's content, or the Skipped that says why it is not one (BOM tolerated)."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Skipped(str(path), f"not a readable JSON file: {exc}")


def provenance_for(path: str | Path) -> str:
    return f"import:{Path(path).name}"[:200]


def _chunks(items: Iterable, size: int):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def store_items(store: Store, items: Iterable[ImportItem | Skipped], *, source_name: str,
                source_url: str, provenance: str) -> ImportResult:
    """Save every item (deduplicated by content hash), link the new reports, report counts.

    One transaction per chunk of items, so a large file never sits in one transaction and an
    interrupted import keeps what it stored (re-running it adds only the rest).
    """
    result = ImportResult()
    for chunk in _chunks(items, COMMIT_EVERY):
        with store.session() as session:
            source = get_or_create_source(session, source_name, source_url, kind="import")
            for item in chunk:
                if isinstance(item, Skipped):
                    log.warning("skipped %s: %s", item.where, item.reason)
                    result.skipped.append(item)
                    continue
                row, created = save_document(session, item.document, source)
                if not created:
                    result.unchanged += 1
                    continue
                report_row = save_report(session, row, item.report, provenance=provenance)
                if item.original is not None:
                    report_row.data = {**report_row.data, "original": item.original}
                result.new += 1
            result.linked += link_pending(session)
    return result
