"""Facet counts and list pages over a million incidents in milliseconds: an in-memory snapshot.

Counting facets with SQL means reading every matching incident (a second or more for the
unfiltered list at 1,000,000 incidents, on SQLite and PostgreSQL alike). Instead each web worker
keeps the few facet columns of every incident as numpy arrays (about 20 bytes an incident):
a filter is a boolean mask, a facet count a ``bincount``, the page of ids the first 50 set bits in
the list's order. The rows shown on the page are still read live from the database (and checked
against the filters and ``published`` again there).

Freshness: the snapshot is rebuilt in the background once it is ``ttl`` seconds old (new
ingestion shows up in counts and lists within that time), and at once on the next request after
``invalidate()`` (the curation pages call it after every write, so editors see their changes).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from cyberline.store.schema import Incident, IncidentCountry

FIELDS = ("attack_type", "motivation", "target_class")
_NO_DATE = np.iinfo(np.int32).max


@dataclass
class Snapshot:
    ids: np.ndarray  # int64, ascending
    day: np.ndarray  # int32 date ordinal; _NO_DATE where unknown
    published: np.ndarray  # bool
    codes: dict[str, np.ndarray]  # field -> int32 index into values[field]
    values: dict[str, list[Any]]
    country_pos: np.ndarray  # positions (into ids) of (incident, country) pairs
    country_code: np.ndarray  # int32 index into values["country"]
    order: np.ndarray  # positions, newest first (disclosure date desc nulls last, id desc)
    built_at: float

    def __len__(self) -> int:
        return len(self.ids)

    def mask(self, *, unpublished: bool, fields: dict[str, str | None], country: str | None,
             start: date | None, end: date | None, ids: np.ndarray | None) -> np.ndarray:
        mask = np.ones(len(self.ids), dtype=bool) if unpublished else self.published.copy()
        for name, wanted in fields.items():
            if wanted:
                mask &= self.codes[name] == _code(self.values[name], wanted)
        if country:
            has = np.zeros(len(self.ids), dtype=bool)
            has[self.country_pos[self.country_code == _code(self.values["country"], country)]] = True
            mask &= has
        if start is not None:
            mask &= (self.day >= start.toordinal()) & (self.day <= end.toordinal())
        if ids is not None:
            found = np.zeros(len(self.ids), dtype=bool)
            if len(ids) and len(self.ids):
                pos = np.searchsorted(self.ids, ids).clip(0, len(self.ids) - 1)
                found[pos[self.ids[pos] == ids]] = True
            mask &= found
        return mask

    def counts(self, mask: np.ndarray) -> dict[str, list[tuple[Any, int]]]:
        out = {}
        for name in FIELDS:
            counts = np.bincount(self.codes[name][mask], minlength=len(self.values[name]))
            out[name] = _pairs(self.values[name], counts)
        counts = np.bincount(self.country_code[mask[self.country_pos]],
                             minlength=len(self.values["country"]))
        out["country"] = _pairs(self.values["country"], counts)
        return out

    def page_ids(self, mask: np.ndarray, offset: int, limit: int) -> list[int]:
        chosen = np.flatnonzero(mask[self.order])[offset:offset + limit]
        return self.ids[self.order[chosen]].tolist()


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


def build(session: Session) -> Snapshot:
    rows = session.execute(select(Incident.id, Incident.disclosure_date, Incident.published,
                                  Incident.attack_type, Incident.motivation,
                                  Incident.target_class).order_by(Incident.id)).all()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    day = np.fromiter((r[1].toordinal() if r[1] else _NO_DATE for r in rows), dtype=np.int32,
                      count=len(rows))
    published = np.fromiter((bool(r[2]) for r in rows), dtype=bool, count=len(rows))
    codes, values = {}, {}
    for n, name in enumerate(FIELDS, start=3):
        codes[name], values[name] = _encode([r[n] for r in rows])
    del rows
    pairs = session.execute(select(IncidentCountry.incident_id, IncidentCountry.country)).all()
    pair_ids = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
    country_code, values["country"] = _encode([p[1] for p in pairs])
    pos = np.searchsorted(ids, pair_ids).clip(0, max(len(ids) - 1, 0))
    known = ids[pos] == pair_ids if len(ids) else np.zeros(len(pairs), dtype=bool)
    order = np.lexsort((-ids, np.where(day == _NO_DATE, _NO_DATE, -day)))
    return Snapshot(ids=ids, day=day, published=published, codes=codes, values=values,
                    country_pos=pos[known], country_code=country_code[known], order=order,
                    built_at=time.monotonic())


class FacetIndex:
    """The current snapshot of one web worker, rebuilt when old or invalidated."""

    def __init__(self, open_session: Callable[[], Any], ttl: float = 60.0):
        self.open_session, self.ttl = open_session, ttl
        self._snapshot: Snapshot | None = None
        self._generation = 0  # bumped by invalidate(); a build records the one it started at
        self._built_generation = -1
        self._lock = threading.Lock()
        self._refreshing = False

    def _build(self) -> tuple[Snapshot, int]:
        generation = self._generation
        with self.open_session() as session:
            return build(session), generation

    def get(self) -> Snapshot:
        with self._lock:
            snapshot = self._snapshot
            fresh = snapshot is not None and self._built_generation == self._generation
            if fresh and time.monotonic() - snapshot.built_at > self.ttl and not self._refreshing:
                self._refreshing = True
                threading.Thread(target=self._refresh, daemon=True).start()
            if fresh:
                return snapshot
            # None yet, or invalidated by a write: build now (one build at a time).
            snapshot, generation = self._build()
            self._install(snapshot, generation)
            return snapshot

    def _install(self, snapshot: Snapshot, generation: int) -> None:
        if generation >= self._built_generation:
            self._snapshot, self._built_generation = snapshot, generation

    def _refresh(self) -> None:
        try:
            snapshot, generation = self._build()
            with self._lock:
                self._install(snapshot, generation)
        finally:
            self._refreshing = False

    def invalidate(self) -> None:
        with self._lock:
            self._generation += 1
