"""Being polite to the sites we read: one request at a time per host, a delay between two
requests to a host, pauses asked for by Retry-After, and robots.txt."""

from __future__ import annotations

import asyncio
import time
import urllib.robotparser
from contextlib import asynccontextmanager
from typing import AsyncIterator, Awaitable, Callable


class HostGate:
    """At most one request in flight per host, ``delay`` seconds apart (longer when deferred)."""

    def __init__(self, delay: float):
        self.delay = delay
        self._locks: dict[str, asyncio.Lock] = {}
        self._next: dict[str, float] = {}

    def defer(self, host: str, seconds: float) -> None:
        """The host asked us to wait (429/503 Retry-After): no request before then."""
        self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            wait = self._next.get(host, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + self.delay)


# robots.txt body for an origin, or None when it could not be read (status given separately).
RobotsGetter = Callable[[str], Awaitable[tuple[int, bytes]]]


class RobotsCache:
    """robots.txt per origin, read once per cache (one fetch pass), RFC 9309 semantics:
    a 4xx robots.txt allows everything, a 5xx or unreachable one disallows everything."""

    def __init__(self, agent: str, getter: RobotsGetter):
        self.agent = agent
        self._getter = getter
        # origin -> parsed rules, None (everything allowed) or the reason everything is refused
        self._rules: dict[str, urllib.robotparser.RobotFileParser | str | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def refusal(self, origin: str, url: str) -> str | None:
        """Why robots.txt forbids ``url``, or None when it may be fetched."""
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._rules:
                self._rules[origin] = await self._load(origin)
        rules = self._rules[origin]
        if rules is None or isinstance(rules, str):
            return rules
        return None if rules.can_fetch(self.agent, url) else "disallowed by robots.txt"

    async def _load(self, origin: str) -> urllib.robotparser.RobotFileParser | str | None:
        try:
            status, body = await self._getter(origin + "/robots.txt")
        except Exception as exc:  # noqa: BLE001 - unreachable robots.txt: RFC 9309 says disallow
            return f"robots.txt could not be read ({exc}); not fetching from this host"
        if 400 <= status < 500:
            return None
        if status >= 500:
            return f"robots.txt answered {status}; not fetching from this host"
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
        return parser
