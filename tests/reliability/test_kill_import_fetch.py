"""SIGKILL in the middle of `import timeline` and `fetch`, restart, and nothing is lost,
duplicated or corrupt; the rerun stores exactly the rest (SQLite WAL and PostgreSQL)."""

from __future__ import annotations

import csv
import random

import pytest

from cyberline.store import Store
from tests.reliability.harness import cyberline_argv, run_and_kill, run_to_end
from tests.reliability.test_kill_restart import _assert_healthy
from tests.support.httpserver import LocalServer, static

pytestmark = pytest.mark.slow  # child processes, thousands of rows

ROWS = 3000
HEADER = ["Date Reported", "Date Occurred", "Date Discovered", "Author", "Target", "Description",
          "Attack", "Target Class", "Attack Class", "Country", "Link", "Tags"]


def _timeline(path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for n in range(ROWS):
            day = 1 + n % 28
            writer.writerow([f"2020-01-{day:02d} 00:00:00", "null", "null", "?", f"Victim {n}",
                             f"Victim {n} discloses a ransomware attack ({n}).", "Malware",
                             "C Manufacturing", "CC", "US", f"https://news.invalid/{n}",
                             "ransomware"])


def test_import_survives_sigkill_and_resumes(db_url, tmp_path):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    path = tmp_path / "timeline.csv"
    _timeline(path)
    Store.open(db_url).close()
    outcome = run_and_kill(cyberline_argv(db_url, "import", "timeline", str(path)), db_url,
                           rng.randint(500, 1500), rng, timeout=240)
    assert outcome.killed, f"seed {seed}: import ended first\n{outcome.output}"
    counts = _assert_healthy(db_url, outcome.seen)
    assert counts["documents"] < ROWS, f"seed {seed}: killed too late to prove a resume"
    rerun = run_to_end(cyberline_argv(db_url, "import", "timeline", str(path)))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    final = _assert_healthy(db_url, outcome.seen)
    assert final["documents"] == final["reports"] == ROWS
    assert final["incidents"] == ROWS  # one incident per timeline row, none merged or lost


ENTRIES = 400


def _feed(server: LocalServer) -> str:
    items = "".join(
        f"<item><title>株式会社フェッチ{n} 不正アクセスについて</title>"
        f"<link>{server.url(f'/n/{n}')}</link><guid>{server.url(f'/n/{n}')}</guid>"
        f"<pubDate>Mon, 01 Aug 2022 10:00:00 +0900</pubDate>"
        f"<description>株式会社フェッチ{n}は2022年7月{1 + n % 28}日に不正アクセスを確認しました。"
        f"({n})</description></item>" for n in range(ENTRIES))
    body = f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t</title>" \
           f"<link>{server.url('/')}</link><description>d</description>{items}</channel></rss>"
    return server.route("/feed.xml", static(body.encode("utf-8"), "application/rss+xml"))


def test_fetch_survives_sigkill_and_resumes(db_url):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    with LocalServer() as server:
        feed = _feed(server)
        Store.open(db_url).close()
        added = run_to_end(cyberline_argv(db_url, "sources", "add", feed, "--name", "local",
                                          "--allow-private"))
        assert added.returncode == 0, added.stdout + added.stderr
        outcome = run_and_kill(cyberline_argv(db_url, "fetch"), db_url,
                               rng.randint(20, 200), rng, timeout=240)
        assert outcome.killed, f"seed {seed}: fetch ended first\n{outcome.output}"
        counts = _assert_healthy(db_url, outcome.seen)
        assert counts["documents"] < ENTRIES, f"seed {seed}: killed too late"
        rerun = run_to_end(cyberline_argv(db_url, "fetch"))
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    final = _assert_healthy(db_url, outcome.seen)
    assert final["documents"] == final["reports"] == ENTRIES
