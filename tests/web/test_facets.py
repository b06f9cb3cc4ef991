"""The facet snapshot gives exactly what SQL over the incidents gives (counts, total, page)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select

from cyberline.store import Store
from cyberline.store.schema import Incident, IncidentCountry, IncidentSearch
from cyberline.store.search import matching_ids, search_ids
from cyberline.web import queries
from cyberline.web.facets import FacetIndex
from cyberline.web.queries import PER_PAGE, ListFilters, filtered

ATTACKS = ["ransomware", "phishing", "ddos", "unknown"]
MOTIVES = ["cybercrime", "espionage", "unknown"]
CLASSES = ["C", "K", "J", "Z"]
COUNTRIES = ["JP", "US", "DE"]
WORDS = ["alpha", "ransomware", "漏洩", "phishing attack", "cloud"]


@pytest.fixture(scope="module")
def random_store(tmp_path_factory):
    store = Store.open(str(tmp_path_factory.mktemp("facets") / "f.sqlite"))
    fill_randomly(store)
    yield store
    store.close()


def fill_randomly(store: Store) -> None:
    rng = random.Random(3)
    incidents, countries, texts = [], [], []
    for i in range(1, 400):
        day = None if rng.random() < 0.05 else date(2022, 1, 1) + timedelta(rng.randrange(400))
        cs = rng.sample(COUNTRIES, rng.choice((0, 1, 1, 2)))
        incidents.append({"id": i, "organization": f"org {i}", "disclosure_date": day,
                          "attack_type": rng.choice(ATTACKS), "motivation": rng.choice(MOTIVES),
                          "target_class": rng.choice(CLASSES), "country": cs[0] if cs else None,
                          "countries": cs, "published": rng.random() > 0.2, "provenance": {},
                          "data_categories": [], "reported_to": []})
        countries += [{"incident_id": i, "country": c, "disclosure_date": day} for c in cs]
        texts.append(" ".join(rng.sample(WORDS, 2)))
    with store.engine.begin() as conn:
        conn.execute(insert(Incident), incidents)
        conn.execute(insert(IncidentCountry), countries)
    from cyberline.store.search import tokenize, write_rows

    with store.session() as s:
        write_rows(s, [(i, t, " ".join(tokenize(t))) for i, t in enumerate(texts, start=1)])


def sql_list(session, filters: ListFilters, unpublished: bool, page: int):
    """The list as plain SQL computes it (the code before the snapshot)."""
    ids = filtered(session, select(Incident.id), filters, unpublished).scalar_subquery()
    facets = {}
    for name in ("attack_type", "motivation", "target_class", "country"):
        if name == "country":
            query = (select(IncidentCountry.country, func.count())
                     .where(IncidentCountry.incident_id.in_(ids)).group_by(IncidentCountry.country))
        else:
            column = getattr(Incident, name)
            query = select(column, func.count()).where(Incident.id.in_(ids)).group_by(column)
        facets[name] = sorted(((v, n) for v, n in session.execute(query) if v is not None),
                              key=lambda r: (-r[1], str(r[0])))
    total = session.scalar(filtered(session, select(func.count()).select_from(Incident),
                                    filters, unpublished))
    rows = session.scalars(filtered(session, select(Incident.id), filters, unpublished)
                           .order_by(Incident.disclosure_date.desc().nulls_last(),
                                     Incident.id.desc())
                           .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return total, facets, list(rows)


CASES = [ListFilters(), ListFilters(attack_type="ransomware"), ListFilters(country="JP"),
         ListFilters(country="US", motivation="cybercrime"), ListFilters(period="2022-08"),
         ListFilters(period="2022", target_class="K"), ListFilters(q="ransomware"),
         ListFilters(q="漏洩", country="DE"), ListFilters(q="phishing attack"),
         ListFilters(attack_type="no-such-type"), ListFilters(country="ZZ"),
         ListFilters(q="cloud alpha", period="2022-03")]


@pytest.mark.parametrize("filters", CASES, ids=lambda f: repr(f.active()))
@pytest.mark.parametrize("unpublished", [False, True])
def test_snapshot_matches_sql(random_store, filters, unpublished):
    index = FacetIndex(random_store.session)
    with random_store.session() as s:
        for page in (1, 2):
            total, facets, ids = sql_list(s, filters, unpublished, page)
            data = queries.incident_list(s, filters, unpublished=unpublished, page=page,
                                         facets=index, cache=queries.TTLCache())
            assert data["total"] == total
            assert {k: [(f["value"], f["count"]) for f in v]
                    for k, v in data["facets"].items()} == facets
            assert [row["id"] for row in data["incidents"]] == ids


def test_matching_ids_agree_with_search_clause(random_store):
    with random_store.session() as s:
        for q in ("ransomware", "漏洩", "phishing attack", "cloud alpha", "nothing-like-it"):
            assert sorted(matching_ids(s, q)) == search_ids(s, q, limit=10_000)
        assert s.scalar(select(func.count()).select_from(IncidentSearch)) == 399


def test_invalidate_rebuilds_and_ttl_refreshes(random_store):
    index = FacetIndex(random_store.session, ttl=3600)
    first = index.get()
    assert index.get() is first
    index.invalidate()
    second = index.get()
    assert second is not first and len(second) == len(first)


def test_empty_store(tmp_path):
    store = Store.open(str(tmp_path / "empty.sqlite"))
    try:
        with store.session() as s:
            data = queries.incident_list(s, ListFilters(country="JP", period="2022"),
                                         unpublished=False, facets=FacetIndex(store.session))
        assert data["total"] == 0 and data["incidents"] == []
        assert data["facets"] == {"attack_type": [], "motivation": [], "target_class": [],
                                  "country": []}
    finally:
        store.close()


def test_background_refresh_follows_changes(random_store):
    import time

    index = FacetIndex(random_store.session, ttl=0)
    first = index.get()
    index.get()  # starts a check: nothing changed, the snapshot stays
    for _ in range(100):
        if not index._refreshing:
            break
        time.sleep(0.05)
    assert index.get() is first or len(index.get()) == len(first)
    with random_store.session() as s:
        s.add(Incident(id=10_000, organization="new", published=True))
    for _ in range(100):
        if len(index.get()) == len(first) + 1:
            break
        time.sleep(0.05)
    assert len(index.get()) == len(first) + 1
    with random_store.session() as s:
        s.delete(s.get(Incident, 10_000))


def test_patch_after_a_field_change_equals_a_rebuild(random_store):
    index = FacetIndex(random_store.session, ttl=3600)
    before = index.get()
    with random_store.session() as s:
        a, b = s.get(Incident, 5), s.get(Incident, 6)
        old = (a.attack_type, a.published, b.target_class)
        old_day = a.disclosure_date
        a.attack_type, a.published, b.target_class = "brand_new_type", not a.published, "Q"
    try:
        index.invalidate([5, 6])
        patched = index.get()
        assert patched is not before and len(patched.ids) == len(before.ids)
        fresh = FacetIndex(random_store.session).get()
        for filters in CASES[:6] + [ListFilters(attack_type="brand_new_type")]:
            for unpublished in (False, True):
                args = dict(unpublished=unpublished,
                            fields={n: getattr(filters, n) for n in ("attack_type", "motivation",
                                                                      "target_class")},
                            country=filters.country, start=None, end=None, ranks=None)
                got, want = patched.select(**args), fresh.select(**args)
                assert (got == want).all()
                assert patched.counts(got) == fresh.counts(want)
        with random_store.session() as s:  # a date change needs a rebuild
            s.get(Incident, 5).disclosure_date = date(1999, 1, 1)
        with random_store.session() as s:
            assert index.get().patched(s, [5]) is None
    finally:
        with random_store.session() as s:
            a, b = s.get(Incident, 5), s.get(Incident, 6)
            a.attack_type, a.published, b.target_class = old
            a.disclosure_date = old_day


def test_capped_matches_are_the_highest_ids(random_store):
    """The capped match list is exactly the ``cap`` highest matching ids, for every cap (the
    retry with longer lists included: terms whose intersection is small)."""
    check_capped_matches(random_store)


@pytest.mark.postgres
def test_capped_matches_are_the_highest_ids_on_postgresql(postgres_url):
    """PostgreSQL asks one query per term (trigram OR token condition on the same row)."""
    store = Store.open(postgres_url)
    try:
        fill_randomly(store)
        check_capped_matches(store)
    finally:
        store.close()


def check_capped_matches(store: Store) -> None:
    from cyberline.store.search import capped_matching_ids
    with store.session() as s:
        for q in ("ransomware", "漏洩", "phishing attack", "cloud alpha", "alpha 漏洩",
                  "nothing-like-it"):
            full = sorted(matching_ids(s, q), reverse=True)
            for cap in (1, 3, 20, 100, 10_000):
                ids, more = capped_matching_ids(s, q, cap)
                assert ids == full[:cap] and more == (len(full) > cap), (q, cap)


def test_capped_search_counts_the_capped_part_and_says_so(random_store, monkeypatch):
    """Rule for a capped text search: total, facets and page are those of the SQL path over the
    incidents among the MATCH_CAP highest matching ids, flagged as a lower bound."""
    monkeypatch.setattr(queries, "MATCH_CAP", 25)
    import cyberline.store.search as search
    monkeypatch.setattr(search, "MATCH_CAP", 25)
    monkeypatch.setattr(search.capped_matching_ids, "__defaults__", (25,))
    with random_store.session() as s:
        kept = sorted(matching_ids(s, "ransomware"), reverse=True)[:25]
        for filters in (ListFilters(q="ransomware"), ListFilters(q="ransomware", country="JP")):
            data = queries.incident_list(s, filters, unpublished=False,
                                         facets=FacetIndex(random_store.session))
            query = filtered(s, select(Incident.id), ListFilters(
                attack_type=filters.attack_type, country=filters.country), False)
            want = set(s.scalars(query.where(Incident.id.in_(kept))))
            assert data["total"] == len(want) and data["total_is_lower_bound"] is True
            assert data["match_cap"] == 25
            assert {row["id"] for row in data["incidents"]} <= want
        small = queries.incident_list(s, ListFilters(q="nothing-like-it"), unpublished=False,
                                      facets=FacetIndex(random_store.session))
        assert small["total_is_lower_bound"] is False


def test_the_match_cap_can_be_set_by_the_operator(monkeypatch, caplog):
    from cyberline.store.search import _match_cap
    monkeypatch.delenv("CYBERLINE_SEARCH_MATCH_CAP", raising=False)
    assert _match_cap() == 5_000
    monkeypatch.setenv("CYBERLINE_SEARCH_MATCH_CAP", "20000")
    assert _match_cap() == 20_000
    monkeypatch.setenv("CYBERLINE_SEARCH_MATCH_CAP", "lots")
    assert _match_cap() == 5_000 and "not a number" in caplog.text
