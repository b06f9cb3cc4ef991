"""Collection: inputs (files, feeds, pages, PDFs, imports) -> SourceDocuments."""

from cyberline.collect.errors import CollectError
from cyberline.collect.files import documents_from_bytes, read_local

__all__ = ["CollectError", "documents_from_bytes", "read_local"]
