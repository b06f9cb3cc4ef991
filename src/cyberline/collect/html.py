"""HTML -> title and main text (trafilatura, with a plain fallback for fragments)."""

from __future__ import annotations

import html as html_lib
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

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|tr|br)\s*>|<br\s*/?>", re.I)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def fragment_text(markup: str) -> str:
    """Text of an HTML fragment (a feed entry's content): one line per block, tags dropped."""
    markup = _SCRIPT.sub("", markup)
    markup = _BLOCK_END.sub("\n", markup)
    text = html_lib.unescape(_TAG.sub("", markup))
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def page_title(markup: str) -> str | None:
    match = _TITLE.search(markup[:200_000])
    return html_lib.unescape(match.group(1)).strip() or None if match else None


def main_text(markup: str) -> str:
    """The article text of a full page; falls back to all text when trafilatura finds none."""
    extracted = trafilatura.extract(markup, include_comments=False, include_tables=True,
                                    favor_recall=True)
    return extracted if extracted and extracted.strip() else fragment_text(markup)
