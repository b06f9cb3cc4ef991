"""A local HTTP server on 127.0.0.1 for the collection tests and the benchmark.

Routes map a path to a handler ``(request) -> Reply``. A Reply's body is bytes or an iterator of
chunks, so a 2 GB stream or a slow drip is generated lazily and never held in memory. Every
request is recorded (path and headers) so tests can assert what was, or was not, asked for.
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterable, Iterator


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    length: int | None = None  # Content-Length for streamed bodies (None: close-delimited)


@dataclass
class Request:
    path: str
    headers: dict[str, str]


Handler = Callable[[Request], Reply]


def static(body: bytes, content_type: str = "text/html", *, etag: str | None = None,
           last_modified: float | None = None, headers: dict[str, str] | None = None) -> Handler:
    """A fixed resource that answers conditional GETs with 304 like a well-behaved server."""
    def handle(request: Request) -> Reply:
        extra = {"Content-Type": content_type, **(headers or {})}
        if etag:
            extra["ETag"] = etag
        if last_modified is not None:
            extra["Last-Modified"] = formatdate(last_modified, usegmt=True)
        if etag and request.headers.get("if-none-match") == etag:
            return Reply(304, b"", extra)
        if (last_modified is not None and not etag
                and request.headers.get("if-modified-since") == extra["Last-Modified"]):
            return Reply(304, b"", extra)
        return Reply(200, body, extra)
    return handle


def redirect(location: str, status: int = 302) -> Handler:
    return lambda request: Reply(status, b"", {"Location": location})


def zeros(total: int, chunk: int = 65536, delay: float = 0.0) -> Iterator[bytes]:
    """``total`` zero bytes, produced lazily (optionally slowly)."""
    block = b"\0" * chunk
    sent = 0
    while sent < total:
        piece = block[: min(chunk, total - sent)]
        if delay:
            time.sleep(delay)
        yield piece
        sent += len(piece)


def gzip_bomb(decompressed: int) -> bytes:
    """A small gzip body that inflates to ``decompressed`` bytes (compressed in pieces)."""
    import zlib

    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    parts = [comp.compress(block) for _ in range(decompressed // len(block))]
    parts.append(comp.flush())
    return b"".join(parts)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like real servers
    # Buffered writes: headers and body leave in one segment (two small writes meet Nagle's
    # algorithm and delayed ACKs, which made every request take milliseconds).
    wbufsize = 1 << 16
    server: "_Server"

    def log_message(self, fmt, *args):  # noqa: ANN001 - keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        request = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
        owner = self.server.owner
        with owner.lock:
            owner.requests.append(request)
        handler = owner.routes.get(self.path.split("?")[0]) or owner.fallback
        reply = handler(request) if handler else Reply(404, b"not found",
                                                       {"Content-Type": "text/plain"})
        try:
            self._send(reply)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (size cap, timeout): fine

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        if isinstance(reply.body, (bytes, bytearray)):
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.status != 304:
                self.wfile.write(reply.body)
            return
        if reply.length is not None:
            self.send_header("Content-Length", str(reply.length))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        for chunk in reply.body:
            self.wfile.write(chunk)
            self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: "LocalServer"

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):  # clients hanging up is normal
            super().handle_error(request, client_address)


class LocalServer:
    """``with LocalServer() as srv: srv.route("/feed", static(...)); srv.url("/feed")``."""

    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, Handler] = {}
        self.fallback: Handler | None = None
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self._server = _Server((host, 0), _Handler)
        self._server.owner = self
        self.host, self.port = self._server.server_address[:2]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def hits(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path.split("?")[0] == path]

    def __enter__(self) -> "LocalServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def gzipped(body: bytes) -> bytes:
    return gzip.compress(body)
