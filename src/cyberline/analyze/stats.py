"""A period's statistics, aggregated in the database (GROUP BY over indexed columns).

`period_report` returns the JSON contract of the report command: period, total, per_day,
by_attack_type, by_motivation, by_target_class, by_country (key -> {count, share}), previous,
japan, notable, incidents.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from cyberline.analyze.periods import Period
from cyberline.store.schema import Incident, IncidentCountry


def _in_period(query: Select, period: Period, filters: dict[str, Any]) -> Select:
    query = query.where(Incident.disclosure_date.between(period.start, period.end),
                        Incident.published.is_(True))
    if filters.get("attack_type"):
        query = query.where(Incident.attack_type == filters["attack_type"])
    if filters.get("target_class"):
        query = query.where(Incident.target_class == filters["target_class"])
    if filters.get("country"):
        query = query.where(Incident.id.in_(
            select(IncidentCountry.incident_id).where(IncidentCountry.country == filters["country"])))
    return query


def shares(counts: dict[str, int], total: int) -> dict[str, dict[str, float | int]]:
    """key -> {count, share%}, largest first (ties by key), share rounded to 2 decimals."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return {str(k): {"count": n, "share": round(100.0 * n / total, 2) if total else 0.0}
            for k, n in ordered}


def _group(session: Session, column, period: Period, filters: dict[str, Any]) -> dict[str, int]:
    query = _in_period(select(column, func.count()).select_from(Incident), period, filters)
    return {key: n for key, n in session.execute(query.group_by(column))}


def _by_country(session: Session, period: Period, filters: dict[str, Any]) -> dict[str, int]:
    ids = _in_period(select(Incident.id), period, filters).scalar_subquery()
    query = (select(IncidentCountry.country, func.count())
             .where(IncidentCountry.incident_id.in_(ids))
             .group_by(IncidentCountry.country))
    return {key: n for key, n in session.execute(query)}


def period_stats(session: Session, period: Period, filters: dict[str, Any] | None = None) -> dict:
    filters = filters or {}
    total = session.scalar(_in_period(select(func.count()).select_from(Incident), period, filters))
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "total": total,
        "per_day": round(total / period.days, 2),
        "by_attack_type": shares(_group(session, Incident.attack_type, period, filters), total),
        "by_motivation": shares(_group(session, Incident.motivation, period, filters), total),
        "by_target_class": shares(_group(session, Incident.target_class, period, filters), total),
        "by_country": shares(_by_country(session, period, filters), total),
    }


def incident_row(incident: Incident) -> dict[str, Any]:
    """One timeline row: the anchors' columns plus ours."""
    return {
        "id": incident.id,
        "date_reported": incident.disclosure_date.isoformat() if incident.disclosure_date else None,
        "date_occurred": incident.occurred_date.isoformat() if incident.occurred_date else None,
        "date_discovered": incident.discovered_date.isoformat() if incident.discovered_date else None,
        "target": incident.organization,
        "description_en": incident.description_en,
        "description_ja": incident.description_ja,
        "attack_type": incident.attack_type,
        "target_class": incident.target_class,
        "motivation": incident.motivation,
        "country": incident.countries or [],
        "link": incident.link,
        "affected_persons": incident.affected_persons,
        "affected_orgs": incident.affected_orgs,
        "data_categories": incident.data_categories or [],
        "amount_lost": incident.amount_lost,
        "cause_category_jnsa": incident.cause_category_jnsa,
        "title": incident.title,
    }


def period_report(session: Session, period: Period, compare: int = 2,
                  filters: dict[str, Any] | None = None, list_limit: int = 5000) -> dict:
    filters = filters or {}
    report = period_stats(session, period, filters)
    previous, earlier = [], period
    for _ in range(compare):
        earlier = earlier.previous()
        previous.append(period_stats(session, earlier, filters))
    report["previous"] = previous
    rows_query = _in_period(select(Incident), period, filters).order_by(
        Incident.disclosure_date, Incident.id).limit(list_limit)
    incidents = [incident_row(i) for i in session.scalars(rows_query)]
    jp_ids = _in_period(select(Incident.id), period, filters).where(Incident.id.in_(
        select(IncidentCountry.incident_id).where(IncidentCountry.country == "JP")))
    jp = [incident_row(i) for i in session.scalars(
        select(Incident).where(Incident.id.in_(jp_ids.scalar_subquery()))
        .order_by(Incident.disclosure_date, Incident.id))]
    report["japan"] = {"count": len(jp), "incidents": jp}
    top_people = session.scalars(_in_period(select(Incident), period, filters)
                                 .where(Incident.affected_persons.is_not(None))
                                 .order_by(Incident.affected_persons.desc()).limit(5))
    top_money = session.scalars(_in_period(select(Incident), period, filters)
                                .where(Incident.amount_usd.is_not(None))
                                .order_by(Incident.amount_usd.desc()).limit(5))
    report["notable"] = {"most_persons_affected": [incident_row(i) for i in top_people],
                         "largest_amount_lost": [incident_row(i) for i in top_money]}
    report["incidents"] = incidents
    return report
