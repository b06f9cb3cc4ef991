"""Full-text search in Japanese and English on SQLite and PostgreSQL, and the query parser."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import select

from cyberline.store.schema import Incident
from cyberline.store.search import (SearchError, index_stale, parse_query, reindex_all,
                                    search_ids, stale_ids, tokenize)
from tests.web.data import PHISH_TEXT, add, seed
from cyberline.model import Report


def _orgs(store, query: str) -> list[str]:
    with store.session() as s:
        ids = search_ids(s, query)
        return sorted(s.get(Incident, i).organization for i in ids)


def test_japanese_and_english_terms_are_found(store):
    seed(store)
    assert _orgs(store, "ランサムウェア") == ["株式会社テスト商事"]
    assert _orgs(store, "漏洩") == ["株式会社テスト商事"]  # 2 characters: the token index
    assert _orgs(store, "漏えい") == ["株式会社テスト商事"]  # Sudachi normalises the spelling
    assert _orgs(store, "PHISHING credentials") == ["Example Bank Ltd."]
    assert _orgs(store, "不正アクセス") == ["<b>悪意</b>株式会社"]
    assert _orgs(store, "ランサムウェア phishing") == []  # terms are ANDed
    assert _orgs(store, '"login credentials"') == ["Example Bank Ltd."]
    assert _orgs(store, "存在しない語句") == []


def test_query_syntax_characters_are_searched_as_text(store):
    seed(store)
    for query in ['"', "AND OR NOT", "a*b", "<script>", "100%", "x_y", "(", "NEAR(a b)"]:
        try:
            _orgs(store, query)
        except SearchError:
            pass  # nothing searchable in it: a clear error, not a crash
    assert _orgs(store, "<script>") == ["<b>悪意</b>株式会社"]


def test_index_follows_new_documents_and_reindex(store):
    seed(store)
    with store.session() as s:
        assert stale_ids(s) == []
    add(store, "phish2", PHISH_TEXT + " Follow-up: smishing too.", Report(
        id="x", kind="incident_news", organization="Example Bank Ltd.",
        disclosure_date="2022-08-04", attack_type="phishing", is_followup_report=True))
    assert _orgs(store, "smishing") == ["Example Bank Ltd."]
    with store.session() as s:
        incident = s.scalar(select(Incident).where(Incident.organization == "Example Bank Ltd."))
        incident.organization = "Renamed Bank"
    with store.session() as s:
        assert stale_ids(s) == [incident.id]
        assert index_stale(s) == 1
    assert _orgs(store, "Renamed") == ["Renamed Bank"]
    assert reindex_all(store) == 3
    assert _orgs(store, "Renamed") == ["Renamed Bank"]


def test_empty_query_is_a_clear_error(store):
    with store.session() as s, pytest.raises(SearchError):
        search_ids(s, "  、。 ")


def test_tokenize_splits_japanese_into_short_words():
    assert "漏洩" in tokenize("個人情報漏洩")
    assert tokenize("Ransomware ATTACK") == ["ransomware", "attack"]
    assert tokenize("") == []
    # a Sudachi entry with a space inside (found by hypothesis): two tokens, not one
    assert tokenize("PUBLIC ADDRESS") == ["public", "address"]


@given(st.text(max_size=200))
def test_parse_query_never_fails_and_terms_are_trimmed(query):
    terms = parse_query(query)
    assert len(terms) <= 8
    for term in terms:
        assert term == term.strip() and term


@given(st.text(max_size=100))
def test_tokenize_never_fails_and_gives_no_blank_tokens(value):
    assert all(t and " " not in t and '"' not in t for t in tokenize(value))
