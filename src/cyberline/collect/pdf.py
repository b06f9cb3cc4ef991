"""PDF -> text (pypdf)."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from cyberline.collect.errors import CollectError

logging.getLogger("pypdf").setLevel(logging.ERROR)

MAX_PAGES = 200


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def pdf_text(data: bytes, where: str) -> tuple[str, str | None]:
    """Text of all pages and the document title; CollectError when it is no PDF or has no text."""
    if not is_pdf(data):
        raise CollectError(where, "not a PDF (no %PDF- header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise CollectError(where, f"unreadable PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise CollectError(where, "PDF has no extractable text (scanned image?)")
    return text, str(title) if title else None
