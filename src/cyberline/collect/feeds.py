"""RSS/Atom -> one SourceDocument per entry (feedparser, with dates re-parsed from raw strings).

Feeds are untrusted XML. A feed that declares its own entities (``<!ENTITY`` in the DOCTYPE) is
refused before parsing: that is the billion-laughs and external-entity (XXE) shape, no real
news feed needs it, and refusing does not depend on the installed expat's own limits.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Iterator

import feedparser
from dateutil import parser as dateutil_parser

from cyberline.collect.decode import clean_text
from cyberline.collect.errors import CollectError
from cyberline.collect.html import fragment_text
from cyberline.model import SourceDocument

log = logging.getLogger(__name__)
# Zone abbreviations feeds of this field write that dateutil does not know by itself.
# (CST is left out: China and US Central both use it.)
_TZ_NAMES = {"JST": 9 * 3600, "KST": 9 * 3600, "EST": -5 * 3600,
             "EDT": -4 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600, "UTC": 0, "GMT": 0}
_JA_DATE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(\d{1,2})[:時](\d{1,2}))?")
JST = timezone(timedelta(hours=9))
# Dates are short; dateutil's time grows with its input, so longer strings are no date.
MAX_DATE_CHARS = 200
# Entity declarations, in any case and in UTF-8 or UTF-16 (the NULs of UTF-16 are dropped first).
_ENTITY_DECL = re.compile(rb"<!\s*ENTITY", re.I)
# A numeric character reference is one token; decoded later it may be a character no XML (and
# no database) allows: NUL, other C0 controls, surrogates, or beyond U+10FFFF.
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _allowed_in_xml(code: int) -> bool:
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def drop_invalid_char_refs(data: bytes) -> bytes:
    """Remove references to characters XML forbids (feedparser crashes on some of them)."""
    def replace(match: re.Match) -> bytes:
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        return match.group(0) if _allowed_in_xml(code) else b""
    return _CHAR_REF.sub(replace, data)


def parse_feed_date(raw: str | None) -> datetime | None:
    """A feed's date string -> aware datetime. feedparser misreads `2022年8月1日`, so parse raw."""
    if not raw or not isinstance(raw, str) or len(raw) > MAX_DATE_CHARS:
        return None
    match = _JA_DATE.search(raw)
    if match:
        y, m, d, hh, mm = match.groups()
        try:
            value = datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), tzinfo=JST)
            value.astimezone(timezone.utc)  # 0001年1月1日 JST is before datetime.min in UTC
        except (ValueError, OverflowError):
            return None
        return value
    try:
        value = dateutil_parser.parse(raw, tzinfos=_TZ_NAMES)
        value = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        # Storage converts to UTC: an offset that cannot be converted is no usable date.
        value.astimezone(timezone.utc)
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None
    return value


def looks_like_feed(data: bytes) -> bool:
    head = data[:4096].replace(b"\x00", b"").lower()  # UTF-16 feeds too
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def declares_entities(data: bytes) -> bool:
    """True when the XML declares entities (the prolog is where a DOCTYPE may appear)."""
    head = data[:65536]
    return bool(_ENTITY_DECL.search(head) or _ENTITY_DECL.search(head.replace(b"\x00", b"")))


def _entry_document(entry, where: str, language: str | None,
                    source_name: str | None) -> SourceDocument:
    content = ""
    if entry.get("content"):
        content = entry.content[0].get("value", "") or ""
    content = clean_text(content or entry.get("summary", "") or "")
    text = fragment_text(content)
    title = clean_text(entry.get("title") or "").strip() or None
    published = parse_feed_date(entry.get("published") or entry.get("updated")
                                or entry.get("dc_date"))
    entry_id = clean_text(entry["id"]).strip() or None if isinstance(entry.get("id"), str) \
        else None
    link = entry.get("link") if isinstance(entry.get("link"), str) else ""
    url = clean_text(link).strip() or entry_id or where
    raw_published = entry.get("published")
    # The verbatim item: the entry as the feed gave it (feedparser keeps no raw XML).
    raw = json.dumps({"id": entry_id, "title": title, "link": url,
                      "published": clean_text(raw_published) if isinstance(raw_published, str)
                      else None, "content": content},
                     ensure_ascii=False, sort_keys=True).encode("utf-8")
    return SourceDocument(url=url, raw=raw, text=text, title=title, published=published,
                          encoding="utf-8", content_type="application/atom+xml;entry",
                          language=language, source_name=source_name,
                          external_id=entry_id or url)


def parse_feed(data: bytes, where: str, source_name: str | None = None) -> Iterator[SourceDocument]:
    """Entries of a feed. CollectError when the bytes are no feed at all."""
    if declares_entities(data):
        raise CollectError(where, "feed declares XML entities (refused: entity expansion / XXE)")
    try:
        parsed = feedparser.parse(drop_invalid_char_refs(data))
    except Exception as exc:  # noqa: BLE001 - feedparser's fallback parsers raise assorted types
        raise CollectError(where, f"not a readable feed ({type(exc).__name__}: {exc})") from exc
    if not parsed.entries:
        reason = parsed.get("bozo_exception") or "no entries"
        raise CollectError(where, f"not a readable feed ({reason})")
    if parsed.bozo:
        log.warning("%s: feed is not well-formed (%s); %d entries recovered", where,
                    parsed.get("bozo_exception"), len(parsed.entries))
    language = clean_text(parsed.feed.get("language") or "")[:2] or None
    for entry in parsed.entries:
        yield _entry_document(entry, where, language, source_name)
