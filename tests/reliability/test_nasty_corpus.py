"""Nasty real-world input shapes: each gives a clear CollectError or valid documents, within
bounded time and memory, and every document that comes out can be stored on both backends."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from typing import Callable

import pytest

from cyberline.collect import CollectError, read_local
from cyberline.collect.files import MAX_FILE_BYTES, documents_from_bytes
from cyberline.collect.html import fragment_text, main_text, page_title
from cyberline.pipeline import ingest
from tests.reliability import nasty
from tests.reliability.bounds import measured
from tests.reliability.checks import assert_valid_document


@dataclass
class Case:
    name: str
    build: Callable[[], bytes]
    expect: str  # "docs", or a substring of the CollectError
    seconds: float = 5.0
    megabytes: float = 300.0
    contains: str | None = None  # text the first document must contain


CASES = [
    Case("mojibake.txt", nasty.mojibake, "docs"),
    Case("mixed-encodings.html", nasty.mixed_encodings, "docs", contains="不正アクセス"),
    Case("nul-bytes.txt", lambda: ("\x00".join(nasty.NOTICE.split("、"))).encode(), "docs",
         contains="不正アクセス"),
    Case("nul-flood.bin", lambda: b"\x00" * 100_000, "binary content"),
    Case("utf16-with-bom.txt", lambda: nasty.NOTICE.encode("utf-16"), "docs",
         contains="不正アクセス"),
    Case("declared-rot13.html", lambda: b'<meta charset="rot13">' + nasty.html_page(
        "<p>plain words</p>").encode(), "docs", contains="plain words"),
    Case("declared-base64.html", lambda: b'<meta charset="base64">' + nasty.html_page(
        "<p>plain words</p>").encode(), "docs", contains="plain words"),
    Case("single-line-10mb.html", lambda: nasty.html_page(
        "<p>" + "データ " * 1_700_000 + "</p>").encode(), "docs", seconds=20, megabytes=900),
    Case("nested-100k-divs.html", lambda: nasty.html_page(
        "<div>" * 100_000 + "深い本文" + "</div>" * 100_000).encode(), "docs", seconds=20,
         megabytes=600),
    Case("unclosed-tags-2mb.html", lambda: ("<html><body><p>x" + "<" * 2_000_000).encode(),
         "docs", seconds=20),
    Case("unclosed-scripts.html", lambda: ("<html><body><p>text</p>" + "<script " * 200_000)
         .encode(), "docs", seconds=20),
    Case("title-flood.html", lambda: ("<html>" + "<title " * 100_000 + "<p>body</p>").encode(),
         "docs", seconds=20),
    Case("billion-laughs.xml", nasty.billion_laughs, "declares XML entities"),
    Case("billion-laughs-utf16.xml", lambda: nasty.billion_laughs(encoding="utf-16"),
         "declares XML entities"),
    Case("xxe.xml", nasty.xxe_feed, "declares XML entities"),
    Case("gzip-bomb.gz", lambda: nasty.zeros_gzip(MAX_FILE_BYTES + (10 << 20)), "refused",
         seconds=10, megabytes=400),
    Case("zip-bomb.zip", lambda: nasty.zeros_zip(MAX_FILE_BYTES + (10 << 20)), "refused",
         seconds=10, megabytes=400),
    Case("gzip-in-gzip.gz", lambda: gzip.compress(gzip.compress(b"hello")), "archive inside"),
    Case("truncated.gz", lambda: gzip.compress(nasty.NOTICE.encode() * 50)[:60], "truncated"),
    Case("page.html.gz", lambda: gzip.compress(nasty.html_page(f"<p>{nasty.NOTICE}</p>")
                                               .encode("cp932")), "docs", contains="不正アクセス"),
    Case("notices.zip", lambda: nasty.zip_of({"a.txt": nasty.NOTICE.encode(),
                                              "b.bin": b"\x00" * 5000}), "docs",
         contains="不正アクセス"),
    Case("broken-xref.pdf", lambda: nasty.pdf_bytes(broken_xref=True), "docs",
         contains="Unauthorized"),
    Case("truncated.pdf", lambda: nasty.pdf_bytes()[:300], "PDF"),
    Case("5000-pages.pdf", lambda: nasty.pdf_bytes(pages=5_000), "docs", seconds=20,
         megabytes=600, contains="Unauthorized"),
    Case("feed-with-surrogate-refs.xml", lambda: b"<rss><channel><item><title>a&#xD800;b</title>"
         b"<description>&#55296;x&#0;y</description></item></channel></rss>", "docs"),
]


def _run(case: Case, data: bytes):
    return list(documents_from_bytes(data, case.name, url=f"https://x.invalid/{case.name}"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_nasty_input_is_a_clear_error_or_valid_documents(case):
    data = case.build()
    with measured() as usage:
        try:
            docs = _run(case, data)
            error = None
        except CollectError as exc:
            docs, error = [], str(exc)
    if case.expect == "docs":
        assert error is None and docs, error
        for doc in docs:
            assert_valid_document(doc)
        if case.contains:
            assert case.contains in docs[0].text
    else:
        assert error is not None and case.expect in error and case.name in error
    assert usage.seconds < case.seconds, f"{case.name}: {usage.seconds:.1f}s"
    if usage.peak_mb is not None:
        assert usage.peak_mb < case.megabytes, f"{case.name}: {usage.peak_mb:.0f} MB"


def test_html_helpers_are_linear_on_unclosed_markup():
    for markup in ("<" * 1_000_000, "<script " * 200_000, "<title " * 200_000,
                   "<style>" * 200_000, "<a " * 300_000):
        with measured() as usage:
            fragment_text(markup)
            page_title(markup)
        assert usage.seconds < 5, (markup[:10], usage.seconds)


def test_main_text_survives_deep_nesting_and_keeps_the_text():
    markup = nasty.html_page("<div>" * 100_000 + "深い本文です" + "</div>" * 100_000)
    assert "深い本文です" in main_text(markup)


def test_every_surviving_document_can_be_stored(store, tmp_path):
    """NUL bytes, surrogates and odd encodings must not break an INSERT on either backend."""
    inputs = tmp_path / "inputs"  # apart from the SQLite file the store keeps in tmp_path
    inputs.mkdir()
    for case in CASES:
        if case.expect == "docs" and case.megabytes <= 300:
            (inputs / case.name).write_bytes(case.build())
    (inputs / "gzip-bomb.gz").write_bytes(nasty.zeros_gzip(MAX_FILE_BYTES + (2 << 20)))
    result = ingest(store, [str(inputs)])
    # A bad file inside a folder is one skip with its reason, not a lost folder.
    assert len(result.errors) == 1 and "gzip-bomb.gz" in result.errors[0]
    assert result.new >= sum(1 for c in CASES if c.expect == "docs" and c.megabytes <= 300)
    again = ingest(store, [str(inputs)])
    assert again.new == 0 and again.unchanged == result.new


def test_a_bad_file_in_a_folder_is_skipped_with_a_logged_reason(tmp_path, caplog):
    (tmp_path / "a.txt").write_text(nasty.NOTICE, encoding="utf-8")
    (tmp_path / "b.xml").write_bytes(nasty.billion_laughs())
    (tmp_path / "c.txt").write_text("second notice", encoding="utf-8")
    docs = list(read_local(str(tmp_path)))
    assert [d.text for d in docs] == [nasty.NOTICE, "second notice"]
    assert "b.xml" in caplog.text and "declares XML entities" in caplog.text


def test_a_single_bad_file_is_still_an_error(tmp_path):
    path = tmp_path / "bomb.gz"
    path.write_bytes(nasty.zeros_gzip(MAX_FILE_BYTES + (2 << 20)))
    with pytest.raises(CollectError, match="bomb.gz.*refused"):
        list(read_local(str(path)))
