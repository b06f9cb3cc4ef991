"""Atom feeds (RFC 4287) of the site's posts and incidents, written with feedgen.

Ids are ``urn:uuid`` values derived (uuid5) from what an entry is, so a rebuilt site keeps
every id; entries keep the order given (``order='append'``), newest first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from feedgen.feed import FeedGenerator

AUTHOR = {"name": "cyberline"}
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/cyberline/cyberline")


def stable_id(kind: str, key: str) -> str:
    return uuid.uuid5(_NAMESPACE, f"{kind}:{key}").urn


@dataclass
class Entry:
    id: str
    title: str
    link: str
    updated: datetime
    summary: str
    published: datetime | None = None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def write_feed(path: Path, *, feed_id: str, title: str, self_link: str, alt_link: str,
               entries: list[Entry], lang: str, subtitle: str | None = None) -> Path:
    """Write one Atom feed. An empty feed still has a valid ``updated`` (the build time)."""
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.author(AUTHOR)
    fg.link(href=alt_link, rel="alternate")
    fg.link(href=self_link, rel="self")
    fg.language(lang)
    if subtitle:
        fg.subtitle(subtitle)
    newest = max((_aware(e.updated) for e in entries), default=datetime.now(timezone.utc))
    fg.updated(newest)
    for entry in entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.id)
        fe.title(entry.title)
        fe.link(href=entry.link, rel="alternate")
        fe.updated(_aware(entry.updated))
        if entry.published:
            fe.published(_aware(entry.published))
        fe.author(AUTHOR)
        fe.summary(entry.summary or entry.title)
    path.parent.mkdir(parents=True, exist_ok=True)
    fg.atom_file(str(path), pretty=True)
    return path
