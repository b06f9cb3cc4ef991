"""collect.html forgets trafilatura's memoised text nodes after big pages (bounded memory)."""

from __future__ import annotations

from trafilatura.utils import line_processing, trim

from cyberline.collect import html


def test_big_page_leaves_no_big_strings_in_trafilatura_caches():
    big_line = "漏洩に関するお知らせ " * 20_000  # one ~200 KB text node
    html.main_text(f"<html><body><article><p>{big_line}</p></article></body></html>")
    assert trim.cache_info().currsize == 0
    assert line_processing.cache_info().currsize == 0


def test_small_pages_keep_the_cache_until_the_periodic_forget(monkeypatch):
    monkeypatch.setattr(html, "_pages_since_forget", 0)
    html.main_text("<html><body><article><p>短いお知らせ。本文です。</p></article></body></html>")
    assert trim.cache_info().currsize > 0  # memoisation still helps ordinary pages
    monkeypatch.setattr(html, "_pages_since_forget", html._FORGET_EVERY - 1)
    html.main_text("<html><body><article><p>もう一つのお知らせ。</p></article></body></html>")
    assert trim.cache_info().currsize == 0
