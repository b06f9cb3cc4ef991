"""The web app keeps serving reads while `watch` ingests a changing feed: no errors, no lost
writes (issue 9). Both run as real processes: `cyberline serve` and `cyberline watch`."""

from __future__ import annotations

import socket
import subprocess
import threading
import time

import httpx
import pytest
from sqlalchemy import func, select

from cyberline.store import Store
from cyberline.store.schema import Document
from tests.reliability.harness import command_env, cyberline_argv, run_to_end
from tests.support.httpserver import LocalServer, Reply

pytestmark = pytest.mark.slow

PER_PASS = 15
PASSES = 6


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_reads_keep_working_while_watch_ingests(db_url):
    served: set[int] = set()
    lock = threading.Lock()
    state = {"requests": 0}

    def changing_feed(request):
        # Each fetch of the feed shows PER_PASS more entries than the last one.
        with lock:
            state["requests"] += 1
            upto = PER_PASS * state["requests"]
            served.update(range(upto))
        items = "".join(
            f"<item><title>株式会社ウォッチ{n} 不正アクセスについて</title><guid>urn:w:{n}</guid>"
            f"<link>https://news.invalid/{n}</link>"
            f"<description>株式会社ウォッチ{n}は不正アクセスを確認しました。({n})</description></item>"
            for n in range(upto))
        body = (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>w"
                f"</title><link>https://news.invalid/</link><description>d</description>{items}"
                "</channel></rss>").encode("utf-8")
        return Reply(200, body, {"Content-Type": "application/rss+xml"})

    port = _free_port()
    Store.open(db_url).close()
    with LocalServer() as feeds:
        feed = feeds.route("/feed.xml", changing_feed)
        assert run_to_end(cyberline_argv(db_url, "sources", "add", feed, "--name", "w",
                                         "--allow-private")).returncode == 0
        web = subprocess.Popen(cyberline_argv(db_url, "serve", "--port", str(port)),
                               env=command_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/incidents.json", timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            watcher = subprocess.Popen(
                cyberline_argv(db_url, "watch", "--every", "1s", "--passes", str(PASSES)),
                env=command_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            statuses: list[int] = []
            totals: list[int] = []
            with httpx.Client(timeout=30) as client:
                while watcher.poll() is None:
                    for path in ("/incidents.json", "/incidents.json?q=不正アクセス",
                                 "/incidents.json?country=JP"):
                        reply = client.get(base + path)
                        statuses.append(reply.status_code)
                        if path == "/incidents.json":
                            totals.append(reply.json()["total"])
            output = watcher.communicate()[0].decode("utf-8", "replace")
            assert watcher.returncode == 0, output
        finally:
            web.terminate()
            web.wait(timeout=30)
    assert statuses and set(statuses) == {200}, f"{len(statuses)} reads: {set(statuses)}"
    assert totals == sorted(totals)  # what was visible never went away
    store = Store.open(db_url)
    with store.session() as session:
        stored = session.scalar(select(func.count()).select_from(Document))
    assert stored == len(served)  # every entry served was stored exactly once
