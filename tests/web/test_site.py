"""The static site and its Atom feeds: pages, languages, evidence, escaping, feed rules."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from sqlalchemy import select

from cyberline.publish.atom import stable_id
from cyberline.publish.site import build_site
from cyberline.store.schema import Incident


@pytest.fixture
def site(web_store, tmp_path) -> Path:
    build_site(web_store, tmp_path / "site", base_url="https://timeline.example/")
    return tmp_path / "site"


def test_pages_for_posts_incidents_sections_in_both_languages(site):
    for lang in ("ja", "en"):
        root = site / lang
        posts = sorted(p.stem for p in (root / "posts").glob("*.html"))
        assert posts == ["2022-07", "2022-07b", "2022-08", "2022-08a"]
        assert len(list((root / "incidents").glob("*.html"))) == 3
        for rel in ("index.html", "archive.html", "attack-type/ransomware.html",
                    "country/JP.html", "country/US.html", "target-class/K.html"):
            assert (root / rel).is_file(), rel
    assert "ランサムウェア" in (site / "ja/attack-type/ransomware.html").read_text()
    post = (site / "en/posts/2022-08.html").read_text()
    assert "<svg" in post and "Example Bank Ltd." in post and "<script" not in post
    assert (site / "index.html").is_file() and (site / "style.css").is_file()


def test_incident_page_escapes_text_and_highlights_evidence(site):
    html = (site / "ja/incidents/1.html").read_text()
    assert '<mark class="evidence" title="attack_type">ランサムウェア</mark>' in html
    assert "https://example.invalid/ransom" in html
    bad = (site / "en/incidents/3.html").read_text()
    assert "<script>" not in bad and "&lt;script&gt;alert(&#39;x&#39;)" in bad


def _atom_ok(path: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    assert feed.version == "atom10"
    assert feed.feed.id and feed.feed.title and feed.feed.updated_parsed
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids))
    for entry in feed.entries:
        assert entry.id.startswith("urn:uuid:") and entry.title and entry.updated_parsed
        assert entry.link.startswith("https://timeline.example/") and entry.summary
        assert entry.author == "cyberline"
    return feed


def test_feeds_follow_the_atom_rules(site):
    feeds = sorted(site.rglob("*.atom"))
    names = {str(p.relative_to(site)) for p in feeds}
    assert {"en/feeds/posts.atom", "ja/feeds/incidents.atom", "en/feeds/country/JP.atom",
            "ja/feeds/attack-type/phishing.atom"} <= names
    for path in feeds:
        _atom_ok(path)
    posts = _atom_ok(site / "en/feeds/posts.atom")
    assert [e.link.rsplit("/", 1)[1] for e in posts.entries] == \
        ["2022-08.html", "2022-08a.html", "2022-07.html", "2022-07b.html"]
    jp = _atom_ok(site / "ja/feeds/country/JP.atom")
    assert len(jp.entries) == 2
    assert jp.entries[-1].id == stable_id("incident:ja", "1")


def test_rebuild_keeps_ids_and_hides_unpublished(web_store, site, tmp_path):
    first = feedparser.parse((site / "en/feeds/incidents.atom").read_bytes())
    with web_store.session() as s:
        s.scalar(select(Incident).where(Incident.id == 2)).published = False
    again = tmp_path / "again"
    build_site(web_store, again, langs=("en",), base_url="https://timeline.example/")
    second = feedparser.parse((again / "en/feeds/incidents.atom").read_bytes())
    assert {e.id for e in second.entries} == {e.id for e in first.entries} - \
        {stable_id("incident:en", "2")}
    assert not (again / "en/incidents/2.html").exists()
    assert not (again / "ja").exists()
    assert first.feed.id == second.feed.id


def test_empty_database_builds_valid_empty_feeds(tmp_path):
    from cyberline.store import Store

    store = Store.open(str(tmp_path / "empty.sqlite"))
    result = build_site(store, tmp_path / "out", base_url="https://timeline.example/")
    assert result.incidents == 0 and result.pages == 5
    feed = feedparser.parse((tmp_path / "out/en/feeds/posts.atom").read_bytes())
    assert not feed.bozo and feed.entries == [] and feed.feed.updated_parsed
