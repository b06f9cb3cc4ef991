"""Unit and property tests of the URL/address checks, header parsing and link selection."""

from __future__ import annotations

import asyncio
import ipaddress

import httpx
import pytest
from hypothesis import given, strategies as st

from cyberline.collect.http import retry_after, split_content_type, _Inflater, FetchError
from cyberline.collect.links import page_links
from cyberline.collect.safety import UnsafeURL, checked_url, forbidden_reason, resolve_safe
from cyberline.collect.watch import parse_every


@pytest.mark.parametrize("address,reason", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"),
    ("192.168.0.1", "private"), ("172.16.5.4", "private"), ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"), ("0.0.0.0", "unspecified"), ("::ffff:127.0.0.1", "loopback"),
    ("fd00:ec2::254", "metadata"), ("100.64.1.1", "non-public"), ("224.0.0.1", "multicast"),
])
def test_forbidden_addresses(address, reason):
    assert reason in forbidden_reason(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::6810:85e5"])
def test_public_addresses_pass(address):
    assert forbidden_reason(address) is None


@given(st.ip_addresses())
def test_every_address_is_either_global_or_refused(ip):
    reason = forbidden_reason(str(ip))
    mapped = getattr(ip, "ipv4_mapped", None) or ip
    assert (reason is None) == (mapped.is_global and not mapped.is_multicast
                                 and not mapped.is_reserved)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.org/a", "gopher://x", "x.org/a",
                                 "http://"])
def test_only_http_urls(url):
    with pytest.raises(UnsafeURL):
        checked_url(url)


def test_resolution_is_checked_for_every_address():
    async def resolver(host, port):
        return {"public.test": ["93.184.216.34"], "mixed.test": ["93.184.216.34", "10.0.0.1"]}[host]

    async def run(url, allow_private=False):
        return await resolve_safe(httpx.URL(url), allow_private=allow_private, resolver=resolver)

    assert asyncio.run(run("http://public.test/")) == "93.184.216.34"
    with pytest.raises(UnsafeURL, match="10.0.0.1, a private address"):
        asyncio.run(run("http://mixed.test/"))
    assert asyncio.run(run("http://mixed.test/", allow_private=True)) == "93.184.216.34"
    with pytest.raises(UnsafeURL, match="loopback"):
        asyncio.run(run("http://127.0.0.1:8080/"))


def test_retry_after_forms():
    assert retry_after("7") == 7.0
    assert retry_after(None) is None and retry_after("soon") is None
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait


@given(st.text())
def test_retry_after_never_crashes(value):
    result = retry_after(value)
    assert result is None or result >= 0


def test_content_type_split():
    assert split_content_type('text/html; charset="Shift_JIS"') == ("text/html", "Shift_JIS")
    assert split_content_type(None) == (None, None)


@given(st.text())
def test_content_type_split_never_crashes(value):
    split_content_type(value)


def test_inflater_caps_a_bomb_without_inflating_it():
    import zlib

    bomb = zlib.compress(b"\0" * (50 << 20), 9)  # 50 MB of zeros in ~50 KB
    inflater = _Inflater("deflate", 1 << 20, "x")
    with pytest.raises(FetchError, match="decompression cap"):
        inflater.feed(bomb)
    assert inflater.size <= (1 << 20) + 1


@pytest.mark.parametrize("text,seconds", [("30m", 1800), ("1h30m", 5400), ("90s", 90),
                                          ("2h", 7200), ("1d", 86400)])
def test_parse_every(text, seconds):
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "30", "m", "0s", "30m x", "-5m"])
def test_parse_every_refuses(text):
    with pytest.raises(ValueError):
        parse_every(text)


@given(st.text(max_size=20))
def test_parse_every_is_positive_or_refuses(text):
    try:
        assert parse_every(text) >= 1
    except ValueError:
        pass


PAGE = """<html><body><nav><a href="/">home</a><a href="/about.html">about</a></nav>
<a href="/news/2024/0801.html">notice 1</a><a href="2024/0802.html#top">notice 2</a>
<a href="/files/notice.PDF">pdf</a><a href="https://other.example/news/x.html">other site</a>
<a href="/news/">self</a><a href="javascript:alert(1)">js</a><a href="/news/2024/0801.html">dup</a>
</body></html>"""


def test_page_links_pick_notices_below_the_page():
    links = page_links(PAGE, "https://www.example.jp/news/")
    assert links == ["https://www.example.jp/news/2024/0801.html",
                     "https://www.example.jp/news/2024/0802.html",
                     "https://www.example.jp/files/notice.PDF"]


def test_page_links_with_a_pattern_and_a_limit():
    links = page_links(PAGE, "https://www.example.jp/news/", pattern=r"other\.example|0802")
    assert links == ["https://www.example.jp/news/2024/0802.html",
                     "https://other.example/news/x.html"]
    assert len(page_links(PAGE, "https://www.example.jp/news/", limit=1)) == 1


@given(st.text())
def test_page_links_never_crash(markup):
    for url in page_links(markup, "https://www.example.jp/news/"):
        assert url.startswith("https://www.example.jp/")
