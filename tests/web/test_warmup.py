"""Start-up warm-up, the per-process thread limit, and the PostgreSQL LIKE/ILIKE choice."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cyberline.store.search import _caseless
from cyberline.web import queries
from cyberline.web.app import create_app, warm_up

SECRET = "test-secret-" + "x" * 30


def test_warm_up_builds_what_the_first_requests_would(web_store):
    app = create_app(web_store, secret=SECRET)
    size = warm_up(app)
    snapshot = app.state.facets.get()
    assert size == len(snapshot) > 0
    for lang in ("en", "ja"):  # the home page's counts, for anonymous visitors
        assert (queries.ListFilters(), False, lang) in snapshot.memo
    assert snapshot._sorted_ids is not None
    with TestClient(app) as client:  # and the pages are the same as without a warm-up
        warm = client.get("/incidents.json").json()
    with TestClient(create_app(web_store, secret=SECRET)) as client:
        assert client.get("/incidents.json").json() == warm


def test_rebuilt_snapshots_are_primed_too(web_store):
    app = create_app(web_store, secret=SECRET)
    app.state.facets.get()
    app.state.facets.invalidate()  # no ids: the next request rebuilds
    assert (queries.ListFilters(), False, "en") in app.state.facets.get().memo


def test_one_thread_per_process_still_serves_everything(web_store, monkeypatch):
    monkeypatch.setenv("CYBERLINE_WEB_THREADS", "1")
    with TestClient(create_app(web_store, secret=SECRET)) as client:
        for path in ("/incidents.json", "/search.json?q=ransomware", "/sources.json",
                     "/incidents.json?country=JP"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.headers["X-Frame-Options"] == "DENY"


def test_caseless_terms_can_use_like():
    assert _caseless("ランサムウェア") and _caseless("不正アクセス") and _caseless("2024")
    assert not _caseless("phishing") and not _caseless("Ärzte") and not _caseless("漏洩A")
