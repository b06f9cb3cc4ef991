"""The HTTP client of the collection stage (httpx, async): safe, polite, bounded.

``Fetcher.get(url, allow_private=..., etag=..., last_modified=...)`` returns a ``Fetched`` (status
200 with the body, or 304) or raises ``FetchError`` with a one-line reason. It follows redirects
itself (each hop is checked by safety.resolve_safe and robots.txt), retries 429/5xx and network
errors with exponential backoff honouring Retry-After, and reads the body as a stream with a cap
on the wire size and on the decompressed size (gzip bombs) and an overall deadline (slow drips).
"""

from __future__ import annotations

import asyncio
import email.utils
import time
import zlib
from dataclasses import dataclass
from typing import Iterable

import httpx

from cyberline.collect.errors import CollectError
from cyberline.collect.politeness import HostGate, RobotsCache
from cyberline.collect.safety import Resolver, checked_url, resolve_safe, system_resolver
from cyberline.collect.settings import FetchSettings

REDIRECTS = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(CollectError):
    def __init__(self, where: str, reason: str, status: int | None = None):
        super().__init__(where, reason)
        self.status = status


@dataclass
class Fetched:
    url: str                  # the final URL, after redirects
    status: int               # 200 or 304
    data: bytes = b""
    content_type: str | None = None  # media type only, e.g. "text/html"
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # str.isdigit() accepts '¹', float() does not
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def split_content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for part in parts[1:]:
        if part.lower().startswith("charset="):
            charset = part.split("=", 1)[1].strip("\"' ") or None
    return parts[0].lower() or None, charset


class _Inflater:
    """Content-Encoding decoding with an output cap: never inflates more than ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int, where: str):
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._z = None
        elif encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(47)  # gzip or zlib header, auto-detected
        elif encoding == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise FetchError(where, f"unsupported Content-Encoding {encoding!r}")
        self.limit = limit
        self.where = where
        self.size = 0

    def feed(self, chunk: bytes) -> bytes:
        if self._z is None:
            self.size += len(chunk)
            self._check()
            return chunk
        out = []
        try:
            while chunk:
                piece = self._z.decompress(chunk, self.limit - self.size + 1)
                self.size += len(piece)
                self._check()
                out.append(piece)
                chunk = self._z.unconsumed_tail
        except zlib.error as exc:
            raise FetchError(self.where, f"corrupt compressed body ({exc})") from exc
        return b"".join(out)

    def _check(self) -> None:
        if self.size > self.limit:
            raise FetchError(self.where, f"body inflates to more than {self.limit} bytes "
                                         "(decompression cap); aborted")


class Fetcher:
    """``async with Fetcher(settings) as f: await f.get(url, allow_private=False)``."""

    def __init__(self, settings: FetchSettings, *, resolver: Resolver = system_resolver,
                 exempt: Iterable[str] = ()):
        self.settings = settings
        self.resolver = resolver
        self.exempt = frozenset(exempt)
        self.gate = HostGate(settings.per_host_delay)
        self.robots = RobotsCache(settings.user_agent, self._robots_txt)
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._robots_private: dict[str, bool] = {}
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> "Fetcher":
        s = self.settings
        self._client = httpx.AsyncClient(
            # Redirects are followed by hand so every hop is checked; no proxies from the
            # environment, which would connect somewhere other than the address we checked.
            follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            limits=httpx.Limits(max_connections=max(s.concurrency, 1) * 2,
                                max_keepalive_connections=max(s.concurrency, 1) * 2),
            headers={"User-Agent": s.agent, "Accept-Encoding": "gzip, deflate"},
        )
        return self

    async def __aexit__(self, *exc) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def get(self, url: str, *, allow_private: bool = False, etag: str | None = None,
                  last_modified: str | None = None) -> Fetched:
        current = checked_url(url)
        for _hop in range(self.settings.max_redirects + 1):
            address = await resolve_safe(current, allow_private=allow_private,
                                         resolver=self.resolver, exempt=self.exempt)
            if self.settings.respect_robots:
                origin = f"{current.scheme}://{current.netloc.decode('ascii')}"
                self._robots_private[origin] = allow_private
                refusal = await self.robots.refusal(origin, str(current))
                if refusal:
                    raise FetchError(str(current), refusal)
            headers = {}
            # Validators belong to the URL they were stored for, not to a redirect target.
            if _hop == 0 and etag:
                headers["If-None-Match"] = etag
            if _hop == 0 and last_modified:
                headers["If-Modified-Since"] = last_modified
            status, response_headers, body = await self._with_retries(current, address, headers)
            if status in REDIRECTS:
                location = response_headers.get("location")
                if not location:
                    raise FetchError(str(current), f"redirect {status} without Location", status)
                current = checked_url(current.join(location))
                continue
            if status == 304:
                return Fetched(str(current), 304, etag=response_headers.get("etag", etag),
                               last_modified=response_headers.get("last-modified", last_modified))
            if status != 200:
                raise FetchError(str(current), f"HTTP {status}", status)
            media, charset = split_content_type(response_headers.get("content-type"))
            return Fetched(str(current), 200, body, media, charset, response_headers.get("etag"),
                           response_headers.get("last-modified"))
        raise FetchError(url, f"too many redirects (more than {self.settings.max_redirects})")

    async def _with_retries(self, url: httpx.URL, address: str,
                            headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        s = self.settings
        host = url.netloc.decode("ascii")
        for attempt in range(s.retries + 1):
            try:
                async with self.gate.slot(host), self._slots:
                    status, response_headers, body = await self._once(url, address, headers)
            except (httpx.TransportError, TimeoutError) as exc:
                if attempt == s.retries:
                    reason = "timed out" if isinstance(exc, (TimeoutError, httpx.TimeoutException)) \
                        else f"network error ({type(exc).__name__}: {exc})"
                    raise FetchError(str(url), f"{reason} after {attempt + 1} attempts") from exc
                self.gate.defer(host, s.backoff * 2 ** attempt)
                continue
            if status not in RETRY_STATUSES:
                return status, response_headers, body
            wait = retry_after(response_headers.get("retry-after"))
            if wait is not None and wait > s.max_retry_after:
                raise FetchError(str(url), f"HTTP {status}, Retry-After {wait:.0f}s is longer than "
                                           f"{s.max_retry_after:.0f}s; trying next pass", status)
            if attempt == s.retries:
                raise FetchError(str(url), f"HTTP {status} after {attempt + 1} attempts", status)
            self.gate.defer(host, wait if wait is not None else s.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    async def _once(self, url: httpx.URL, address: str,
                    headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        """One request to the checked address; the body is read only for a 200."""
        assert self._client is not None, "use Fetcher as an async context manager"
        s = self.settings
        pinned = url.copy_with(host=address)
        extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
        request_headers = {"Host": url.netloc.decode("ascii"), **headers}
        async with asyncio.timeout(s.total_timeout):
            async with self._client.stream("GET", pinned, headers=request_headers,
                                           extensions=extensions) as response:
                if response.status_code != 200:
                    return response.status_code, response.headers, b""
                declared = response.headers.get("content-length")
                if declared and declared.isascii() and declared.isdigit() and int(declared) > s.max_bytes:
                    raise FetchError(str(url), f"body of {declared} bytes is over the "
                                               f"{s.max_bytes} byte limit; not downloaded")
                inflater = _Inflater(response.headers.get("content-encoding", ""),
                                     s.max_decompressed, str(url))
                received = 0
                parts: list[bytes] = []
                async for chunk in response.aiter_raw():
                    received += len(chunk)
                    if received > s.max_bytes:
                        raise FetchError(str(url), f"body is over the {s.max_bytes} byte "
                                                   "limit; stream aborted")
                    parts.append(inflater.feed(chunk))
                return 200, response.headers, b"".join(parts)

    async def _robots_txt(self, url: str) -> tuple[int, bytes]:
        """robots.txt through the same safety checks, without robots (or retries) of its own."""
        current = checked_url(url)
        origin = f"{current.scheme}://{current.netloc.decode('ascii')}"
        allow_private = self._robots_private.get(origin, False)
        for _hop in range(self.settings.max_redirects + 1):
            address = await resolve_safe(current, allow_private=allow_private,
                                         resolver=self.resolver, exempt=self.exempt)
            async with self.gate.slot(current.netloc.decode("ascii")), self._slots:
                status, headers, body = await self._once(current, address, {})
            if status in REDIRECTS and headers.get("location"):
                current = checked_url(current.join(headers["location"]))
                continue
            return status, body
        return 404, b""
