"""Sources to watch: add, list, remove, and import from a TOML list or an OPML subscription file."""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from cyberline.collect.safety import UnsafeURL, checked_url
from cyberline.store import Store
from cyberline.store.schema import FetchState, Source

KINDS = ("feed", "page")
LANGUAGES = ("ja", "en")


class SourceError(ValueError):
    pass


@dataclass
class SourceSpec:
    url: str
    name: str | None = None
    kind: str = "feed"
    language: str | None = None
    follow_links: bool = False
    allow_private: bool = False
    settings: dict[str, Any] = field(default_factory=dict)  # e.g. {"link_pattern": "..."}

    def validated(self) -> "SourceSpec":
        try:
            url = str(checked_url(self.url.strip()))
        except UnsafeURL as exc:
            raise SourceError(f"source URL {exc}") from exc
        if self.kind not in KINDS:
            raise SourceError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.language is not None and self.language not in LANGUAGES:
            raise SourceError(f"language {self.language!r} is not one of {', '.join(LANGUAGES)}")
        pattern = self.settings.get("link_pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SourceError(f"link_pattern {pattern!r} is not a regular expression ({exc})")
        name = (self.name or default_name(url)).strip()
        if not name or len(name) > 200:
            raise SourceError("a source name must have 1 to 200 characters")
        return SourceSpec(url, name, self.kind, self.language, bool(self.follow_links),
                          bool(self.allow_private), dict(self.settings))


def default_name(url: str) -> str:
    """host + path, e.g. ``www.jpcert.or.jp/rss/jpcert.rdf``."""
    parsed = checked_url(url)
    return (parsed.host + parsed.path).rstrip("/")


def add_source(store: Store, spec: SourceSpec) -> Source:
    spec = spec.validated()
    with store.session() as session:
        if session.scalar(select(Source).where(Source.name == spec.name)) is not None:
            raise SourceError(f"a source named {spec.name!r} exists already")
        same_url = session.scalar(select(Source).where(Source.url == spec.url))
        if same_url is not None:
            raise SourceError(f"{spec.url} is already watched as {same_url.name!r}")
        source = Source(name=spec.name, url=spec.url, kind=spec.kind, language=spec.language,
                        follow_links=spec.follow_links, allow_private=spec.allow_private,
                        settings=spec.settings)
        session.add(source)
        session.flush()
        return source


def list_sources(store: Store, *, watched_only: bool = False) -> list[Source]:
    with store.session() as session:
        query = select(Source).order_by(Source.name)
        if watched_only:
            query = query.where(Source.kind.in_(KINDS))
        return list(session.scalars(query))


def find_sources(store: Store, names: list[str]) -> list[Source]:
    """Sources by name (or id); all enabled feed/page sources when ``names`` is empty."""
    with store.session() as session:
        if not names:
            return list(session.scalars(select(Source).where(
                Source.kind.in_(KINDS), Source.enabled.is_(True)).order_by(Source.id)))
        found = []
        for name in names:
            source = session.scalar(select(Source).where(Source.name == name))
            if source is None and name.isdigit():
                source = session.get(Source, int(name))
            if source is None:
                raise SourceError(f"no source named {name!r} (see `cyberline sources list`)")
            if source.kind not in KINDS:
                raise SourceError(f"{name!r} is a {source.kind} source, not a feed or page")
            found.append(source)
        return found


def remove_source(store: Store, name: str) -> None:
    """Stop watching a source. Its documents stay (their source becomes empty)."""
    source = find_sources(store, [name])[0]
    with store.session() as session:
        session.execute(delete(FetchState).where(FetchState.source_id == source.id))
        session.execute(delete(Source).where(Source.id == source.id))


# ---- source lists ------------------------------------------------------------------------

def read_source_file(path: Path) -> list[SourceSpec]:
    """Specs from a TOML list (``[[source]]`` tables) or an OPML file (outlines with xmlUrl)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: {exc.strerror or exc}") from exc
    head = data[:512].lstrip().lower()
    if path.suffix.lower() in (".opml", ".xml") or head.startswith(b"<"):
        return _read_opml(path, data)
    return _read_toml(path, data)


_TOML_KEYS = {"name", "url", "kind", "lang", "language", "follow_links", "allow_private",
              "link_pattern", "note"}


def _read_toml(path: Path, data: bytes) -> list[SourceSpec]:
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: not valid TOML ({exc})") from exc
    items = table.get("source")
    if not isinstance(items, list):
        raise SourceError(f"{path}: no [[source]] tables")
    specs = []
    for number, item in enumerate(items, start=1):
        unknown = set(item) - _TOML_KEYS
        if unknown or "url" not in item:
            raise SourceError(f"{path}: source #{number}: "
                              + (f"unknown keys {sorted(unknown)}" if unknown else "no url"))
        settings = {"link_pattern": item["link_pattern"]} if "link_pattern" in item else {}
        specs.append(SourceSpec(url=str(item["url"]), name=item.get("name"),
                                kind=item.get("kind", "feed"),
                                language=item.get("lang", item.get("language")),
                                follow_links=bool(item.get("follow_links", False)),
                                allow_private=bool(item.get("allow_private", False)),
                                settings=settings))
    return specs


def _read_opml(path: Path, data: bytes) -> list[SourceSpec]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SourceError(f"{path}: not valid OPML ({exc})") from exc
    specs = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl")
        if not url:
            continue  # a folder outline
        language = (outline.get("language") or "")[:2].lower() or None
        specs.append(SourceSpec(url=url, name=outline.get("title") or outline.get("text"),
                                kind="feed", language=language if language in LANGUAGES else None))
    if not specs:
        raise SourceError(f"{path}: no outline with an xmlUrl")
    return specs


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def import_sources(store: Store, path: Path) -> ImportResult:
    """Add every source of a file; ones already present (same name or URL) are left as they are."""
    result = ImportResult()
    for spec in read_source_file(path):
        try:
            source = add_source(store, spec)
        except SourceError as exc:
            target = result.existing if ("exists already" in str(exc)
                                         or "already watched" in str(exc)) else result.errors
            target.append(str(exc))
            continue
        result.added.append(source.name)
    return result
