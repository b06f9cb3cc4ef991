"""Local inputs (paths or file:// URLs) -> SourceDocuments, sniffing what each file really is.

Limits keep hostile inputs bounded: a file over MAX_FILE_BYTES is refused before it is read, a
.gz or .zip is decompressed only up to the same limit (a compression bomb is refused, not
expanded), and archives inside archives are refused.
"""

from __future__ import annotations

import io
import logging
import urllib.parse
import urllib.request
import zipfile
import zlib
from datetime import datetime
from pathlib import Path
from typing import Iterator

from cyberline.collect.decode import clean_text, decode_bytes, looks_binary
from cyberline.collect.errors import CollectError
from cyberline.collect.feeds import looks_like_feed, parse_feed
from cyberline.collect.html import main_text, page_title
from cyberline.collect.pdf import is_pdf, pdf_text
from cyberline.model import SourceDocument

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 10_000
_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"


def local_path(path_or_url: str) -> Path:
    if path_or_url.startswith("file:"):
        return Path(urllib.request.url2pathname(urllib.parse.urlparse(path_or_url).path))
    return Path(path_or_url)


def gunzip(data: bytes, where: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """Decompress every gzip member, refusing output over ``limit`` bytes."""
    out = bytearray()
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(data, limit + 1 - len(out))
        except zlib.error as exc:
            raise CollectError(where, f"broken gzip data ({exc})") from exc
        if len(out) > limit:
            raise CollectError(where, f"gzip data expands to over {limit} bytes (refused)")
        if not inflater.eof:
            raise CollectError(where, "truncated gzip data")
        data = inflater.unused_data.lstrip(b"\x00")  # padding after the last member
        if data and not data.startswith(_GZIP_MAGIC):
            break  # trailing garbage after a complete member: keep what was read
    return bytes(out)


def _zip_members(data: bytes, where: str) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each file in a zip, with the total size capped at MAX_FILE_BYTES."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise CollectError(where, f"broken zip archive ({exc})") from exc
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise CollectError(where, f"zip with {len(infos)} files (over {MAX_ARCHIVE_MEMBERS})")
    budget = MAX_FILE_BYTES
    for info in sorted(infos, key=lambda i: i.filename):
        try:
            # Read at most what is left of the budget: declared sizes in the header can lie.
            with archive.open(info) as member:
                content = member.read(budget + 1)
        except Exception as exc:  # noqa: BLE001 - zipfile raises many types on bad members
            raise CollectError(f"{where}!{info.filename}",
                               f"unreadable zip member ({type(exc).__name__}: {exc})") from exc
        budget -= len(content)
        if budget < 0:
            raise CollectError(where, f"zip expands to over {MAX_FILE_BYTES} bytes (refused)")
        yield info.filename, content


def _documents(data: bytes, where: str, url: str, published: datetime | None,
               content_type: str | None, charset: str | None,
               in_archive: bool) -> Iterator[SourceDocument]:
    if not data.strip():
        raise CollectError(where, "empty input")
    if data.startswith(_GZIP_MAGIC) or data.startswith(_ZIP_MAGIC):
        if in_archive:
            raise CollectError(where, "archive inside an archive (refused)")
        if data.startswith(_GZIP_MAGIC):
            yield from _documents(gunzip(data, where), where, url, published, None, charset,
                                  in_archive=True)
            return
        for name, content in _zip_members(data, where):
            try:
                yield from _documents(content, f"{where}!{name}", f"{url}#{name}", published,
                                      None, None, in_archive=True)
            except CollectError as exc:
                log.error("skipped %s", exc)  # one bad member does not lose the others
        return
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
        body = clean_text(main_text(text))
        if not body.strip():
            raise CollectError(where, "HTML page without text")
        title = page_title(text)
        yield SourceDocument(url=url, raw=data, text=body,
                             title=clean_text(title) if title else None,
                             published=published, encoding=encoding,
                             content_type=content_type or "text/html")
        return
    if not text.strip():
        raise CollectError(where, "no text")
    yield SourceDocument(url=url, raw=data, text=text.strip(), title=None, published=published,
                         encoding=encoding, content_type=content_type or "text/plain")


def documents_from_bytes(data: bytes, where: str, url: str,
                         published: datetime | None = None,
                         content_type: str | None = None,
                         charset: str | None = None) -> Iterator[SourceDocument]:
    """Sniff the bytes (gzip, zip, feed, PDF, HTML, text) and yield the documents they hold.

    Yields valid documents or raises CollectError; no other exception escapes.
    """
    if len(data) > MAX_FILE_BYTES:
        raise CollectError(where, f"input of {len(data)} bytes is over the {MAX_FILE_BYTES} "
                                  "byte limit")
    yield from _documents(data, where, url, published, content_type, charset, in_archive=False)


def _read_file(path: Path) -> Iterator[SourceDocument]:
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


def local_files(path_or_url: str) -> list[str]:
    """The files an input names: itself, or every file below a folder (sorted)."""
    path = local_path(path_or_url)
    if not path.is_dir():
        return [path_or_url]
    try:
        return [str(p) for p in sorted(p for p in path.rglob("*") if p.is_file())]
    except OSError as exc:
        raise CollectError(str(path), exc.strerror or str(exc)) from exc


def read_local(path_or_url: str) -> Iterator[SourceDocument]:
    """Documents of one file, or of every file in a folder (sorted, recursively).

    A bad file inside a folder is logged and skipped so that it does not cost the others; a
    bad single file (or a missing path) raises CollectError.
    """
    path = local_path(path_or_url)
    if not path.is_dir():
        yield from _read_file(path)
        return
    for child in local_files(path_or_url):
        try:
            documents = list(_read_file(Path(child)))
        except CollectError as exc:
            log.error("skipped %s", exc)
            continue
        yield from documents
