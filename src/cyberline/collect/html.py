"""HTML -> title and main text (trafilatura, with a plain fallback for fragments).

Hostile markup must cost linear time: every pattern here stops at the next ``<`` and closing
tags are found with str.find, because a backtracking ``<[^>]+>`` or ``<script.*?</script>``
turns 200 KB of unclosed ``<`` into minutes of CPU.
"""

from __future__ import annotations

import html as html_lib
import logging
import re

import trafilatura
import trafilatura.external


class _Stoplist(tuple):
    """A tuple that hashes once. trafilatura hands justext its union of every stoplist (tens of
    thousands of words) as a tuple, and justext's lru_cache hashes it again on every page: ~7 ms
    of a ~10 ms page. Same words, same equality, cached hash."""

    def __hash__(self) -> int:  # noqa: D105
        try:
            return self._hash
        except AttributeError:
            self._hash = tuple.__hash__(self)
            return self._hash


if getattr(trafilatura.external, "JT_STOPLIST", None) is None and hasattr(
        trafilatura.external, "jt_stoplist_init"):
    trafilatura.external.JT_STOPLIST = _Stoplist(trafilatura.external.jt_stoplist_init())

log = logging.getLogger(__name__)

# trafilatura memoises trim() and line_processing() on whole text nodes and lines (1,024 entries
# each, whatever their size): after a few pages with one huge text node (a hostile 500 KB line)
# those caches hold megabytes each for the life of the process. We forget them after any page
# that big, and every _FORGET_EVERY pages anyway, which bounds them to small strings.
_BIG_PAGE = 50_000
_FORGET_EVERY = 256
_pages_since_forget = 0


def _forget_trafilatura_caches() -> None:
    from trafilatura.utils import line_processing, trim

    for memoised in (trim, line_processing):
        clear = getattr(memoised, "cache_clear", None)
        if clear is not None:
            clear()


def _after_page(markup: str) -> None:
    global _pages_since_forget
    _pages_since_forget += 1
    if len(markup) > _BIG_PAGE or _pages_since_forget >= _FORGET_EVERY:
        _forget_trafilatura_caches()
        _pages_since_forget = 0


_TAG = re.compile(r"<[^<>]*>")
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|tr|br)\s*>|<br\s*/?>", re.I)
_RAW_TEXT_OPEN = re.compile(r"<(script|style)\b", re.I)
_TITLE_OPEN = re.compile(r"<title\b[^<>]*>", re.I)
TITLE_SCAN = 200_000


def _drop_raw_text(markup: str) -> str:
    """Remove <script>/<style> elements; an unclosed one swallows the rest, as in a browser."""
    lowered = markup.lower()
    parts: list[str] = []
    pos = 0
    while True:
        match = _RAW_TEXT_OPEN.search(markup, pos)
        if match is None:
            parts.append(markup[pos:])
            break
        parts.append(markup[pos:match.start()])
        close = lowered.find(f"</{match.group(1).lower()}", match.end())
        if close < 0:
            break
        end = lowered.find(">", close)
        pos = len(markup) if end < 0 else end + 1
    return "".join(parts)


def fragment_text(markup: str) -> str:
    """Text of an HTML fragment (a feed entry's content): one line per block, tags dropped."""
    markup = _drop_raw_text(markup)
    markup = _BLOCK_END.sub("\n", markup)
    text = html_lib.unescape(_TAG.sub("", markup))
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def page_title(markup: str) -> str | None:
    head = markup[:TITLE_SCAN]
    match = _TITLE_OPEN.search(head)
    if match is None:
        return None
    end = head.lower().find("</title", match.end())
    if end < 0:
        return None
    return html_lib.unescape(head[match.end():end]).strip() or None


def main_text(markup: str) -> str:
    """The article text of a full page; falls back to all text when trafilatura finds none."""
    try:
        extracted = trafilatura.extract(markup, include_comments=False, include_tables=True,
                                        favor_recall=True)
    except Exception as exc:  # noqa: BLE001 - lxml/trafilatura raise assorted types on bad markup
        log.debug("trafilatura failed (%s: %s); using plain text", type(exc).__name__, exc)
        extracted = None
    finally:
        _after_page(markup)
    return extracted if extracted and extracted.strip() else fragment_text(markup)
