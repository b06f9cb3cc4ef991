"""The collection commands end to end: sources add/list/remove/import, fetch, watch."""

from __future__ import annotations

import json

import pytest

from cyberline.collect.sources import SourceError, read_source_file
from tests.collect.test_fetch import NOTICE_JA, rss
from tests.support.httpserver import static

TOML = """
[[source]]
name = "JPCERT/CC"
url = "https://www.jpcert.or.jp/rss/jpcert.rdf"
lang = "ja"

[[source]]
name = "IPA news"
url = "https://www.ipa.go.jp/news/"
kind = "page"
follow_links = true
link_pattern = "/security/"
"""

OPML = """<?xml version="1.0"?><opml version="2.0"><head><title>feeds</title></head><body>
<outline text="security"><outline text="CISA" type="rss" xmlUrl="https://www.cisa.gov/news.xml"/>
<outline text="folder only"/></outline></body></opml>"""


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "cli.sqlite")


def test_sources_add_list_remove(cli, db):
    out = cli("sources", "add", "https://www.jpcert.or.jp/rss/jpcert.rdf", "--lang", "ja", db=db)
    assert out.exit_code == 0 and "www.jpcert.or.jp/rss/jpcert.rdf" in out.stdout
    dup = cli("sources", "add", "https://www.jpcert.or.jp/rss/jpcert.rdf", "--name", "x", db=db)
    assert dup.exit_code == 1 and "already watched" in dup.stderr
    assert cli("sources", "add", "file:///etc/passwd", db=db).exit_code == 1
    assert cli("sources", "add", "https://a.example/", "--kind", "blog", db=db).exit_code == 1
    listed = cli("sources", "list", db=db)
    assert "jpcert" in listed.stdout and "never" in listed.stdout
    assert cli("sources", "remove", "www.jpcert.or.jp/rss/jpcert.rdf", db=db).exit_code == 0
    assert "no sources" in cli("sources", "list", db=db).stdout
    assert cli("sources", "remove", "nothing", db=db).exit_code == 1


def test_sources_import_toml_and_opml(cli, db, tmp_path):
    (tmp_path / "s.toml").write_text(TOML, encoding="utf-8")
    (tmp_path / "s.opml").write_text(OPML, encoding="utf-8")
    first = cli("sources", "import", str(tmp_path / "s.toml"), db=db)
    assert "2 added" in first.stdout
    assert "0 added, 2 already present" in cli("sources", "import", str(tmp_path / "s.toml"),
                                               db=db).stdout
    assert "1 added" in cli("sources", "import", str(tmp_path / "s.opml"), db=db).stdout
    listed = {s["name"]: s for s in map(json.loads, cli("sources", "list", "--json",
                                                         db=db).stdout.splitlines())}
    assert listed["IPA news"]["follow_links"] and listed["IPA news"]["kind"] == "page"
    assert listed["CISA"]["url"] == "https://www.cisa.gov/news.xml"


@pytest.mark.parametrize("text,reason", [
    ("[[source]]\nname = 'x'\n", "no url"),
    ("[[source]]\nurl = 'https://a.example/'\ncolour = 'red'\n", "unknown keys"),
    ("not toml = = =", "not valid TOML"),
    ("<opml><body><outline text='x'/></body></opml>", "no outline with an xmlUrl"),
    ("<opml><body>", "not valid OPML"),
])
def test_bad_source_files_are_clear_errors(tmp_path, text, reason):
    path = tmp_path / ("s.opml" if text.startswith("<") else "s.toml")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=reason):
        read_source_file(path)


def test_the_example_source_list_is_valid():
    from pathlib import Path

    specs = read_source_file(Path(__file__).parents[2] / "examples" / "sources.toml")
    assert len(specs) >= 10
    for spec in specs:
        spec.validated()  # raises on a bad URL, kind or language


def test_fetch_and_watch_commands(cli, db, server):
    server.route("/n/1.html", static(NOTICE_JA.encode(), "text/html; charset=utf-8", etag='"1"'))
    server.route("/feed.xml", static(rss([("g1", "お知らせ", server.url("/n/1.html"))]),
                                     "application/rss+xml", etag='"f"'))
    added = cli("sources", "add", server.url("/feed.xml"), "--name", "local", "--follow-links",
                "--allow-private", db=db)
    assert added.exit_code == 0
    cli("sources", "add", server.url("/x.xml"), "--name", "refused", db=db)
    import os

    os.environ["CYBERLINE_FETCH_DELAY"] = "0"
    try:
        out = cli("fetch", "local", db=db)
        assert out.exit_code == 0, out.stdout
        assert "1 new, 0 changed, 0 unchanged, 0 skipped" in out.stdout
        refused = cli("fetch", "refused", db=db)
        assert refused.exit_code == 1 and "loopback" in refused.stdout
        assert cli("fetch", "nosuch", db=db).exit_code == 2
        watched = cli("watch", "local", "--every", "1s", "--passes", "2", db=db)
        assert watched.exit_code == 0 and "watch ended after 2 passes" in watched.stdout
        listed = [json.loads(x) for x in cli("sources", "list", "--json", db=db).stdout.split("\n")
                  if x]
        assert {s["name"]: s["last_status"] for s in listed} == {
            "local": "304 not modified: 0 new, 0 changed, 0 unchanged, 0 skipped",
            "refused": listed[1]["last_status"]}
        assert "loopback" in listed[1]["last_status"]
        assert cli("watch", "--every", "soon", db=db).exit_code == 2
    finally:
        del os.environ["CYBERLINE_FETCH_DELAY"]


def test_settings_from_file_and_environment(tmp_path):
    from cyberline.collect.settings import SettingsError, load_settings

    config = tmp_path / "config.toml"
    config.write_text('[fetch]\ncontact = "ops@example.org"\nper_host_delay = 2.5\n')
    settings = load_settings({"CYBERLINE_CONFIG": str(config), "CYBERLINE_FETCH_DELAY": "4"})
    assert settings.contact == "ops@example.org" and settings.per_host_delay == 4.0
    assert settings.agent.endswith("contact: ops@example.org")
    config.write_text("[fetch]\nspeed = 1\n")
    with pytest.raises(SettingsError, match="unknown"):
        load_settings({"CYBERLINE_CONFIG": str(config)})
    with pytest.raises(SettingsError, match="not a int"):
        load_settings({"CYBERLINE_CONFIG": str(tmp_path / "none"), "CYBERLINE_FETCH_RETRIES": "x"})


def test_links_are_revisited_after_their_interval_or_with_recheck(cli, db, server):
    server.route("/n/1.html", static(NOTICE_JA.encode(), "text/html; charset=utf-8", etag='"1"'))
    server.route("/feed.xml", static(rss([("g1", "お知らせ", server.url("/n/1.html"))]),
                                     "application/rss+xml"))  # no validators: read every pass
    cli("sources", "add", server.url("/feed.xml"), "--name", "local", "--follow-links",
        "--allow-private", db=db)
    import os

    os.environ["CYBERLINE_FETCH_DELAY"] = "0"
    try:
        assert "1 new" in cli("fetch", db=db).stdout
        # Next pass, inside the recheck interval: the feed is read, the known link not asked.
        assert "0 new, 0 changed, 1 unchanged" in cli("fetch", db=db).stdout
        assert len(server.hits("/n/1.html")) == 1
        # --recheck: a conditional GET now, answered 304.
        assert "0 new, 0 changed, 1 unchanged" in cli("fetch", "--recheck", db=db).stdout
        hits = server.hits("/n/1.html")
        assert len(hits) == 2 and hits[1].headers["if-none-match"] == '"1"'
    finally:
        del os.environ["CYBERLINE_FETCH_DELAY"]
