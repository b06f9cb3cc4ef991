"""RSS/Atom -> one SourceDocument per entry (feedparser, with dates re-parsed from raw strings)."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Iterator

import feedparser
from dateutil import parser as dateutil_parser

from cyberline.collect.errors import CollectError
from cyberline.collect.html import fragment_text
from cyberline.model import SourceDocument

log = logging.getLogger(__name__)
_JA_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(\d{1,2})[:時](\d{1,2}))?")
JST = timezone(timedelta(hours=9))


def parse_feed_date(raw: str | None) -> datetime | None:
    """A feed's date string -> aware datetime. feedparser misreads `2022年8月1日`, so parse raw."""
    if not raw:
        return None
    match = _JA_DATE.search(raw)
    if match:
        y, m, d, hh, mm = match.groups()
        try:
            return datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), tzinfo=JST)
        except ValueError:
            return None
    try:
        value = dateutil_parser.parse(raw)
    except (ValueError, OverflowError, TypeError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def parse_feed(data: bytes, where: str, source_name: str | None = None) -> Iterator[SourceDocument]:
    """Entries of a feed. CollectError when the bytes are no feed at all."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = parsed.get("bozo_exception") or "no entries"
        raise CollectError(where, f"not a readable feed ({reason})")
    if parsed.bozo:
        log.warning("%s: feed is not well-formed (%s); %d entries recovered", where,
                    parsed.get("bozo_exception"), len(parsed.entries))
    language = (parsed.feed.get("language") or "")[:2] or None
    for entry in parsed.entries:
        content = ""
        if entry.get("content"):
            content = entry.content[0].get("value", "")
        content = content or entry.get("summary", "")
        text = fragment_text(content)
        title = (entry.get("title") or "").strip() or None
        published = parse_feed_date(entry.get("published") or entry.get("updated")
                                    or entry.get("dc_date"))
        url = entry.get("link") or entry.get("id") or where
        # The verbatim item: the entry as the feed gave it (feedparser keeps no raw XML).
        raw = json.dumps({"id": entry.get("id"), "title": title, "link": url,
                          "published": entry.get("published"), "content": content},
                         ensure_ascii=False, sort_keys=True).encode("utf-8")
        yield SourceDocument(url=url, raw=raw, text=text, title=title, published=published,
                             encoding="utf-8", content_type="application/atom+xml;entry",
                             language=language, source_name=source_name,
                             external_id=entry.get("id") or url)
