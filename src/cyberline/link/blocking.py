"""Blocking: which incidents a new report is compared with (never all pairs).

An incident is indexed under keys (table link_keys): ``o:<organisation key>`` of each member,
``t:<distinctive name word>`` (English names: `screening` for "Life Line Screening of America"),
``n:<affected count>`` for counts large enough to be telling. A report's own keys, expanded with
known aliases of its organisation key, are looked up with one indexed query per batch; matches
further apart in time than the window, or under a key too common to mean anything, are dropped.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cyberline.link.record import LinkRecord
from cyberline.link.rules import rules
from cyberline.store.schema import OrgAlias, utcnow

_TOKENS_PER_NAME = 2


def own_keys(record: LinkRecord) -> set[str]:
    """The keys an incident is indexed under for this member."""
    keys = {f"t:{t}" for t in record.tokens[:_TOKENS_PER_NAME]}
    if record.org_key:
        keys.add(f"o:{record.org_key}")
    if record.affected_persons and record.affected_persons >= rules()["blocking"]["min_count_key"]:
        keys.add(f"n:{record.affected_persons}")
    return keys


def lookup_keys(record: LinkRecord, aliases: Iterable[str]) -> set[str]:
    """The keys to look up for a new report: its own plus its organisation's aliases."""
    return own_keys(record) | {f"o:{a}" for a in aliases}


def in_window(a: date | None, b: date | None) -> bool:
    if a is None or b is None:
        return True  # an undated report or incident cannot be ruled out by time
    return abs((a - b).days) <= rules()["blocking"]["window_days"]


def window() -> timedelta:
    return timedelta(days=rules()["blocking"]["window_days"])


def load_aliases(session: Session, keys: Iterable[str]) -> dict[str, set[str]]:
    """Known aliases of each organisation key (one query, chunked for the parameter limit)."""
    out: dict[str, set[str]] = defaultdict(set)
    keys = sorted(set(k for k in keys if k))
    for i in range(0, len(keys), 5000):
        for key, alias in session.execute(select(OrgAlias.key, OrgAlias.alias)
                                          .where(OrgAlias.key.in_(keys[i:i + 5000]))):
            out[key].add(alias)
    return out


def add_alias(session: Session, a: str | None, b: str | None, source: str,
              known: dict[str, set[str]] | None = None) -> bool:
    """Record that keys ``a`` and ``b`` (and their existing aliases) name one organisation."""
    if not a or not b or a == b:
        return False
    group_a = {a} | load_aliases(session, [a]).get(a, set())
    group_b = {b} | load_aliases(session, [b]).get(b, set())
    group = group_a | group_b
    existing = set(session.execute(select(OrgAlias.key, OrgAlias.alias)
                                   .where(OrgAlias.key.in_(group))).all())
    new = [(x, y) for x in group for y in group if x != y and (x, y) not in existing]
    if new:  # a Core insert: no ORM objects, no flush of the caller's session
        session.execute(insert(OrgAlias.__table__), [{"key": x, "alias": y, "source": source,
                                            "created_at": utcnow()} for x, y in new])
    if known is not None:
        for x in group:
            known.setdefault(x, set()).update(group - {x})
    return bool(new)


__all__ = ["own_keys", "lookup_keys", "in_window", "window", "load_aliases", "add_alias"]

