"""End-to-end tests of the web and publishing commands."""

from __future__ import annotations

import feedparser
from sqlalchemy import select

from cyberline.auth import authenticate
from cyberline.store import Store
from cyberline.store.schema import User
from tests.web.data import seed


def test_users_add_with_password_from_stdin(cli, tmp_path):
    db = str(tmp_path / "u.sqlite")
    result = cli("users", "add", "alice", "--admin", "--password-stdin", db=db,
                 input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    store = Store.open(db)
    with store.session() as s:
        assert s.scalar(select(User.role).where(User.username == "alice")) == "admin"
        assert authenticate(s, "alice", "a long enough secret") is not None
        assert s.scalar(select(User.password_hash)).startswith("$argon2")
    again = cli("users", "add", "alice", "--password-stdin", db=db, input="another secret!!\n")
    assert again.exit_code == 1 and "exists already" in again.output
    short = cli("users", "add", "bob", "--password-stdin", db=db, input="short\n")
    assert short.exit_code == 1 and "at least 10" in short.output
    bad_role = cli("users", "add", "carol", "--role", "root", "--password-stdin", db=db,
                   input="a long enough secret\n")
    assert bad_role.exit_code == 1 and "role must be" in bad_role.output


def test_users_add_prompts_for_the_password_twice(cli, tmp_path):
    db = str(tmp_path / "p.sqlite")
    result = cli("users", "add", "dan", "--role", "editor", db=db,
                 input="prompted secret!\nprompted secret!\n")
    assert result.exit_code == 0, result.output
    with Store.open(db).session() as s:
        assert s.scalar(select(User.role).where(User.username == "dan")) == "editor"


def test_site_build_command(cli, tmp_path):
    db = str(tmp_path / "s.sqlite")
    seed(Store.open(db))
    out = tmp_path / "site"
    result = cli("site", "build", str(out), "--lang", "ja", "--base-url", "https://t.example",
                 db=db)
    assert result.exit_code == 0, result.output
    assert "3 incidents" in result.output
    assert (out / "ja/incidents/1.html").is_file() and not (out / "en").exists()
    feed = feedparser.parse((out / "ja/feeds/incidents.atom").read_bytes())
    assert not feed.bozo and len(feed.entries) == 3
    assert cli("site", "build", str(out), "--lang", "fr", db=db).exit_code != 0


def test_search_reindex_command(cli, tmp_path):
    db = str(tmp_path / "r.sqlite")
    seed(Store.open(db))
    result = cli("search", "reindex", db=db)
    assert result.exit_code == 0 and "3 incidents indexed" in result.output


def test_demo_builds_the_site_without_serving(cli, tmp_path):
    db, site = str(tmp_path / "demo.sqlite"), tmp_path / "demo-site"
    result = cli("demo", "--no-serve", "--site", str(site), db=db)
    assert result.exit_code == 0, result.output
    assert (site / "index.html").is_file() and (site / "en/feeds/posts.atom").is_file()
    assert "static site:" in result.output
