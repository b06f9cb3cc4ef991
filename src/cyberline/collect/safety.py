"""SSRF protection: only http(s), and never a loopback, private, link-local or metadata address.

The check runs on the addresses a host name resolves to (after DNS) and again on every redirect
hop; the request then connects to the checked address itself, so a DNS answer that changes
between check and connect (rebinding) cannot slip through. Sources added with
``--allow-private`` skip the address check (the tests' local server, an intranet feed).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Awaitable, Callable, Iterable

import httpx

from cyberline.collect.errors import CollectError

Resolver = Callable[[str, int], Awaitable[list[str]]]

# Cloud metadata endpoints not already covered by the link-local / private ranges.
METADATA = {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")}


class UnsafeURL(CollectError):
    """A URL refused before any byte is sent to it."""


def forbidden_reason(address: str) -> str | None:
    """Why a request must not go to this IP address, or None when it is a public address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip in METADATA:
        return "a cloud metadata address"
    for attribute, reason in (("is_unspecified", "an unspecified address"),
                              ("is_loopback", "a loopback address"),
                              ("is_link_local", "a link-local (or metadata) address"),
                              ("is_private", "a private address"),
                              ("is_multicast", "a multicast address"),
                              ("is_reserved", "a reserved address")):
        if getattr(ip, attribute):
            return reason
    if not ip.is_global:  # carrier-grade NAT 100.64/10 and the like
        return "a non-public address"
    return None


def checked_url(url: str | httpx.URL) -> httpx.URL:
    """The parsed URL when its scheme is http(s) and it names a host; UnsafeURL otherwise."""
    try:
        parsed = httpx.URL(str(url))
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise UnsafeURL(str(url), f"not a valid URL ({exc})") from exc
    if parsed.scheme not in ("http", "https"):
        raise UnsafeURL(str(url), f"scheme {parsed.scheme or '(none)'!r} refused: only http(s)")
    if not parsed.host:
        raise UnsafeURL(str(url), "URL has no host")
    return parsed


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


async def resolve_safe(url: httpx.URL, *, allow_private: bool, resolver: Resolver,
                       exempt: Iterable[str] = ()) -> str:
    """The address to connect to for ``url``: every address the host resolves to must be public.

    ``exempt`` lists "ip:port" endpoints treated as public (used by tests to play a public host).
    """
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        addresses = [url.host] if _is_ip(url.host) else await resolver(url.host, port)
    except (OSError, UnicodeError) as exc:
        raise CollectError(str(url), f"cannot resolve host {url.host!r} ({exc})") from exc
    if not addresses:
        raise CollectError(str(url), f"host {url.host!r} has no address")
    if not allow_private:
        exempt = set(exempt)
        for address in addresses:
            reason = forbidden_reason(address)
            if reason and f"{address}:{port}" not in exempt:
                raise UnsafeURL(str(url), f"refused: {url.host} resolves to {address}, {reason} "
                                          "(add the source with --allow-private to permit it)")
    return addresses[0]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
