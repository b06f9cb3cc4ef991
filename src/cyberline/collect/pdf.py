"""PDF -> text (pypdf).

PDFs from the web are often broken (bad xref tables, truncated streams) and sometimes hostile
(page trees of many thousand pages, compression bombs). pypdf repairs what it can in
non-strict mode and caps decompressed streams itself; here pages and text are capped too.
"""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader

from cyberline.collect.decode import clean_text
from cyberline.collect.errors import CollectError

logging.getLogger("pypdf").setLevel(logging.ERROR)

MAX_PAGES = 200
MAX_TEXT_CHARS = 2_000_000


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def _title(reader: PdfReader) -> str | None:
    try:
        title = (reader.metadata or {}).get("/Title")
    except Exception:  # noqa: BLE001 - a broken info dictionary costs only the title
        return None
    return clean_text(str(title)).strip() or None if title else None


def pdf_text(data: bytes, where: str) -> tuple[str, str | None]:
    """Text of the first MAX_PAGES pages and the title; CollectError when there is no text."""
    if not is_pdf(data):
        raise CollectError(where, "not a PDF (no %PDF- header)")
    pages: list[str] = []
    size = 0
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        count = len(reader.pages)
        # Index page by page: slicing reader.pages would build every page object first.
        for number in range(min(count, MAX_PAGES)):
            text = clean_text(reader.pages[number].extract_text() or "").strip()
            pages.append(text)
            size += len(text)
            if size >= MAX_TEXT_CHARS:
                break
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on hostile files
        raise CollectError(where, f"unreadable PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n".join(p for p in pages if p)[:MAX_TEXT_CHARS]
    if not text:
        raise CollectError(where, "PDF has no extractable text (scanned image?)")
    if count > MAX_PAGES:
        logging.getLogger(__name__).warning("%s: PDF has %d pages; text of the first %d kept",
                                            where, count, MAX_PAGES)
    return text, _title(reader)
