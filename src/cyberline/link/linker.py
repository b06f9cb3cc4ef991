"""Reports -> incidents: block, score, then merge automatically, queue for review, or start anew.

Reports are linked in batches: one query finds the candidate incidents of a whole batch through
the link_keys index, one query loads their members, and new rows are written in bulk (Core executemany: no ORM
object per incident). Reports of
one batch can join each other's incidents (a 第1報 and its 第2報 stored together). Every link
records its method (new | auto | person), score and reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from cyberline.link.blocking import add_alias, in_window, load_aliases, lookup_keys, own_keys
from cyberline.link.merge import INCIDENT_COLUMNS, Member, current_values, merged_values
from cyberline.link.orgkey import name_similarity
from cyberline.link.record import LinkRecord
from cyberline.link.rules import rules
from cyberline.link.score import Decision, best_match
from cyberline.store.schema import (Document, Incident, IncidentCountry, IncidentReport, LinkKey,
                                    Report, ReviewItem, utcnow)

INCIDENT_KINDS = ("incident_notice", "incident_news")
BATCH = 5000
_CHUNK = 5000  # IN-list size (SQLite allows 32766 parameters)

_REPORT_COLUMNS = (Report.id, Report.kind, Report.provenance, Report.disclosure_date,
                   Report.version, Report.data, Report.language, Report.org_key,
                   Document.url, Document.title, Document.text)


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _views(row) -> tuple[LinkRecord, Member]:  # noqa: ANN001 - a row of _REPORT_COLUMNS
    record = LinkRecord.from_data(row.id, row.data or {}, text=row.text, key=row.org_key)
    record.disclosure_date = row.disclosure_date or record.disclosure_date
    member = Member(row.id, row.kind, row.provenance, row.disclosure_date, row.version,
                    row.data or {}, row.language, row.url, row.title)
    return record, member


@dataclass
class _Cluster:
    """An incident while a batch is linked: its id (None until a new one is written), its stored
    disclosure date, and its members."""

    incident_id: int | None
    day: date | None = None
    records: list[LinkRecord] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    new_keys: set[str] = field(default_factory=set)
    links: list[dict] = field(default_factory=list)
    is_new: bool = False

    @property
    def disclosure_date(self):  # noqa: ANN201
        days = [r.disclosure_date for r in self.records if r.disclosure_date]
        return min(days) if days else self.day

    def add(self, record: LinkRecord, member: Member) -> None:
        self.records.append(record)
        self.members.append(member)


def _load_clusters(session: Session, incident_ids: set[int]) -> dict[int, _Cluster]:
    """The candidate incidents with their members and keys, in three queries per chunk."""
    clusters: dict[int, _Cluster] = {}
    ids = sorted(incident_ids)
    for part in _chunks(ids):
        for incident_id, day in session.execute(
                select(Incident.id, Incident.disclosure_date).where(Incident.id.in_(part))):
            clusters[incident_id] = _Cluster(incident_id, day)
        rows = session.execute(
            select(IncidentReport.incident_id, *_REPORT_COLUMNS)
            .join(Report, Report.id == IncidentReport.report_id)
            .join(Document, Document.id == Report.document_id)
            .where(IncidentReport.incident_id.in_(part))
            .order_by(IncidentReport.incident_id, Report.id))
        for row in rows:
            record, member = _views(row)
            clusters[row.incident_id].records.append(record)
            clusters[row.incident_id].members.append(member)
        for incident_id, key in session.execute(
                select(LinkKey.incident_id, LinkKey.key).where(LinkKey.incident_id.in_(part))):
            clusters[incident_id].keys.add(key)
    return clusters


def _pending_ids(session: Session, report_ids: list[int] | None) -> list[int]:
    query = (select(Report.id).outerjoin(IncidentReport, IncidentReport.report_id == Report.id)
             .where(Report.is_current.is_(True), IncidentReport.id.is_(None),
                    Report.kind.in_(INCIDENT_KINDS))
             .order_by(Report.disclosure_date, Report.id))
    if report_ids is None:
        return list(session.scalars(query))
    wanted = set(report_ids)
    found: list[int] = []
    for part in _chunks(sorted(wanted)):
        found.extend(session.scalars(query.where(Report.id.in_(part))))
    return found


def link_pending(session: Session, report_ids: list[int] | None = None,
                 batch: int = BATCH) -> int:
    """Link current incident reports that have no incident yet (all, or those of ``report_ids``).

    Returns how many were linked.
    """
    pending = _pending_ids(session, report_ids)
    for part in _chunks(pending, batch):
        _link_batch(session, part)
    return len(pending)


def link_report(session: Session, report: Report) -> IncidentReport | None:
    """Attach one stored report to an incident (new or existing). Non-incidents are not linked."""
    if report.kind not in INCIDENT_KINDS:
        return None
    if report.link is None:
        link_pending(session, [report.id])
        session.expire(report, ["link"])
    return report.link


def _link_batch(session: Session, report_ids: list[int]) -> None:
    thresholds = rules()["thresholds"]
    max_block = rules()["blocking"]["max_block"]
    rows = session.execute(select(*_REPORT_COLUMNS).join(Document, Document.id == Report.document_id)
                           .where(Report.id.in_(report_ids))).all()
    order = {rid: i for i, rid in enumerate(report_ids)}
    rows.sort(key=lambda r: order[r.id])
    views = [_views(row) for row in rows]
    aliases = load_aliases(session, [r.org_key for r, _ in views])
    wanted = {rid: lookup_keys(r, aliases.get(r.org_key, ())) for (r, _), rid in
              zip(views, (r.id for r in rows))}
    # key -> clusters indexed under it (loaded from link_keys, then grown by this batch).
    index: dict[str, list[_Cluster]] = defaultdict(list)
    all_keys = sorted(set().union(*wanted.values())) if wanted else []
    hits: dict[str, list[int]] = defaultdict(list)
    for part in _chunks(all_keys):
        for key, incident_id in session.execute(
                select(LinkKey.key, LinkKey.incident_id).where(LinkKey.key.in_(part))):
            hits[key].append(incident_id)
    # A non-organisation key already shared by more than max_block incidents is skipped for
    # every report of the batch (its block only grows): its incidents need not be loaded.
    dead = {key for key, ids in hits.items() if len(ids) > max_block and not key.startswith("o:")}
    clusters = _load_clusters(session, {i for key, ids in hits.items() if key not in dead
                                        for i in ids})
    for key, ids in hits.items():
        if key not in dead:
            index[key].extend(clusters[i] for i in ids if i in clusters)

    touched: dict[int, _Cluster] = {}
    reviews: list[tuple[int, _Cluster, Decision]] = []
    for record, member in views:
        alias_set = frozenset(aliases.get(record.org_key, ()))
        candidates: dict[int, _Cluster] = {}
        for key in sorted(wanted[record.report_id]):  # ties: deterministic order
            block = index.get(key, ())
            if key in dead or (len(block) > max_block and not key.startswith("o:")):
                continue  # a count or word shared by this many incidents tells nothing
            block = [c for c in block if in_window(record.disclosure_date, c.disclosure_date)]
            if key.startswith("t:"):
                # A shared word only proposes incidents whose names are really alike.
                block = [c for c in block if _similar_name(record, c)]
            candidates.update((id(c), c) for c in block)
        best: tuple[Decision, _Cluster, LinkRecord | None] | None = None
        for cluster in candidates.values():
            decision, closest = best_match(record, cluster.records, alias_set)
            if best is None or decision.score > best[0].score:
                best = (decision, cluster, closest)
        if best is not None and best[0].score >= thresholds["auto"]:
            decision, cluster, closest = best
            link = {"report_id": record.report_id, "method": "auto",
                    "score": round(decision.score, 3), "reason": decision.reason}
            if closest is not None and record.org_key and closest.org_key and record.org_key != closest.org_key:
                add_alias(session, record.org_key, closest.org_key,
                          f"auto:report {record.report_id}", aliases)
        else:
            cluster = _Cluster(None, is_new=True)
            if best is None:
                reason = "no candidate incident (blocking found none)"
            else:
                reason = (f"best candidate scored {best[0].score:.2f} < {thresholds['auto']}: "
                          f"{best[0].reason}")
                if best[0].score >= thresholds["review"]:
                    reviews.append((record.report_id, best[1], best[0]))
                    reason += " (queued for review)"
            link = {"report_id": record.report_id, "method": "new", "score": None,
                    "reason": reason}
        cluster.records.append(record)
        cluster.members.append(member)
        cluster.links.append(link)
        for key in own_keys(record) - cluster.keys:
            cluster.keys.add(key)
            cluster.new_keys.add(key)
            index[key].append(cluster)
        touched[id(cluster)] = cluster
    _write(session, list(touched.values()), reviews)


def _similar_name(record: LinkRecord, cluster: _Cluster) -> bool:
    at = rules()["limits"]["similar_org_at"]
    return any(name_similarity(record.org_key, r.org_key) >= at for r in cluster.records)


def _write(session: Session, clusters: list[_Cluster],
           reviews: list[tuple[int, _Cluster, Decision]]) -> None:
    """Merge fields and write incidents, links, keys, countries and review items in bulk.

    Core statements on the tables (not the ORM bulk path, whose per-row bookkeeping and result
    splicing cost more than the linking itself); defaults such as created_at still apply."""
    incidents = Incident.__table__
    old = [c for c in clusters if not c.is_new]
    current: dict[int, dict] = {}
    for part in _chunks([c.incident_id for c in old]):
        for row in session.execute(select(incidents.c.id, *(incidents.c[name] for name in
                                                              INCIDENT_COLUMNS))
                                   .where(incidents.c.id.in_(part))).mappings():
            current[row["id"]] = dict(row)
    values: dict[int, dict] = {}  # id(cluster) -> merged columns
    for c in clusters:
        now_values = current.get(c.incident_id) if not c.is_new else None
        values[id(c)] = merged_values(c.members, now_values["provenance"] if now_values else None,
                                      now_values)
    new = [c for c in clusters if c.is_new]
    for part in _chunks(new, 1000):
        ids = session.execute(insert(incidents).returning(incidents.c.id, sort_by_parameter_order=True),
                              [dict(values[id(c)], published=True) for c in part]).scalars().all()
        for c, incident_id in zip(part, ids):
            c.incident_id = incident_id
    if old:
        columns = list(values[id(old[0])])
        session.execute(
            update(incidents).where(incidents.c.id == bindparam("_id"))
            .values({name: bindparam(f"_v_{name}") for name in columns}),
            [{"_id": c.incident_id, **{f"_v_{k}": v for k, v in values[id(c)].items()}}
             for c in old])
    day = {id(c): values[id(c)]["disclosure_date"] for c in clusters}
    now = utcnow()
    links = [dict(link, incident_id=c.incident_id, linked_at=now) for c in clusters
             for link in c.links]
    if links:
        session.execute(insert(IncidentReport.__table__), links)
    keys = [{"incident_id": c.incident_id, "key": k, "disclosure_date": day[id(c)]}
            for c in clusters for k in c.new_keys]
    if keys:
        session.execute(insert(LinkKey.__table__), keys)
    for part in _chunks([c.incident_id for c in old]):
        session.execute(delete(IncidentCountry).where(IncidentCountry.incident_id.in_(part)))
    if old:
        session.execute(
            update(LinkKey.__table__).where(LinkKey.__table__.c.incident_id == bindparam("iid"))
            .values(disclosure_date=bindparam("day")),
            [{"iid": c.incident_id, "day": day[id(c)]} for c in old])
    countries = [{"incident_id": c.incident_id, "country": country, "disclosure_date": day[id(c)]}
                 for c in clusters for country in dict.fromkeys(values[id(c)]["countries"] or [])]
    if countries:
        session.execute(insert(IncidentCountry.__table__), countries)
    if reviews:
        session.execute(insert(ReviewItem.__table__), [
            {"report_id": rid, "incident_id": c.incident_id, "score": round(d.score, 3),
             "reason": d.reason, "status": "open", "created_at": now} for rid, c, d in reviews])
    for cluster in clusters:
        cluster.day = day[id(cluster)]
        cluster.is_new = False
        cluster.new_keys.clear()
        cluster.links.clear()
    session.expire_all()  # incidents, incident.reports and report.link changed under the ORM


def refresh_incident(session: Session, incident: Incident) -> None:
    """Recompute an incident's merged fields, countries and blocking keys from its members
    (after re-extraction or a curation operation). An incident left with no member is deleted."""
    session.flush()
    session.expire(incident, ["reports"])
    reports = [link.report for link in incident.reports]
    if not reports:
        session.delete(incident)
        session.flush()
        return
    members = [Member.of(r) for r in reports]
    values = merged_values(members, incident.provenance, current_values(incident))
    for column, value in values.items():
        setattr(incident, column, value)
    session.flush()
    session.execute(delete(IncidentCountry).where(IncidentCountry.incident_id == incident.id))
    session.add_all(IncidentCountry(incident_id=incident.id, country=c,
                                    disclosure_date=incident.disclosure_date)
                    for c in dict.fromkeys(incident.countries or []))
    session.execute(delete(LinkKey).where(LinkKey.incident_id == incident.id))
    keys = set()
    for r in reports:
        keys |= own_keys(LinkRecord.from_data(r.id, r.data or {}, key=r.org_key))
    session.add_all(LinkKey(incident_id=incident.id, key=k, disclosure_date=incident.disclosure_date)
                    for k in keys)
    session.flush()
