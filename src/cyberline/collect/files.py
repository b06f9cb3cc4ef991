"""Local inputs (paths or file:// URLs) -> SourceDocuments, sniffing what each file really is."""

from __future__ import annotations

import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Iterator

from cyberline.collect.decode import decode_bytes, looks_binary
from cyberline.collect.errors import CollectError
from cyberline.collect.feeds import looks_like_feed, parse_feed
from cyberline.collect.html import main_text, page_title
from cyberline.collect.pdf import is_pdf, pdf_text
from cyberline.model import SourceDocument

MAX_FILE_BYTES = 50 * 1024 * 1024


def local_path(path_or_url: str) -> Path:
    if path_or_url.startswith("file:"):
        return Path(urllib.request.url2pathname(urllib.parse.urlparse(path_or_url).path))
    return Path(path_or_url)


def documents_from_bytes(data: bytes, where: str, url: str,
                         published: datetime | None = None,
                         content_type: str | None = None,
                         charset: str | None = None) -> Iterator[SourceDocument]:
    """Sniff the bytes (feed, PDF, HTML, text) and yield the documents they hold."""
    if not data.strip():
        raise CollectError(where, "empty input")
    if is_pdf(data):
        text, title = pdf_text(data, where)
        yield SourceDocument(url=url, raw=data, text=text, title=title, published=published,
                             content_type="application/pdf")
        return
    if looks_binary(data):
        raise CollectError(where, "binary content that is neither a feed, a page, a PDF nor text")
    if looks_like_feed(data):
        yield from parse_feed(data, where)
        return
    text, encoding = decode_bytes(data, charset)
    if "\ufffd" in text[:5000] and text[:5000].count("\ufffd") > 20:
        raise CollectError(where, f"text in an unknown encoding (best guess {encoding} fails)")
    head = text[:4096].lower()
    if "<html" in head or "<body" in head or "<!doctype html" in head or "<p>" in head:
        body = main_text(text)
        if not body.strip():
            raise CollectError(where, "HTML page without text")
        yield SourceDocument(url=url, raw=data, text=body, title=page_title(text),
                             published=published, encoding=encoding,
                             content_type=content_type or "text/html")
        return
    yield SourceDocument(url=url, raw=data, text=text.strip(), title=None, published=published,
                         encoding=encoding, content_type=content_type or "text/plain")


def read_local(path_or_url: str) -> Iterator[SourceDocument]:
    """Documents of one file, or of every file in a folder (sorted, recursively)."""
    path = local_path(path_or_url)
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            yield from read_local(str(child))
        return
    where = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CollectError(where, exc.strerror or str(exc)) from exc
    if size > MAX_FILE_BYTES:
        raise CollectError(where, f"file of {size} bytes is over the {MAX_FILE_BYTES} byte limit")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CollectError(where, exc.strerror or str(exc)) from exc
    # A file's mtime is no publication date: extraction reads the date from the text.
    for doc in documents_from_bytes(data, where, url=path.resolve().as_uri()):
        doc.source_name = doc.source_name or "local"
        yield doc
