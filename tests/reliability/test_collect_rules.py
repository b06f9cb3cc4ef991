"""Unit tests for each hardening rule in cyberline.collect."""

from __future__ import annotations

import gzip
import logging

import pytest

from cyberline.collect import CollectError
from cyberline.collect.decode import clean_text, decode_bytes
from cyberline.collect.feeds import declares_entities, drop_invalid_char_refs, parse_feed, \
    parse_feed_date
from cyberline.collect.files import documents_from_bytes, gunzip
from cyberline.collect.html import fragment_text, page_title
from cyberline.collect.pdf import MAX_PAGES, pdf_text
from tests.reliability import nasty


def test_clean_text_drops_nul_controls_and_surrogates_but_keeps_layout():
    assert clean_text("a\x00b\x07c\ud800d\te\nf\r") == "abcd\te\nf\r"


def test_declared_non_text_codecs_are_ignored():
    assert decode_bytes(b'<meta charset="rot13">abc') == ('<meta charset="rot13">abc', "utf-8")
    text, encoding = decode_bytes('<meta charset="shift_jis">お知らせ'.encode("cp932"))
    assert (text.endswith("お知らせ"), encoding) == (True, "cp932")


def test_mixed_utf8_and_cp932_page_is_read_whole():
    text, encoding = decode_bytes(nasty.mixed_encodings())
    assert encoding == "utf-8" and text.count("不正アクセス") == 4  # title + body, twice


def test_invalid_character_references_are_dropped_valid_ones_kept():
    assert drop_invalid_char_refs(b"a&#0;b&#xD800;c&#x1F600;&#65;&#99999999;") == \
        b"ab c&#x1F600;&#65;".replace(b" ", b"")


def test_entity_declarations_are_found_in_utf8_and_utf16():
    assert declares_entities(nasty.billion_laughs())
    assert declares_entities(nasty.billion_laughs(encoding="utf-16"))
    assert not declares_entities(b'<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN"><rss/>')


def test_feed_entry_without_usable_link_falls_back_to_id_then_source():
    feed = (b"<rss><channel><item><title>a</title><link>\x08</link><guid>g-1</guid>"
            b"<description>x</description></item><item><title>b</title>"
            b"<description>y</description></item></channel></rss>")
    docs = list(parse_feed(feed, "feed.xml"))
    assert [d.url for d in docs] == ["g-1", "feed.xml"]


@pytest.mark.parametrize("raw", ["2022-08-01T10:00:00+99:00", "0001-01-01T00:00:00+09:00",
                                 "99999年1月1日", "0001年1月1日", "x" * 1000, "2022年13月1日"])
def test_unusable_feed_dates_are_none(raw):
    assert parse_feed_date(raw) is None


def test_feed_dates_still_parse():
    assert parse_feed_date("2022年8月1日 10:30").isoformat() == "2022-08-01T10:30:00+09:00"
    assert parse_feed_date("Mon, 01 Aug 2022 10:00:00 GMT").isoformat() == \
        "2022-08-01T10:00:00+00:00"


def test_gunzip_reads_every_member_and_refuses_over_the_limit():
    assert gunzip(gzip.compress(b"one ") + gzip.compress(b"two"), "x") == b"one two"
    with pytest.raises(CollectError, match="over 100 bytes"):
        gunzip(gzip.compress(bytes(1000)), "x", limit=100)
    with pytest.raises(CollectError, match="broken gzip"):
        gunzip(b"\x1f\x8b" + b"\xff" * 20, "x")


def test_zip_members_become_documents_and_a_bad_member_is_skipped(caplog):
    data = nasty.zip_of({"b.txt": b"second", "a.txt": b"first", "c.bin": b"\x00" * 100})
    with caplog.at_level(logging.ERROR):
        docs = list(documents_from_bytes(data, "in.zip", url="file:///in.zip"))
    assert [(d.url, d.text) for d in docs] == [("file:///in.zip#a.txt", "first"),
                                               ("file:///in.zip#b.txt", "second")]
    assert "in.zip!c.bin" in caplog.text


def test_pdf_pages_beyond_the_cap_are_not_read(caplog):
    text, title = pdf_text(nasty.pdf_bytes(pages=MAX_PAGES + 50, text="page"), "big.pdf")
    assert text.count("page") == MAX_PAGES and title == "Notice"
    assert f"first {MAX_PAGES}" in caplog.text


def test_unclosed_script_swallows_the_rest_like_a_browser():
    assert fragment_text("<p>a</p><script>var x<p>b</p>") == "a"
    assert fragment_text("<p>a</p><SCRIPT>x</script ><p>b</p>") == "a\nb"


def test_page_title_needs_a_closed_title():
    assert page_title("<title>T &amp; U</title>") == "T & U"
    assert page_title("<title>never closed") is None
