"""Start-up warm-up, the per-process thread limit, and PostgreSQL's lower-cased search body."""

from __future__ import annotations

from fastapi.testclient import TestClient

import pytest
from sqlalchemy import text

from cyberline.store.search import matching_ids
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


@pytest.mark.postgres
def test_postgres_lower_body_finds_what_ilike_finds(postgres_url):
    """Migration web3c: ``body_lower LIKE lower(pattern)`` gives the rows ``body ILIKE pattern``
    gives, for cased, caseless and LIKE-special terms; the migration goes down and up again."""
    from alembic import command

    from cyberline.store import Store
    from cyberline.store.db import _alembic_config
    from cyberline.store.schema import Incident, IncidentSearch
    from cyberline.store.search import _escape_like

    store = Store.open(postgres_url)
    bodies = ["Phishing at ÄRZTE GmbH", "phishing", "PHISHING 100% x_y", "ランサムウェア Contoso",
              "contoso ransomware", "ΣΊΣΥΦΟΣ attack", "nothing here"]
    with store.session() as s:
        for n, body in enumerate(bodies, start=1):
            s.add(Incident(id=n, organization=f"org {n}"))
            s.flush()
            s.add(IncidentSearch(incident_id=n, body=body, tokens=""))
    terms = ["phishing", "PhIsHiNg", "ärzte", "Contoso", "ランサムウェア", "σίσυφος", "100%",
             "x_y", "% x"]
    with store.session() as s:
        for term in terms:
            ilike = set(s.scalars(text("SELECT incident_id FROM incident_search WHERE body "
                                       "ILIKE :p ESCAPE '\\'"),
                                  {"p": f"%{_escape_like(term)}%"}))
            assert matching_ids(s, f'"{term}"') == ilike, term
        assert matching_ids(s, "Contoso") == {4, 5}
    cfg = _alembic_config(postgres_url)
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "pw02")
    with store.engine.begin() as conn:
        assert "body_lower" not in {r[0] for r in conn.execute(text(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'incident_search'"))}
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with store.session() as s:  # the existing rows are filled in again
        assert matching_ids(s, "PHISHING") == {1, 2, 3}
    store.close()
