"""Assertions shared by the reliability tests: what a valid record looks like."""

from __future__ import annotations

from datetime import timezone

from cyberline.collect.decode import clean_text
from cyberline.model import SourceDocument


def assert_storable_text(value: str | None) -> None:
    if value is None:
        return
    assert isinstance(value, str)
    assert clean_text(value) == value, "unstorable characters left in text"
    value.encode("utf-8")


def assert_valid_document(doc: SourceDocument) -> None:
    assert isinstance(doc, SourceDocument)
    assert isinstance(doc.raw, bytes)
    assert isinstance(doc.url, str) and doc.url
    assert_storable_text(doc.url)
    assert_storable_text(doc.text)
    assert_storable_text(doc.title)
    assert_storable_text(doc.external_id)
    if doc.published is not None:
        assert doc.published.tzinfo is not None
        doc.published.astimezone(timezone.utc)
    assert len(doc.content_hash) == 64
