"""Property tests: every parser returns a valid record or raises the project's own error
(CollectError, PeriodError) on any input, never anything else.

Examples per parser: profile "reliability" (300) in the normal suite, "nightly" (10,000) with
HYPOTHESIS_PROFILE=nightly (see tests/reliability/profiles.py and docs/reliability.md).
"""

from __future__ import annotations

import gzip
from datetime import date, timezone

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cyberline.analyze.periods import Period, PeriodError, parse_period
from cyberline.collect import CollectError
from cyberline.collect.decode import clean_text, decode_bytes
from cyberline.collect.feeds import parse_feed, parse_feed_date
from cyberline.collect.files import documents_from_bytes
from cyberline.collect.html import fragment_text, main_text, page_title
from cyberline.collect.pdf import pdf_text
from tests.reliability import nasty
from tests.reliability.checks import assert_storable_text, assert_valid_document
from tests.reliability.profiles import PARSER_SETTINGS, scaled

ENCODINGS = ["utf-8", "cp932", "euc_jis_2004", "iso2022_jp", "utf-16", "latin-1", "gb18030"]
JA = st.text(alphabet=st.characters(min_codepoint=0x3000, max_codepoint=0x30FF), max_size=40)
ANY_TEXT = st.one_of(st.text(max_size=300), JA,
                     st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=300))
TAGS = ["<p>", "</p>", "<div>", "</div>", "<br>", "<script>", "</script>", "<style>",
        "<title>", "</title>", "<html>", "<body>", "<!--", "-->", "<![CDATA[", "]]>", "<",
        ">", "&amp;", "&#0;", "&#xD800;", "&#1114112;", "&lol;", "<a href='x'>", "</a>",
        "<table><tr><td>", "\x00", "\ufeff"]
MARKUP = st.lists(st.one_of(st.sampled_from(TAGS), ANY_TEXT), max_size=40).map("".join)


def _valid_docs(data: bytes, where: str = "input") -> None:
    try:
        docs = list(documents_from_bytes(data, where, url="https://x.invalid/doc"))
    except CollectError as exc:
        assert where in str(exc)
        return
    assert docs
    for doc in docs:
        assert_valid_document(doc)


# --- decode ---------------------------------------------------------------------------------

@PARSER_SETTINGS
@given(st.binary(max_size=3000), st.one_of(st.none(), st.text(max_size=20),
                                            st.sampled_from(ENCODINGS + ["rot13", "base64",
                                                                         "idna", "zlib"])))
def test_decode_bytes_returns_storable_text_and_a_real_codec(data, declared):
    import codecs

    text, encoding = decode_bytes(data, declared)
    assert_storable_text(text)
    codecs.lookup(encoding)


@PARSER_SETTINGS
@given(st.text(max_size=300), st.sampled_from(ENCODINGS))
def test_decode_bytes_reads_text_declared_in_its_encoding(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    try:
        # What the codec itself reads (cp932 maps a few characters one way: ¢ -> ￠) ...
        expected = clean_text(data.decode(encoding))
    except UnicodeDecodeError:
        assume(False)  # ... when it can read its own output (iso2022_jp cannot for "\x1b")
    decoded, _ = decode_bytes(data, encoding)
    if encoding == "utf-8":
        expected = expected.removeprefix("\ufeff")  # a leading BOM is the BOM, not text
    assert decoded == expected


# --- feeds ----------------------------------------------------------------------------------

DATE_PIECES = st.one_of(
    st.text(max_size=60),
    st.builds(lambda y, m, d, h, mi: f"{y:04d}年{m}月{d}日 {h}:{mi}", st.integers(0, 99999),
              st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
    st.builds(lambda d, tz: f"{d.isoformat()}T10:00:00{tz}", st.dates(),
              st.sampled_from(["", "Z", "+09:00", "-23:59", "+99:00", "+2400", " JST", " XYZ"])),
    st.builds(lambda d: d.strftime("%a, %d %b %Y 00:00:00 GMT"), st.dates()),
)


@PARSER_SETTINGS
@given(DATE_PIECES)
def test_parse_feed_date_gives_none_or_a_storable_aware_datetime(raw):
    value = parse_feed_date(raw)
    if value is not None:
        assert value.tzinfo is not None
        value.astimezone(timezone.utc)


def _entry(title: str, body: str, raw_date: str, link: str) -> str:
    return (f"<item><title>{title}</title><link>{link}</link><pubDate>{raw_date}</pubDate>"
            f"<description>{body}</description></item>")


FEEDS = st.builds(
    lambda entries, lang, prolog: (f'{prolog}<rss version="2.0"><channel><title>t</title>'
                                   f"<language>{lang}</language>{''.join(entries)}"
                                   "</channel></rss>"),
    st.lists(st.builds(_entry, MARKUP, MARKUP, DATE_PIECES, ANY_TEXT), max_size=5),
    ANY_TEXT,
    st.sampled_from(["", '<?xml version="1.0"?>', '<?xml version="1.0" encoding="shift_jis"?>',
                     '<!DOCTYPE rss [<!ENTITY a "b">]>']),
)


@scaled(0.5)  # two parses per example: 300 feeds per run
@given(FEEDS, st.sampled_from(["utf-8", "cp932", "utf-16"]), st.integers(0, 4000))
def test_parse_feed_yields_valid_documents_or_collect_error(feed, encoding, cut):
    data = feed.encode(encoding, errors="replace")
    for candidate in (data, data[:cut]):  # whole, and truncated at a random byte
        try:
            docs = list(parse_feed(candidate, "feed.xml"))
        except CollectError as exc:
            assert "feed.xml" in str(exc)
            continue
        for doc in docs:
            assert_valid_document(doc)


# --- HTML -----------------------------------------------------------------------------------

@PARSER_SETTINGS
@given(MARKUP)
def test_html_helpers_return_storable_strings(markup):
    for value in (fragment_text(markup), main_text(markup)):
        assert isinstance(value, str)
    title = page_title(markup)
    assert title is None or isinstance(title, str)


@PARSER_SETTINGS
@given(st.text(alphabet=st.characters(blacklist_characters="<>&", blacklist_categories=("Cs",)),
               min_size=1, max_size=100).filter(str.strip))
def test_fragment_text_keeps_plain_words(words):
    text = fragment_text(f"<p>{words}</p><script>var x = '{words}';</script>")
    assert text == "\n".join(line.strip() for line in words.splitlines() if line.strip())


# --- PDF ------------------------------------------------------------------------------------

_PDF = nasty.pdf_bytes()


@PARSER_SETTINGS
@given(st.lists(st.tuples(st.integers(0, len(_PDF) - 1), st.binary(max_size=8)), max_size=6),
       st.integers(8, len(_PDF)))
def test_pdf_text_on_mutated_pdfs(edits, cut):
    data = bytearray(_PDF)
    for position, replacement in edits:
        data[position:position + len(replacement)] = replacement
    try:
        text, title = pdf_text(bytes(data[:cut]), "doc.pdf")
    except CollectError as exc:
        assert "doc.pdf" in str(exc)
        return
    assert text and isinstance(text, str)
    assert_storable_text(text)
    assert_storable_text(title)


# --- files ----------------------------------------------------------------------------------

PREFIXES = [b"", b"%PDF-1.4\n", b"\x1f\x8b", b"PK\x03\x04", b"<rss>", b"<feed>", b"<html>",
            b"\xef\xbb\xbf", b"\xff\xfe", b"<?xml version='1.0'?>"]


@PARSER_SETTINGS
@given(st.sampled_from(PREFIXES), st.binary(max_size=2000))
def test_documents_from_bytes_on_arbitrary_bytes(prefix, data):
    _valid_docs(prefix + data)


@PARSER_SETTINGS
@given(MARKUP, st.sampled_from(ENCODINGS), st.booleans())
def test_documents_from_bytes_on_encoded_and_gzipped_markup(markup, encoding, compress):
    data = markup.encode(encoding, errors="replace")
    _valid_docs(gzip.compress(data) if compress else data)


# --- periods --------------------------------------------------------------------------------

PERIOD_TEXT = st.one_of(
    st.text(max_size=30),
    st.builds(lambda a, b: f"{a}..{b}", st.dates(), st.dates()),
    st.builds(lambda y, m, h: f"{y:04d}-{m:02d}{h}", st.integers(0, 9999), st.integers(0, 99),
              st.sampled_from(["", "a", "b", "c"])),
    st.builds(lambda y, q: f"{y:04d}Q{q}", st.integers(0, 9999), st.integers(0, 9)),
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}\Z"),
)


@PARSER_SETTINGS
@given(PERIOD_TEXT)
def test_parse_period_returns_a_period_or_period_error(text):
    try:
        period = parse_period(text)
    except PeriodError:
        return
    assert isinstance(period, Period) and isinstance(period.start, date)
    assert period.start <= period.end
    assert period.kind in ("fortnight", "month", "quarter", "year", "range")
    assert period.days >= 1


@PARSER_SETTINGS
@given(st.dates(min_value=date(2, 1, 1)), st.integers(0, 400))
def test_parse_period_reads_every_valid_range(start, length):
    try:
        end = date.fromordinal(start.toordinal() + length)
    except (ValueError, OverflowError):
        assume(False)
    period = parse_period(f"{start.isoformat()}..{end.isoformat()}")
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["", "2022-13", "2022-02-30..2022-03-01", "2022-08-02..2022-08-01",
                                  "0000-01", "2022Q5", "x" * 10000])
def test_parse_period_errors_are_period_errors(text):
    with pytest.raises(PeriodError):
        parse_period(text)
