"""Which links of a watched page lead to notices (for sources added with --follow-links)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href.strip())


def page_links(markup: str, base: str, *, pattern: str | None = None, limit: int = 50) -> list[str]:
    """Absolute http(s) links of a page that look like notices, in page order, deduplicated.

    With ``pattern`` (a source's ``link_pattern``), the links matching it. Without, the links on
    the same host that are PDFs or lie below the page's own folder (a news list at /news/ links
    its notices as /news/2024/0801.html), which leaves out navigation, other sites and the page
    itself.
    """
    parser = _Anchors()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        pass
    page = urlsplit(base)
    folder = page.path.rsplit("/", 1)[0] + "/"
    matcher = re.compile(pattern) if pattern else None
    found: dict[str, None] = {}
    for href in parser.hrefs:
        url = urldefrag(urljoin(base, href)).url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or url == urldefrag(base).url:
            continue
        if matcher is not None:
            if not matcher.search(url):
                continue
        elif parts.netloc != page.netloc or not (
                parts.path.lower().endswith(".pdf")
                or (parts.path.startswith(folder) and len(parts.path) > len(folder))):
            continue
        found.setdefault(url)
        if len(found) >= limit:
            break
    return list(found)
