"""`cyberline watch` ends cleanly on SIGTERM and SIGINT (a real signal to a real process):
exit code 0, a healthy database, and a later pass stores only what is new."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest
from sqlalchemy import func, select

from cyberline.store import Store
from cyberline.store.integrity import check_database
from cyberline.store.schema import Document
from tests.reliability.harness import command_env, cyberline_argv, run_to_end
from tests.support.httpserver import LocalServer, static

pytestmark = pytest.mark.slow


def _feed(server: LocalServer, entries: int = 30) -> str:
    items = "".join(f"<item><title>株式会社シグナル{n} 不正アクセス</title><guid>urn:s:{n}</guid>"
                    f"<link>https://news.invalid/{n}</link><description>株式会社シグナル{n}は"
                    f"不正アクセスを確認しました。</description></item>" for n in range(entries))
    body = (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>s</title>"
            f"<link>https://news.invalid/</link><description>d</description>{items}"
            "</channel></rss>").encode("utf-8")
    return server.route("/feed.xml", static(body, "application/rss+xml"))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_watch_stops_cleanly_on_a_signal(sqlite_url, signum):
    with LocalServer() as server:
        feed = _feed(server)
        Store.open(sqlite_url).close()
        assert run_to_end(cyberline_argv(sqlite_url, "sources", "add", feed, "--name", "s",
                                         "--allow-private")).returncode == 0
        proc = subprocess.Popen(cyberline_argv(sqlite_url, "watch", "--every", "1s"),
                                env=command_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        store = Store.open(sqlite_url)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait for the first pass to store something
            with store.session() as session:
                if session.scalar(select(func.count()).select_from(Document)):
                    break
            time.sleep(0.1)
        proc.send_signal(signum)
        output = proc.communicate(timeout=60)[0].decode("utf-8", "replace")
        assert proc.returncode == 0, output
        assert check_database(store).ok
        # The stop may come mid-pass: what was stored stays, and one more pass stores the rest.
        rerun = run_to_end(cyberline_argv(sqlite_url, "fetch"))
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 30
    assert check_database(store).ok
    store.close()
