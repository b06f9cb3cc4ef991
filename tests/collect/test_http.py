"""The fetcher against a local server: caps, timeouts, retries, redirects, SSRF, robots.txt."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import pytest

from cyberline.collect.http import Fetcher, FetchError
from cyberline.collect.safety import UnsafeURL
from tests.support.httpserver import LocalServer, Reply, gzip_bomb, redirect, static, zeros


def get(settings, url, **kwargs):
    async def run():
        async with Fetcher(settings, exempt=kwargs.pop("exempt", ())) as fetcher:
            return await fetcher.get(url, **kwargs)
    return asyncio.run(run())


def test_plain_get_sends_the_user_agent_with_contact(server, fast):
    url = server.route("/a", static(b"<html>hi</html>", "text/html; charset=utf-8"))
    result = get(replace(fast, contact="ops@example.org"), url, allow_private=True)
    assert result.status == 200 and result.data == b"<html>hi</html>"
    assert result.content_type == "text/html" and result.charset == "utf-8"
    agent = server.hits("/a")[0].headers["user-agent"]
    assert agent.startswith("cyberline/") and "ops@example.org" in agent


def test_loopback_source_without_allow_private_is_refused_before_any_request(server, fast):
    url = server.route("/a", static(b"x"))
    with pytest.raises(UnsafeURL, match="loopback"):
        get(fast, url)
    assert server.requests == []


def test_redirect_hop_to_a_private_address_is_refused():
    # "public" plays a public host (its address is exempted from the check the way a real public
    # address passes it); its redirect to the private server must be refused at the hop.
    with LocalServer() as public, LocalServer() as private:
        private.route("/secret", static(b"secret"))
        start = public.route("/go", redirect(private.url("/secret")))
        public.route("/meta", redirect("http://169.254.169.254/latest/meta-data/"))
        settings = replace(_fast(), respect_robots=False)
        exempt = [f"127.0.0.1:{public.port}"]
        with pytest.raises(UnsafeURL, match="loopback"):
            get(settings, start, exempt=exempt)
        with pytest.raises(UnsafeURL, match="link-local"):
            get(settings, public.url("/meta"), exempt=exempt)
        assert private.requests == [] and len(public.hits("/go")) == 1


def _fast():
    return __import__("cyberline.collect.settings", fromlist=["x"]).FetchSettings(
        per_host_delay=0, backoff=0.01, retries=2, total_timeout=3, read_timeout=2)


def test_redirects_are_followed_and_loops_end(server, fast):
    server.route("/old", redirect("/new", 301))
    server.route("/new", static(b"moved here"))
    assert get(fast, server.url("/old"), allow_private=True).url == server.url("/new")
    server.route("/loop", redirect("/loop"))
    with pytest.raises(FetchError, match="too many redirects"):
        get(fast, server.url("/loop"), allow_private=True)
    assert len(server.hits("/loop")) == fast.max_redirects + 1


def test_conditional_get(server, fast):
    url = server.route("/p", static(b"page", etag='"v1"', last_modified=1_700_000_000))
    first = get(fast, url, allow_private=True)
    assert first.etag == '"v1"' and first.last_modified
    again = get(fast, url, allow_private=True, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.data == b""
    assert server.hits("/p")[1].headers["if-none-match"] == '"v1"'


def test_size_cap_aborts_a_2gb_stream_without_buffering_it(server, fast):
    two_gb = 2 * 1024 ** 3
    server.route("/declared", lambda r: Reply(200, zeros(two_gb), {"Content-Type": "text/plain"},
                                              length=two_gb))
    server.route("/undeclared", lambda r: Reply(200, zeros(two_gb), {"Content-Type": "text/plain"}))
    with pytest.raises(FetchError, match="over the 20971520 byte limit; not downloaded"):
        get(fast, server.url("/declared"), allow_private=True)
    started = time.monotonic()
    with pytest.raises(FetchError, match="stream aborted"):
        get(fast, server.url("/undeclared"), allow_private=True)
    assert time.monotonic() - started < 3  # stopped at 20 MB, never read to 2 GB


def test_gzip_bomb_is_capped(server, fast):
    bomb = gzip_bomb(64 << 20)  # 64 MB of zeros in about 64 KB (the cap is 20 MB)
    server.route("/bomb", static(bomb, "text/html", headers={"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError, match="decompression cap"):
        get(fast, server.url("/bomb"), allow_private=True)


def test_gzip_body_is_decoded(server, fast):
    import gzip

    server.route("/gz", static(gzip.compress(b"hello " * 100), "text/plain",
                               headers={"Content-Encoding": "gzip"}))
    assert get(fast, server.url("/gz"), allow_private=True).data == b"hello " * 100


def test_slow_drip_hits_the_overall_deadline(server, fast):
    server.route("/drip", lambda r: Reply(200, zeros(10_000, chunk=1, delay=0.05),
                                          {"Content-Type": "text/plain"}, length=10_000))
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        get(replace(fast, total_timeout=0.5, retries=0), server.url("/drip"), allow_private=True)
    assert time.monotonic() - started < 3


def test_429_with_retry_after_is_retried_after_the_wait(server, fast):
    calls = []

    def limited(request):
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Reply(429, b"slow down", {"Retry-After": "1"})
        return Reply(200, b"ok now", {"Content-Type": "text/plain"})

    server.route("/limited", limited)
    assert get(fast, server.url("/limited"), allow_private=True).data == b"ok now"
    assert calls[1] - calls[0] >= 0.95


def test_a_too_long_retry_after_gives_up(server, fast):
    server.route("/later", lambda r: Reply(503, b"", {"Retry-After": "86400"}))
    with pytest.raises(FetchError, match="Retry-After 86400s"):
        get(fast, server.url("/later"), allow_private=True)
    assert len(server.hits("/later")) == 1


def test_500_is_retried_then_reported_and_404_is_not_retried(server, fast):
    server.route("/broken", lambda r: Reply(500, b"oops"))
    with pytest.raises(FetchError, match="HTTP 500 after 3 attempts"):
        get(fast, server.url("/broken"), allow_private=True)
    assert len(server.hits("/broken")) == 3
    with pytest.raises(FetchError, match="HTTP 404"):
        get(fast, server.url("/missing"), allow_private=True)
    assert len(server.hits("/missing")) == 1


def test_robots_txt_is_honoured(server, fast):
    server.route("/robots.txt", static(b"User-agent: cyberline\nDisallow: /private/\n",
                                       "text/plain"))
    server.route("/private/x", static(b"no"))
    server.route("/public/x", static(b"yes"))
    with pytest.raises(FetchError, match="robots.txt"):
        get(fast, server.url("/private/x"), allow_private=True)
    assert server.hits("/private/x") == []
    assert get(fast, server.url("/public/x"), allow_private=True).data == b"yes"


def test_one_request_at_a_time_per_host_with_the_delay(server, fast):
    server.route("/robots.txt", static(b"", "text/plain"))
    for i in range(4):
        server.route(f"/{i}", static(b"x"))

    async def run():
        async with Fetcher(replace(fast, per_host_delay=0.2, concurrency=4)) as fetcher:
            await asyncio.gather(*[fetcher.get(server.url(f"/{i}"), allow_private=True)
                                   for i in range(4)])
    started = time.monotonic()
    asyncio.run(run())
    # robots.txt + 4 pages, 0.2 s apart
    assert time.monotonic() - started >= 0.8
