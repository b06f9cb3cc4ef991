"""Full-text search over incidents, in Japanese and English, on SQLite and PostgreSQL.

Each incident has one ``incident_search`` row: ``body`` (organisation, titles, descriptions,
attack-type labels in both languages, the text of its documents) and ``tokens`` (the Sudachi
split-mode-A normalised tokens of the body, space-joined). A query term of 3+ characters is looked
up in a trigram index (FTS5 ``trigram`` / pg_trgm); a shorter one (漏洩, "AI") through the token
index, because a trigram index cannot see 2-character words. Terms are ANDed.

The index follows the data through ``index_incidents`` (called by the pipeline and the curation
pages after a write) and ``index_stale`` / ``reindex_all`` (``cyberline search reindex``).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
from typing import Iterable

from sqlalchemy import (ColumnElement, Integer, Select, Text, and_, cast, delete, func, literal,
                        literal_column, or_, select, text)
from sqlalchemy.orm import Session

from cyberline.analyze.describe import label
from cyberline.store.schema import Document, Incident, IncidentReport, IncidentSearch, Report
from cyberline.store.schema import utcnow

# Enough of each document to find it by; whole PDFs would only bloat the index.
DOC_CHARS = 20_000
# An incident is re-indexed each time a report joins it: an incident with hundreds of follow-ups
# would otherwise re-read and re-tokenise all of them on every new one (quadratic work, and memory
# that grows with the incident). Its first and its latest documents are what a search needs.
FIRST_DOCS = LAST_DOCS = 8
MAX_TERMS = 8


def _match_cap(default: int = 5_000) -> int:
    """A text search lists at most this many matches (the ones added last, 100 pages of 50):
    the first search of a term matching 200,000 of a million incidents is then bounded, and
    pages say that the total and the facet counts are lower bounds. 5,000 rather than 10,000:
    the first searches of a busy server cost half as much (bench/web.py, PostgreSQL, first
    pass p95 ~130 ms vs ~200-240 ms at a million incidents). CYBERLINE_SEARCH_MATCH_CAP sets
    another bound (larger: fuller facet counts of very common terms, slower first searches)."""
    value = os.environ.get("CYBERLINE_SEARCH_MATCH_CAP")
    if not value:
        return default
    try:
        return max(1, int(value))
    except ValueError:
        logging.getLogger(__name__).warning(
            "CYBERLINE_SEARCH_MATCH_CAP=%r is not a number: using %d", value, default)
        return default


MATCH_CAP = _match_cap()
_local = threading.local()
_QUERY_TERM = re.compile(r'"([^"]*)"|(\S+)')
_WORDLIKE = re.compile(r"\w", re.UNICODE)


class SearchError(ValueError):
    """A query that cannot be searched (for example: nothing but punctuation)."""


_dictionary_lock = threading.Lock()
_dictionary = None


def _tokenizer():
    # Loading the dictionary takes ~0.5 s: once per process. Tokenizers are not safe to share
    # between threads (the web app serves in a thread pool): one per thread.
    global _dictionary
    if not hasattr(_local, "tok"):
        from sudachipy import dictionary, tokenizer

        with _dictionary_lock:
            if _dictionary is None:
                _dictionary = dictionary.Dictionary()
        _local.tok = _dictionary.create()
        _local.mode = tokenizer.Tokenizer.SplitMode.A
    return _local.tok, _local.mode


def tokenize(value: str) -> list[str]:
    """Normalised short tokens (漏えい and 漏洩 both give 漏洩), lower case, words only."""
    value = unicodedata.normalize("NFKC", value or "")
    if not value.strip():
        return []
    tok, mode = _tokenizer()
    out: list[str] = []
    # Sudachi refuses inputs over ~49 KB; feed it line-sized pieces.
    for piece in re.split(r"[\n\r]+", value):
        for start in range(0, len(piece), 4000):
            for m in tok.tokenize(piece[start:start + 4000], mode):
                surface = m.surface()
                # Sudachi normalises some English words to katakana (attack -> アタック).
                word = (surface if surface.isascii() else m.normalized_form()).lower()
                # a dictionary entry can hold a space ("PUBLIC ADDRESS" is one): its words
                out += [w.replace('"', "") for w in word.split() if _WORDLIKE.search(w)]
    return [w for w in out if w]


def parse_query(query: str) -> list[str]:
    """Terms of a query: whitespace-separated words or "quoted phrases", NFKC, at most 8."""
    query = unicodedata.normalize("NFKC", query or "")
    terms = []
    for m in _QUERY_TERM.finditer(query):
        term = (m.group(1) if m.group(1) is not None else m.group(2)).strip()
        if term and _WORDLIKE.search(term):
            terms.append(term)
    return terms[:MAX_TERMS]


def incident_body(session: Session, incident: Incident) -> str:
    """What an incident is found by: its fields, and the titles and texts of its first and latest
    documents (``FIRST_DOCS`` + ``LAST_DOCS``, ``DOC_CHARS`` of each)."""
    query = (select(Document.id, Document.title, func.substr(Document.text, 1, DOC_CHARS))
             .join(Report, Report.document_id == Document.id)
             .join(IncidentReport, IncidentReport.report_id == Report.id)
             .where(IncidentReport.incident_id == incident.id))
    first = session.execute(query.order_by(Document.id).limit(FIRST_DOCS)).all()
    latest = session.execute(query.order_by(Document.id.desc()).limit(LAST_DOCS)).all()
    docs = {row[0]: row for row in first + latest[::-1]}
    parts = [incident.organization, incident.title, incident.description_en,
             incident.description_ja, label("attack_type", incident.attack_type, "en"),
             label("attack_type", incident.attack_type, "ja")]
    for _id, title, body in sorted(docs.values()):
        parts += [title, body]
    return "\n".join(p for p in parts if p)


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def write_rows(session: Session, rows: Iterable[tuple[int, str, str]]) -> int:
    """Store (incident_id, body, tokens) rows, replacing what was indexed for those incidents."""
    count = 0
    sqlite = _sqlite(session)
    for incident_id, body, tokens in rows:
        old = session.get(IncidentSearch, incident_id)
        if old is not None:
            if sqlite:
                # External-content FTS5 tables forget a row only when told its old values.
                session.execute(text("INSERT INTO search_trigram(search_trigram, rowid, body) "
                                     "VALUES ('delete', :id, :body)"),
                                {"id": incident_id, "body": old.body})
                session.execute(text("INSERT INTO search_tokens(search_tokens, rowid, tokens) "
                                     "VALUES ('delete', :id, :tokens)"),
                                {"id": incident_id, "tokens": old.tokens})
            old.body, old.tokens, old.indexed_at = body, tokens, utcnow()
        else:
            session.add(IncidentSearch(incident_id=incident_id, body=body, tokens=tokens,
                                       indexed_at=utcnow()))
        session.flush()
        if sqlite:
            session.execute(text("INSERT INTO search_trigram(rowid, body) VALUES (:id, :body)"),
                            {"id": incident_id, "body": body})
            session.execute(text("INSERT INTO search_tokens(rowid, tokens) VALUES (:id, :tokens)"),
                            {"id": incident_id, "tokens": tokens})
        count += 1
    return count


def index_incidents(session: Session, incident_ids: Iterable[int]) -> int:
    """(Re)index these incidents now; ids of deleted incidents drop out of the index."""
    rows = []
    for incident_id in dict.fromkeys(incident_ids):
        incident = session.get(Incident, incident_id)
        if incident is None:
            _forget(session, incident_id)
            continue
        body = incident_body(session, incident)
        rows.append((incident_id, body, " ".join(tokenize(body))))
    return write_rows(session, rows)


def _forget(session: Session, incident_id: int) -> None:
    old = session.get(IncidentSearch, incident_id)
    if old is None:
        return
    if _sqlite(session):
        session.execute(text("INSERT INTO search_trigram(search_trigram, rowid, body) "
                             "VALUES ('delete', :id, :body)"), {"id": incident_id, "body": old.body})
        session.execute(text("INSERT INTO search_tokens(search_tokens, rowid, tokens) "
                             "VALUES ('delete', :id, :t)"), {"id": incident_id, "t": old.tokens})
    session.execute(delete(IncidentSearch).where(IncidentSearch.incident_id == incident_id))


def stale_ids(session: Session, limit: int | None = None) -> list[int]:
    """Incidents never indexed or changed since they were indexed."""
    query = (select(Incident.id).outerjoin(IncidentSearch,
                                            IncidentSearch.incident_id == Incident.id)
             .where(or_(IncidentSearch.incident_id.is_(None),
                        Incident.updated_at > IncidentSearch.indexed_at))
             .order_by(Incident.id))
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def index_stale(session: Session) -> int:
    """The pipeline hook: index whatever changed since the last indexing."""
    return index_incidents(session, stale_ids(session))


def orphan_ids(session: Session) -> list[int]:
    return list(session.scalars(
        select(IncidentSearch.incident_id).outerjoin(Incident,
                                                     Incident.id == IncidentSearch.incident_id)
        .where(Incident.id.is_(None))))


def reindex_all(store, batch: int = 500) -> int:
    """Index every incident again, in batches of short transactions."""
    with store.session() as session:
        ids = list(session.scalars(select(Incident.id).order_by(Incident.id)))
        for orphan in orphan_ids(session):
            _forget(session, orphan)
    for start in range(0, len(ids), batch):
        with store.session() as session:
            index_incidents(session, ids[start:start + batch])
    return len(ids)


def _fts_phrase(words: list[str]) -> str:
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _trigram_ids(term: str, n: int) -> Select:
    ids = text(f"SELECT rowid FROM search_trigram WHERE search_trigram MATCH :t{n}") \
        .bindparams(**{f"t{n}": _fts_phrase([term])}).columns(rowid=Integer)
    return select(ids.subquery().c.rowid)


def _token_ids(words: list[str], n: int) -> Select:
    ids = text(f"SELECT rowid FROM search_tokens WHERE search_tokens MATCH :w{n}") \
        .bindparams(**{f"w{n}": _fts_phrase(words)}).columns(rowid=Integer)
    return select(ids.subquery().c.rowid)


_BODY_LOWER = literal_column("incident_search.body_lower")
# The stored to_tsvector('simple', tokens) of migration pw02 (not computed per row).
_TOKENS_TSV = literal_column("incident_search.tokens_tsv")


def _pg_contains(term: str) -> ColumnElement:
    """PostgreSQL: the body contains ``term``, case-insensitively, through the stored
    lower(body) of migration web3c and its own pg_trgm GIN index. LIKE on the lower-cased term
    finds the rows ILIKE on the body would (PostgreSQL's ILIKE compares the lower() of both
    sides) without lowercasing every candidate body again (ILIKE: 75-200 ms a term at a million
    incidents). The pattern is lowered by PostgreSQL too: the same lower()."""
    pattern = func.lower(literal(f"%{_escape_like(term)}%", Text))
    return _BODY_LOWER.like(pattern, escape="\\")


def _pg_has_tokens(words: list[str]) -> ColumnElement:
    return _TOKENS_TSV.op("@@")(func.phraseto_tsquery(text("'simple'"), " ".join(words)))


def _term_ids(term: str, sqlite: bool, n: int) -> list[Select]:
    """Queries of incident ids, any of which matching means the term matches.

    Trigrams find any 3+ character substring; tokens find short words and other spellings
    (漏えい -> 漏洩), so a long term matches either way and a short one through tokens.
    SQLite: one query per FTS5 table. PostgreSQL: one query with both conditions ORed, both
    being columns of the same row: its newest matches are one walk down the id index that
    stops at the cap (two capped queries walked it twice and parsed twice the ids)."""
    words = tokenize(term)
    if sqlite:
        if len(term) >= 3:
            found = [_trigram_ids(term, n)]
            return found + [_token_ids(words, n)] if words else found
        if words:
            return [_token_ids(words, n)]
        # One or two non-word characters ("C#" is split away by the tokenizer): a plain scan.
        return [select(IncidentSearch.incident_id).where(
            func.lower(IncidentSearch.body).contains(term.lower(), autoescape=True))]
    conditions = []
    if len(term) >= 3 or not words:
        conditions.append(_pg_contains(term))
    if words:
        conditions.append(_pg_has_tokens(words))
    return [select(IncidentSearch.incident_id).where(or_(*conditions))]


def _terms(session: Session, query: str) -> list[list[Select]]:
    terms = parse_query(query)
    if not terms:
        raise SearchError(f"nothing to search for in {query!r}")
    sqlite = _sqlite(session)
    return [_term_ids(term, sqlite, n) for n, term in enumerate(terms)]


def search_clause(session: Session, query: str) -> ColumnElement:
    """A WHERE clause on incidents matching every term of ``query``."""
    return and_(*(or_(*(Incident.id.in_(ids) for ids in alternatives))
                  for alternatives in _terms(session, query)))


def matching_ids(session: Session, query: str) -> set[int]:
    """The ids of the indexed incidents matching every term of ``query``.

    The same matches as ``search_clause``, but each index is asked on its own (no scan of the
    incidents table), so it stays fast when a term matches a large share of a million incidents.
    Ids of deleted incidents whose index rows linger may be included: callers intersect.
    """
    found: set[int] | None = None
    for alternatives in _terms(session, query):
        term: set[int] = set()
        for ids in alternatives:
            term.update(session.scalars(ids))
        found = term if found is None else found & term
        if not found:
            return set()
    return found or set()


def _newest(ids: Select, limit: int) -> Select:
    """The ``limit`` highest ids of an id query, walked from the top of its index."""
    column = ids.selected_columns[0]
    return ids.order_by(column.desc()).limit(limit)


def _fetch_ids(session: Session, ids: Select, sqlite: bool) -> list[int]:
    """The ids of an id query, descending, fetched as one comma-separated string. SQLite:
    Python's sqlite3 releases and re-takes the GIL for every row it steps, and in a web worker
    whose other threads keep the GIL busy each re-take can wait a switch interval (5 ms): 10,000
    rows cost ~20 ms of CPU but could take a second. One row is one wait. PostgreSQL: 10,001
    rows through the driver and the ORM cost ~6 ms of Python CPU, one string ~2 ms (measured
    at 1,000,000 incidents), the CPU that twenty clients share in a worker."""
    inner = ids.subquery()
    if sqlite:
        joined = session.scalar(select(func.group_concat(inner.c[0], ",")))
    else:
        joined = session.scalar(select(func.string_agg(cast(inner.c[0], Text), ",")))
    return sorted(map(int, joined.split(",")), reverse=True) if joined else []


def capped_matching_ids(session: Session, query: str,
                        cap: int = MATCH_CAP) -> tuple[list[int], bool]:
    """``(ids, truncated)``: the ``cap`` highest ids among ``matching_ids(query)``, descending,
    and whether more match. Exact rule: ``ids == sorted(matching_ids(query))[-cap:][::-1]``.

    Each index is asked for its highest ids only (FTS5 and the PostgreSQL id index walk them in
    order). A term's capped list is exact down to the lowest id it returned, so the intersection
    of the terms is exact down to the highest of those floors; when that part holds fewer than
    ``cap + 1`` ids the lists are fetched again, four times longer (at worst: whole)."""
    terms = _terms(session, query)
    limit: int | None = cap + 1
    sqlite = _sqlite(session)
    while True:
        found: set[int] | None = None
        floor = None  # every id >= floor that matches is in ``found``
        for alternatives in terms:
            term: set[int] = set()
            for ids in alternatives:
                got = _fetch_ids(session, _newest(ids, limit) if limit else ids, sqlite)
                term.update(got)
                if limit and len(got) >= limit:
                    floor = got[-1] if floor is None else max(floor, got[-1])
            found = term if found is None else found & term
        exact = sorted((i for i in found or () if floor is None or i >= floor), reverse=True)
        if floor is None or len(exact) > cap:
            return exact[:cap], len(exact) > cap
        limit *= 4
        if limit > 4_000_000:
            limit = None


def search_ids(session: Session, query: str, limit: int = 100) -> list[int]:
    return list(session.scalars(select(Incident.id).where(search_clause(session, query))
                                .order_by(Incident.id).limit(limit)))


def index_document(session: Session, document_id: int) -> int:
    """The pipeline hook: index the incidents that this document's reports belong to."""
    ids = session.scalars(select(IncidentReport.incident_id)
                          .join(Report, Report.id == IncidentReport.report_id)
                          .where(Report.document_id == document_id)).all()
    return index_incidents(session, ids)


def index_documents(session: Session, document_ids: list[int]) -> int:
    """``index_document`` for several documents at once (each incident indexed once)."""
    ids: list[int] = []
    for start in range(0, len(document_ids), 500):
        ids.extend(session.scalars(select(IncidentReport.incident_id)
                                   .join(Report, Report.id == IncidentReport.report_id)
                                   .where(Report.document_id.in_(document_ids[start:start + 500]))
                                   .order_by(IncidentReport.incident_id)))
    return index_incidents(session, ids)
