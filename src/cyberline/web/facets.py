"""Facet counts and list pages over a million incidents in milliseconds: an in-memory snapshot.

Counting facets with SQL means reading every matching incident (a second or more for the
unfiltered list at 1,000,000 incidents, on SQLite and PostgreSQL alike). Instead each web worker
keeps the few facet columns of every incident as numpy arrays (about 20 bytes an incident):
a filter is a boolean mask, a facet count a ``bincount``, the page of ids the first 50 set bits in
the list's order. The rows shown on the page are still read live from the database (and checked
against the filters and ``published`` again there).

Freshness: every ``ttl`` seconds the worker checks in the background whether the incidents
changed and rebuilds the snapshot if so (new ingestion shows up in counts and lists within about
that time); after ``invalidate()`` (the curation pages call it after every write, so editors see
their changes) the next request rebuilds it at once.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cyberline.store.schema import Incident, IncidentCountry

log = logging.getLogger(__name__)
FIELDS = ("attack_type", "motivation", "target_class")
_NO_DATE = np.iinfo(np.int32).max


@dataclass
class Snapshot:
    """Every incident's facet fields, in list order (disclosure date desc nulls last, id desc):
    a row's index here is its rank in the unfiltered list, so a period is a slice and a page is
    the first ranks that pass the filters."""

    ids: np.ndarray  # int64 id of each rank
    dkey: np.ndarray  # int32, ascending: -date ordinal, _NO_DATE where unknown
    published: np.ndarray  # bool
    codes: dict[str, np.ndarray]  # field -> int32 index into values[field]
    values: dict[str, list[Any]]
    postings: dict[str, list[np.ndarray]]  # field -> code -> ascending ranks with that value
    country_start: np.ndarray  # rank -> slice of country_code (CSR)
    country_code: np.ndarray  # int32 index into values["country"], grouped by rank
    by_id: np.ndarray  # ranks sorted by id
    built_at: float
    memo: dict = field(default_factory=dict)  # (filters, unpublished) -> (total, counts)
    searches: dict = field(default_factory=dict)  # text query -> ranks of its matches
    masks: dict = field(default_factory=dict)  # country -> bool per rank
    memo_lock: threading.Lock = field(default_factory=threading.Lock)
    _inflight: dict = field(default_factory=dict)
    _sorted_ids: np.ndarray | None = None
    _all: dict = field(default_factory=dict)  # unpublished -> ranks of the unfiltered list

    def __len__(self) -> int:
        return len(self.ids)

    def _posting(self, name: str, value: Any) -> np.ndarray:
        code = _code(self.values[name], value)
        return self.postings[name][code] if code >= 0 else np.zeros(0, dtype=np.int64)

    def once(self, table: dict, key: Any, compute: Callable[[], Any], size: int) -> Any:
        """``table[key]``, computed by one thread only: twenty clients asking for the same new
        query at once must not compute it twenty times over (on two cores, under one GIL)."""
        with self.memo_lock:
            if key in table:
                return table[key]
            lock = self._inflight.setdefault((id(table), key), threading.Lock())
        with lock:
            with self.memo_lock:
                if key in table:
                    return table[key]
            value = compute()
            with self.memo_lock:
                if len(table) >= size:
                    table.clear()
                table[key] = value
                self._inflight.pop((id(table), key), None)
            return value

    def search_ranks(self, query: str, matching: Callable[[], tuple[np.ndarray, bool]]
                     ) -> tuple[np.ndarray, bool]:
        """The ranks of a text query's matches and whether the match list was capped
        (``matching()`` gives their ids and that flag), kept for the snapshot's life: mapping
        200,000 ids to ranks takes longer than the rest of a page."""
        def compute() -> tuple[np.ndarray, bool]:
            ids, truncated = matching()
            return self.ranks_of_ids(ids), truncated
        return self.once(self.searches, query, compute, 16)

    def sorted_ids(self) -> np.ndarray:
        """The ids in ascending order (8 MB at a million, gathered once, not per search)."""
        if self._sorted_ids is None:
            self._sorted_ids = self.ids[self.by_id]
        return self._sorted_ids

    def ranks_of_ids(self, ids: np.ndarray) -> np.ndarray:
        if not len(ids) or not len(self.ids):
            return np.zeros(0, dtype=np.int64)
        sorted_ids = self.sorted_ids()
        pos = np.searchsorted(sorted_ids, ids).clip(0, len(sorted_ids) - 1)
        return np.sort(self.by_id[pos[sorted_ids[pos] == ids]])

    def select(self, *, unpublished: bool, fields: dict[str, str | None], country: str | None,
               start: date | None, end: date | None, ranks: np.ndarray | None) -> np.ndarray:
        """The ranks of the incidents passing the filters, ascending (= list order); ``ranks``:
        those of the text search's matches (``search_ranks``), if any."""
        lo, hi = 0, len(self.ids)
        if start is not None:
            lo = int(np.searchsorted(self.dkey, -end.toordinal(), "left"))
            hi = int(np.searchsorted(self.dkey, -start.toordinal(), "right"))
        # The shortest of the posting lists gives the candidates; the other conditions are
        # checked on the candidates' columns (fields) or by binary search (country, text).
        lists: list[tuple[np.ndarray, str | None, Any]] = [
            (self._posting(name, value), name, value) for name, value in fields.items() if value]
        if country:
            lists.append((self._posting("country", country), "country", country))
        if ranks is not None:
            lists.append((ranks, None, None))
        if not lists and start is None:
            return self._everything(unpublished)
        lists.sort(key=lambda entry: len(entry[0]))
        if lists and len(lists[0][0]) < hi - lo:
            first = lists.pop(0)[0]
            cand = first[np.searchsorted(first, lo):np.searchsorted(first, hi)]
        else:
            cand = np.arange(lo, hi, dtype=np.int64)
        if not unpublished:
            cand = cand[self.published[cand]]
        for posting, name, value in lists:
            if not len(cand):
                break
            if name == "country":
                cand = cand[self._country_mask(value)[cand]]
            elif name is not None:
                cand = cand[self.codes[name][cand] == _code(self.values[name], value)]
            elif len(posting):
                pos = np.searchsorted(posting, cand).clip(0, len(posting) - 1)
                cand = cand[posting[pos] == cand]
            else:
                cand = cand[:0]
        return cand

    def _everything(self, unpublished: bool) -> np.ndarray:
        """The unfiltered list's ranks (every incident, or the published ones), kept: building
        them is ~1.7 ms and 8 MB at a million, for a tenth of the requests of bench/web.py."""
        ranks = self._all.get(unpublished)
        if ranks is None:
            ranks = np.arange(len(self.ids), dtype=np.int64)
            if not unpublished:
                ranks = ranks[self.published]
            ranks.setflags(write=False)
            self._all[unpublished] = ranks
        return ranks

    def _country_mask(self, country: str) -> np.ndarray:
        """One bool per rank: the incident has this country. A lookup in it costs a fraction
        of a binary search of the country's posting list (1 MB a country at a million, kept for
        the 32 countries last asked for)."""
        mask = self.masks.get(country)
        if mask is None:
            mask = np.zeros(len(self.ids), dtype=bool)
            mask[self._posting("country", country)] = True
            with self.memo_lock:
                if len(self.masks) >= 32:
                    self.masks.clear()
                self.masks[country] = mask
        return mask

    def counts(self, cand: np.ndarray) -> dict[str, list[tuple[Any, int]]]:
        out = {}
        for name in FIELDS:
            counts = np.bincount(self.codes[name][cand], minlength=len(self.values[name]))
            out[name] = _pairs(self.values[name], counts)
        starts = self.country_start[cand]
        lengths = self.country_start[cand + 1] - starts
        total = int(lengths.sum())
        offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        codes = self.country_code[np.repeat(starts, lengths) + offsets]
        counts = np.bincount(codes, minlength=len(self.values["country"]))
        out["country"] = _pairs(self.values["country"], counts)
        return out

    def page_ids(self, cand: np.ndarray, offset: int, limit: int) -> list[int]:
        return self.ids[cand[offset:offset + limit]].tolist()

    def patched(self, session: Session, incident_ids: list[int]) -> "Snapshot | None":
        """A copy with these incidents' fields re-read (a few hundred ms at a million instead of
        seconds for a rebuild), or None where only a rebuild will do: incidents added or
        deleted, a disclosure date (the list order) or a country changed."""
        ids = np.array(sorted(set(incident_ids)), dtype=np.int64)
        count, top = session.execute(select(func.count(), func.max(Incident.id))).one()
        if count != len(self.ids) or (len(self.ids) and top != int(self.ids.max())) \
                or not len(ids):
            return None
        sorted_ids = self.ids[self.by_id]
        pos = np.searchsorted(sorted_ids, ids).clip(0, max(len(sorted_ids) - 1, 0))
        if not len(self.ids) or not (sorted_ids[pos] == ids).all():
            return None
        rank_of = dict(zip(ids.tolist(), self.by_id[pos].tolist()))
        table = Incident.__table__.name
        marks = ", ".join(str(int(i)) for i in ids)  # integers only: nothing to escape
        rows = _rows(session, f"SELECT id, disclosure_date, published, attack_type, motivation, "
                              f"target_class FROM {table} WHERE id IN ({marks})")
        pairs = _rows(session, f"SELECT incident_id, country FROM "
                               f"{IncidentCountry.__table__.name} WHERE incident_id IN ({marks})")
        if len(rows) != len(ids):
            return None
        ranks = np.array([rank_of[r[0]] for r in rows], dtype=np.int64)
        day = _days(tuple(r[1] for r in rows))
        if not (np.where(day == _NO_DATE, _NO_DATE, -day) == self.dkey[ranks]).all():
            return None
        for rank in ranks.tolist():  # the countries must be the same ones
            have = sorted(self.values["country"][c] for c in
                          self.country_code[self.country_start[rank]:self.country_start[rank + 1]])
            want = sorted(c for i, c in pairs if rank_of[i] == rank)
            if have != want:
                return None
        published = self.published.copy()
        published[ranks] = [bool(r[2]) for r in rows]
        codes, values, postings = dict(self.codes), dict(self.values), dict(self.postings)
        for n, name in enumerate(FIELDS, start=3):
            known = list(values[name])
            new = np.array([known.index(r[n]) if r[n] in known else
                            (known.append(r[n]) or len(known) - 1) for r in rows], dtype=np.int32)
            if (new == codes[name][ranks]).all() and len(known) == len(values[name]):
                continue
            codes[name] = codes[name].copy()
            codes[name][ranks] = new
            values[name] = known
            postings[name] = _postings(codes[name], len(known))
        return Snapshot(ids=self.ids, dkey=self.dkey, published=published, codes=codes,
                        values=values, postings=postings, country_start=self.country_start,
                        country_code=self.country_code, by_id=self.by_id,
                        built_at=self.built_at, _sorted_ids=self._sorted_ids)


def _code(values: list[Any], wanted: Any) -> int:
    try:
        return values.index(wanted)
    except ValueError:
        return -1  # matches nothing


def _pairs(values: list[Any], counts: np.ndarray) -> list[tuple[Any, int]]:
    return [(values[i], int(counts[i])) for i in np.flatnonzero(counts) if values[i] is not None]


def _encode(column: list[Any]) -> tuple[np.ndarray, list[Any]]:
    values: dict[Any, int] = {}
    codes = np.fromiter((values.setdefault(v, len(values)) for v in column), dtype=np.int32,
                        count=len(column))
    return codes, list(values)


_EPOCH = date(1970, 1, 1).toordinal()


def _days(column: tuple) -> np.ndarray:
    """Date ordinals of ISO strings (SQLite) or dates (PostgreSQL); _NO_DATE for NULL."""
    days = np.array(column, dtype="datetime64[D]")
    out = days.astype(np.int64) + _EPOCH
    out[np.isnat(days)] = _NO_DATE
    return out.astype(np.int32)


def _rows(session: Session, sql: str) -> list[tuple]:
    # A million rows through the DBAPI cursor: no ORM/Result wrapping (3-4x faster).
    cursor = session.connection().connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _postings(codes: np.ndarray, size: int) -> list[np.ndarray]:
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(size + 1))
    return [order[bounds[i]:bounds[i + 1]].astype(np.int64) for i in range(size)]


def build(session: Session) -> Snapshot:
    table = Incident.__table__
    rows = _rows(session, f"SELECT id, disclosure_date, published, attack_type, motivation, "
                          f"target_class FROM {table.name}")
    columns = list(zip(*rows)) if rows else [()] * 6
    del rows
    ids = np.array(columns[0], dtype=np.int64)
    day = _days(columns[1])
    dkey = np.where(day == _NO_DATE, _NO_DATE, -day).astype(np.int32)
    order = np.lexsort((-ids, dkey))  # rank -> row
    ids, dkey = ids[order], dkey[order]
    published = np.array([bool(p) for p in columns[2]], dtype=bool)[order]
    codes, values, postings = {}, {}, {}
    for n, name in enumerate(FIELDS, start=3):
        column, values[name] = _encode(columns[n])
        codes[name] = column[order]
        postings[name] = _postings(codes[name], len(values[name]))
    del columns
    by_id = np.argsort(ids, kind="stable")
    pairs = _rows(session, f"SELECT incident_id, country FROM {IncidentCountry.__table__.name}")
    pair_columns = list(zip(*pairs)) if pairs else [(), ()]
    del pairs
    pair_ids = np.array(pair_columns[0], dtype=np.int64)
    country_code, values["country"] = _encode(pair_columns[1])
    sorted_ids = ids[by_id]
    pos = np.searchsorted(sorted_ids, pair_ids).clip(0, max(len(ids) - 1, 0))
    known = sorted_ids[pos] == pair_ids if len(ids) else np.zeros(len(pair_ids), dtype=bool)
    pair_rank, country_code = by_id[pos[known]], country_code[known]
    grouped = np.argsort(pair_rank, kind="stable")
    pair_rank, country_code = pair_rank[grouped], country_code[grouped]
    country_start = np.searchsorted(pair_rank, np.arange(len(ids) + 1))
    postings["country"] = _postings(country_code, len(values["country"]))
    postings["country"] = [np.sort(pair_rank[p]) for p in postings["country"]]
    return Snapshot(ids=ids, dkey=dkey, published=published, codes=codes, values=values,
                    postings=postings, country_start=country_start, country_code=country_code,
                    by_id=by_id, built_at=time.monotonic())


def signature(session: Session) -> tuple:
    """Changes whenever an incident is added, deleted or updated through the ORM (which sets
    ``updated_at``), or a country row is added or deleted: a refresh is skipped while it holds.
    One scan of the incidents (~0.5 s at a million on SQLite) against ~5 s for a rebuild."""
    incidents = session.execute(select(func.count(), func.max(Incident.id),
                                       func.max(Incident.updated_at))).one()
    return tuple(incidents) + (session.scalar(select(func.count()).select_from(IncidentCountry)),)


class FacetIndex:
    """The current snapshot of one web worker, rebuilt when changed or invalidated.

    Every ``ttl`` seconds a background thread compares the data's ``signature`` with the
    snapshot's and rebuilds on a difference (and after ``max_age`` in any case, for writes that
    bypass ``updated_at``); requests keep using the old snapshot meanwhile. ``invalidate()``
    (after a curation write) makes the next request rebuild at once.
    """

    def __init__(self, open_session: Callable[[], Any], ttl: float = 60.0,
                 max_age: float = 900.0, prepare: Callable[[Snapshot], None] | None = None):
        self.open_session, self.ttl, self.max_age = open_session, ttl, max_age
        self.prepare = prepare  # run on each new snapshot before it serves (warm the memo)
        self._snapshot: Snapshot | None = None
        self._signature: tuple | None = None
        self._checked_at = 0.0
        self._generation = 0  # bumped by invalidate(); a build records the one it started at
        self._built_generation = -1
        self._lock = threading.Lock()
        self._refreshing = False

    def _build(self) -> tuple[Snapshot, tuple, int]:
        generation = self._generation
        with self.open_session() as session:
            sig = signature(session)
            snapshot = build(session)
        if self.prepare is not None:
            self.prepare(snapshot)
        return snapshot, sig, generation

    def get(self) -> Snapshot:
        with self._lock:
            snapshot = self._snapshot
            fresh = snapshot is not None and self._built_generation == self._generation
            if fresh and time.monotonic() - self._checked_at > self.ttl and not self._refreshing:
                self._refreshing = True
                threading.Thread(target=self._refresh, daemon=True).start()
            if fresh:
                return snapshot
            # None yet, or invalidated by a write: build now (one build at a time).
            self._install(*self._build())
            return self._snapshot

    def _install(self, snapshot: Snapshot, sig: tuple, generation: int) -> None:
        if generation >= self._built_generation:
            self._snapshot, self._signature = snapshot, sig
            self._built_generation, self._checked_at = generation, time.monotonic()

    def _refresh(self) -> None:
        try:
            with self.open_session() as session:
                sig = signature(session)
            old = self._snapshot
            if (sig == self._signature and old is not None
                    and time.monotonic() - old.built_at < self.max_age):
                self._checked_at = time.monotonic()
                return
            built = self._build()
            with self._lock:
                self._install(*built)
        except Exception:  # noqa: BLE001 - keep serving the old snapshot; retry after ttl
            log.exception("refreshing the facet snapshot failed")
            self._checked_at = time.monotonic()
        finally:
            self._refreshing = False

    def invalidate(self, incident_ids: list[int] | None = None) -> None:
        """After a write: patch these incidents into the snapshot when that is enough, else
        make the next request rebuild it."""
        with self._lock:
            if incident_ids and self._snapshot is not None \
                    and self._built_generation == self._generation:
                try:
                    with self.open_session() as session:
                        patched = self._snapshot.patched(session, incident_ids)
                except Exception:  # noqa: BLE001 - a rebuild is always correct
                    log.exception("patching the facet snapshot failed")
                    patched = None
                if patched is not None:
                    self._snapshot = patched
                    return
            self._generation += 1
