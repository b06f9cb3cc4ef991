"""A period's statistics, aggregated in the database (GROUP BY over indexed columns).

Counting is by disclosure (reported) date. Python never loops over incident rows to count: the
database returns one row per (attack type, motivation, target class) group, per country, per day;
Python only folds those few groups into the derived breakdowns (technique and attack class are
functions of attack type and motivation through the crosswalks, so summing groups is exact).

`period_stats` returns: period {start, end}, total, per_day, by_attack_type,
by_technique, by_motivation, by_attack_class, by_target_class, by_country (each key ->
{count, share} with share in percent of the period's incidents, 2 decimals), by_day.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any, Iterable

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from cyberline.analyze.columns import attack_class, technique
from cyberline.analyze.periods import Period
from cyberline.store.schema import Incident, IncidentCountry

# The breakdowns of a period, in the order reports show them.
BREAKDOWNS = ("by_attack_type", "by_technique", "by_motivation", "by_attack_class",
              "by_target_class", "by_country")
FILTER_KEYS = ("country", "attack_type", "target_class")
# The covering index of the period queries (schema.Incident): every GROUP BY here and the
# notable-incident rankings read it alone, without touching table rows.
PERIOD_INDEX = "ix_incidents_period_groups"


def in_period(query: Select, period: Period | None,
              filters: dict[str, Any] | None = None) -> Select:
    """Restrict a query over incidents to a period (by disclosure date; None: all time),
    published, filtered: the one filter `report`, `export` and the site share."""
    filters = filters or {}
    query = query.where(Incident.published.is_(True))
    if period is not None:
        query = query.where(Incident.disclosure_date.between(period.start, period.end))
    if filters.get("attack_type"):
        query = query.where(Incident.attack_type == filters["attack_type"])
    if filters.get("target_class"):
        query = query.where(Incident.target_class == filters["target_class"])
    if filters.get("country"):
        query = query.where(Incident.id.in_(country_ids(filters["country"], period)))
    return query


def country_ids(code: str, period: Period | None) -> Select:
    """Ids of the incidents of a country disclosed in the period, from incident_countries'
    (country, disclosure_date) index: a range of that index, not every incident of JP ever.
    incident_countries.disclosure_date is kept equal to the incident's by the linker
    (``link.merge.sync_countries``); callers still check the incident's own date."""
    query = select(IncidentCountry.incident_id).where(IncidentCountry.country == code)
    if period is None:
        return query
    return query.where(IncidentCountry.disclosure_date.between(period.start, period.end))


def share(count: int, total: int) -> float:
    return round(100.0 * count / total, 2) if total else 0.0


def shares(counts: dict[str, int], total: int) -> dict[str, dict[str, float | int]]:
    """key -> {count, share%}, largest first (ties by key), share rounded to 2 decimals."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return {str(k): {"count": n, "share": share(n, total)} for k, n in ordered if n}


def _fold(groups: Iterable[tuple[str, int]], key=lambda value: value) -> dict[str, int]:
    totals: Counter[str] = Counter()
    for value, count in groups:
        totals[key(value)] += count
    return dict(totals)


def _groups(session: Session, period: Period, filters: dict[str, Any]) -> list[tuple]:
    """(attack_type, motivation, target_class, count) for the period: one indexed GROUP BY."""
    cols = (Incident.attack_type, Incident.motivation, Incident.target_class)
    query = in_period(select(*cols, func.count()).select_from(Incident), period, filters)
    return [tuple(row) for row in session.execute(query.group_by(*cols))]


def _by_country(session: Session, period: Period, filters: dict[str, Any]) -> dict[str, int]:
    # Driven by the covering period index of incidents, each joined to its countries through
    # incident_countries' primary key (incident_id, country): index reads only.
    query = in_period(
        select(IncidentCountry.country, func.count()).select_from(Incident)
        .join(IncidentCountry, IncidentCountry.incident_id == Incident.id), period, filters)
    return {key: n for key, n in session.execute(query.group_by(IncidentCountry.country))}


def daily_counts(session: Session, period: Period, filters: dict[str, Any] | None = None
                 ) -> list[dict[str, Any]]:
    """Every day of the period with its incident count (zero days included)."""
    query = in_period(select(Incident.disclosure_date, func.count()).select_from(Incident),
                      period, filters)
    found = {day: n for day, n in session.execute(query.group_by(Incident.disclosure_date))}
    return [{"date": (period.start + timedelta(days=i)).isoformat(),
             "count": found.get(period.start + timedelta(days=i), 0)} for i in range(period.days)]


def period_stats(session: Session, period: Period, filters: dict[str, Any] | None = None,
                 *, with_days: bool = True) -> dict[str, Any]:
    """The counts and shares of one period (see the module docstring for the keys)."""
    filters = filters or {}
    groups = _groups(session, period, filters)
    total = sum(row[3] for row in groups)
    by_attack_type = _fold((row[0], row[3]) for row in groups)
    by_motivation = _fold((row[1], row[3]) for row in groups)
    stats: dict[str, Any] = {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "total": total,
        "per_day": round(total / period.days, 2),
        "by_attack_type": shares(by_attack_type, total),
        "by_technique": shares(_fold(by_attack_type.items(), technique), total),
        "by_motivation": shares(by_motivation, total),
        "by_attack_class": shares(_fold(by_motivation.items(), attack_class), total),
        "by_target_class": shares(_fold((row[2], row[3]) for row in groups), total),
        "by_country": shares(_by_country(session, period, filters), total),
    }
    if with_days:
        stats["by_day"] = daily_counts(session, period, filters)
    return stats


def changes(current: dict[str, Any], previous: list[dict[str, Any]]) -> dict[str, Any]:
    """Differences against each earlier period: total (count, percent) and shares (pp).

    ``changes["by_technique"]["Ransomware"] == [1.2, -3.4]`` means the share is 1.2 percentage
    points above the previous period and 3.4 below the one before.
    """
    out: dict[str, Any] = {"total": [
        {"count": current["total"] - p["total"],
         "percent": round(100.0 * (current["total"] - p["total"]) / p["total"], 2)
         if p["total"] else None}
        for p in previous]}
    for key in BREAKDOWNS:
        values = list(current[key]) + [v for p in previous for v in p[key] if v not in current[key]]
        out[key] = {
            value: [round(current[key].get(value, {}).get("share", 0.0)
                          - p[key].get(value, {}).get("share", 0.0), 2) for p in previous]
            for value in dict.fromkeys(values)}
    return out


def japan_section(session: Session, period: Period, filters: dict[str, Any]) -> dict[str, Any]:
    """日本関連: how many incidents involve JP, and their JNSA causes (counted in the database)."""
    jp = {**filters, "country": "JP"} if filters.get("country") in (None, "", "JP") else None
    if jp is None:  # filtered to another country: nothing can be Japan-related
        return {"count": 0, "by_cause_jnsa": {}}
    query = in_period(select(Incident.cause_category_jnsa, func.count()).select_from(Incident),
                      period, jp).group_by(Incident.cause_category_jnsa)
    causes = {(cause or "不明"): n for cause, n in session.execute(query)}
    count = sum(causes.values())
    return {"count": count, "by_cause_jnsa": shares(causes, count)}


def trend(session: Session, period: Period, count: int = 12,
          filters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The statistics of the last ``count`` periods of the same kind, oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return [period_stats(session, p, filters, with_days=False) for p in reversed(periods)]
