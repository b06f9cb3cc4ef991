"""End-to-end fetch passes against a local server, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import threading
from dataclasses import replace

import pytest
from pypdf import PdfWriter
from sqlalchemy import func, select

from cyberline.collect.fetch import Progress, fetch_pass
from cyberline.collect.sources import SourceSpec, add_source, find_sources
from cyberline.store.schema import Document, FetchState, Report, Source
from tests.support.httpserver import Reply, static

NOTICE_JA = ("<html><head><title>不正アクセスに関するお知らせ</title></head><body><article>"
             "<h1>不正アクセスに関するお知らせ</h1><p>株式会社テストは、2024年8月1日、当社サーバーへの"
             "不正アクセスを確認しました。お客様の個人情報が流出した可能性があります。</p>"
             "<p>深くお詫び申し上げます。</p></article></body></html>")


def rss(items: list[tuple[str, str, str]], truncated: bool = False) -> bytes:
    body = "".join(f"<item><guid>{g}</guid><title>{t}</title><link>{link}</link>"
                   f"<description>{t} の概要</description><pubDate>Thu, 01 Aug 2024 10:00:00 +0900"
                   f"</pubDate></item>" for g, t, link in items)
    xml = f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t</title>{body}"
    xml += "<item><title>cut" if truncated else "</channel></rss>"
    return xml.encode("utf-8")


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose text pypdf can extract (a content stream with a Tj operator)."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=400, height=200)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def counts(store):
    with store.session() as s:
        return (s.scalar(select(func.count()).select_from(Document)),
                s.scalar(select(func.count()).select_from(Report)))


def run(store, settings, *names, **kwargs):
    return fetch_pass(store, find_sources(store, list(names)), settings, **kwargs)


def test_feed_entries_then_304(store, server, fast):
    feed = rss([("g1", "一件目", "urn:x:1"), ("g2", "二件目", "urn:x:2")])
    url = server.route("/feed.xml", static(feed, "application/rss+xml", etag='"f1"'))
    add_source(store, SourceSpec(url, "blog", language="ja", allow_private=True))
    first = run(store, fast)
    assert (first.new, first.unchanged, first.skipped) == (2, 0, [])
    assert counts(store) == (2, 2)
    with store.session() as s:
        doc = s.scalar(select(Document).where(Document.external_id == "g1"))
        assert doc.language == "ja" and doc.published_at.isoformat() == "2024-08-01T01:00:00"
        assert s.scalar(select(Source)).etag == '"f1"'
    second = run(store, fast)
    assert second.sources["blog"].startswith("304") and second.documents == 0
    assert server.hits("/feed.xml")[1].headers["if-none-match"] == '"f1"'
    assert counts(store) == (2, 2)


def test_follow_links_fetches_pages_and_pdfs_with_per_url_validators(store, server, fast):
    sjis = NOTICE_JA.encode("cp932")
    server.route("/n/1.html", static(sjis, "text/html", etag='"p1"'))  # no charset anywhere
    server.route("/n/2.pdf", static(pdf_with_text("Breach notice: unauthorized access"),
                                    "text/html", etag='"p2"'))  # a PDF served as HTML
    server.route("/n/3.pdf", static(b"<html>not a pdf</html>", "application/pdf"))
    feed = rss([("g1", "sjis", server.url("/n/1.html")), ("g2", "pdf", server.url("/n/2.pdf")),
                ("g3", "fake", server.url("/n/3.pdf")), ("g4", "gone", server.url("/n/4.html"))])
    server.route("/feed.xml", static(feed, "application/rss+xml", etag='"f1"'))
    add_source(store, SourceSpec(server.url("/feed.xml"), "notices", follow_links=True,
                                 allow_private=True))
    settings = replace(fast, recheck_after=0)
    first = run(store, settings)
    assert first.new == 2
    reasons = dict(first.skipped)
    assert "not a PDF" in reasons[server.url("/n/3.pdf")]
    assert "HTTP 404" in reasons[server.url("/n/4.html")]
    with store.session() as s:
        page = s.scalar(select(Document).where(Document.url == server.url("/n/1.html")))
        assert "不正アクセスを確認しました" in page.text and page.encoding == "cp932"
        assert page.title == "不正アクセスに関するお知らせ"
        pdf = s.scalar(select(Document).where(Document.url == server.url("/n/2.pdf")))
        assert pdf.content_type == "application/pdf" and "unauthorized access" in pdf.text
        assert pdf.title == "pdf"  # no PDF title: the entry's title
        assert s.scalar(select(func.count()).select_from(FetchState)) == 2
        # Links were skipped, so the feed's validators are not kept: next pass reads it in full.
        assert s.scalar(select(Source)).etag is None
    second = run(store, settings)
    assert (second.new, second.unchanged, len(second.skipped)) == (0, 2, 2)
    assert server.hits("/n/1.html")[1].headers["if-none-match"] == '"p1"'
    assert counts(store) == (2, 2)


def test_a_changed_page_becomes_a_new_version_and_is_reextracted(store, server, fast):
    body = {"v": NOTICE_JA.encode()}
    server.route("/notice.html", lambda r: static(body["v"], "text/html; charset=utf-8")(r))
    add_source(store, SourceSpec(server.url("/notice.html"), "page", kind="page",
                                 allow_private=True))
    assert run(store, fast).new == 1
    assert run(store, fast).unchanged == 1
    # Only the footer changes: same main text, no new version.
    body["v"] = NOTICE_JA.replace("</body>", "<footer>2024-08-02 更新</footer></body>").encode()
    # (trafilatura may or may not keep a footer; either way the count stays consistent)
    third = run(store, fast)
    assert third.new == 0
    body["v"] = NOTICE_JA.replace("深くお詫び", "第2報: 影響範囲を特定しました。深くお詫び").encode()
    fourth = run(store, fast)
    assert fourth.changed == 1
    with store.session() as s:
        latest = s.scalar(select(Document).order_by(Document.version.desc()).limit(1))
        assert latest.version == third.changed + 2 and "第2報" in latest.text
        assert s.scalar(select(func.count()).select_from(Report)) == latest.version


def test_bad_feeds_are_reported_and_good_ones_still_stored(store, server, fast):
    server.route("/cut.xml", static(rss([("g1", "読める", "urn:x:1")], truncated=True),
                                    "application/rss+xml"))
    # Header claims UTF-8 but the feed is Shift_JIS: decoding falls back to detection.
    server.route("/garbage", static(bytes(range(256)) * 40, "text/html"))
    server.route("/boom", lambda r: Reply(500, b""))
    for path in ("/cut.xml", "/garbage", "/boom"):
        add_source(store, SourceSpec(server.url(path), path.strip("/"), allow_private=True))
    summary = run(store, fast)
    assert summary.sources["cut.xml"].startswith("200: ")  # the entries before the cut are kept
    with store.session() as s:
        assert s.scalar(select(Document).where(Document.external_id == "g1")).title == "読める"
    assert "binary content" in summary.sources["garbage"]
    assert summary.sources["boom"] == "error: HTTP 500 after 3 attempts"
    with store.session() as s:
        assert s.scalar(select(Source.last_status).where(Source.name == "boom")).startswith("error")


def test_wrong_charset_header_still_decodes(store, server, fast):
    page = NOTICE_JA.encode("euc-jp")
    server.route("/euc.html", static(page, "text/html; charset=utf-8"))
    add_source(store, SourceSpec(server.url("/euc.html"), "euc", kind="page", allow_private=True))
    assert run(store, fast).new == 1
    with store.session() as s:
        assert "不正アクセスを確認しました" in s.scalar(select(Document.text))


def test_a_loopback_source_without_allow_private_is_refused(store, server, fast):
    server.route("/feed.xml", static(rss([("g", "t", "urn:x")]), "application/rss+xml"))
    add_source(store, SourceSpec(server.url("/feed.xml"), "sneaky"))
    summary = run(store, fast)
    assert "loopback" in summary.sources["sneaky"] and not summary.ok
    assert server.requests == []


def test_stopping_keeps_what_was_stored_and_the_next_pass_finishes(store, server, fast):
    for i in range(6):
        server.route(f"/n/{i}.html", static(NOTICE_JA.replace("テスト", f"テスト{i}").encode(),
                                            "text/html; charset=utf-8"))
    feed = rss([(f"g{i}", f"t{i}", server.url(f"/n/{i}.html")) for i in range(6)])
    server.route("/feed.xml", static(feed, "application/rss+xml", etag='"f"'))
    add_source(store, SourceSpec(server.url("/feed.xml"), "f", follow_links=True,
                                 allow_private=True))
    stop = threading.Event()

    class StopAfterTwo(Progress):
        stored = 0

        def done(self, url, outcome):
            if outcome == "new":
                self.stored += 1
                if self.stored == 2:
                    stop.set()  # what SIGINT/SIGTERM do during `fetch` or `watch`

    first = run(store, replace(fast, concurrency=1), progress=StopAfterTwo(), stop=stop)
    assert first.interrupted and first.new == 2 and "interrupted" in first.sources["f"]
    assert counts(store) == (2, 2)
    with store.session() as s:
        assert s.scalar(select(Source)).etag is None  # incomplete: the feed is read again
    second = run(store, fast)
    assert (second.new, second.unchanged) == (4, 2)
    assert counts(store) == (6, 6)


@pytest.mark.slow
def test_a_feed_with_10000_entries(sqlite_url, server, fast):
    from cyberline.store import Store

    store = Store.open(sqlite_url)
    feed = rss([(f"g{i}", f"entry {i}", f"urn:x:{i}") for i in range(10_000)])
    server.route("/big.xml", static(feed, "application/rss+xml"))
    add_source(store, SourceSpec(server.url("/big.xml"), "big", allow_private=True))
    first = run(store, fast)
    assert first.new == 10_000 and counts(store) == (10_000, 10_000)
    second = run(store, fast)  # no validators: read again, every entry known by its hash
    assert second.unchanged == 10_000 and second.new == 0
