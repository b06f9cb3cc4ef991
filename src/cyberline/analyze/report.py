"""A period report: statistics, comparisons, notable incidents, the Japan section, the timeline
rows and the narratives. This dict is the JSON contract of ``cyberline report --format json``.

Keys: period {start, end, kind, label}, total, per_day, by_attack_type, by_technique,
by_motivation, by_attack_class, by_target_class, by_country (key -> {count, share%}), by_day
[{date, count}], previous [same stats for each earlier period, newest first], changes (see
``stats.changes``), japan {count, by_cause_jnsa, incidents}, notable {most_persons_affected,
largest_amount_lost}, incidents (timeline rows, see ``timeline.incident_row``),
incidents_listed (how many rows are included: all unless ``list_limit`` cut the list),
filters, narrative {ja, en}.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cyberline.analyze.columns import target_class
from cyberline.analyze.narrative import LANGS, narrative
from cyberline.analyze.periods import Period
from cyberline.analyze.stats import changes, in_period, japan_section, period_stats
from cyberline.analyze.timeline import row_select, rows
from cyberline.store.schema import Incident, IncidentCountry

NOTABLE = 5


def _clean(filters: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (filters or {}).items() if v}


def period_report(session: Session, period: Period, compare: int = 2,
                  filters: dict[str, Any] | None = None, lang: str = "en",
                  list_limit: int | None = 5000) -> dict[str, Any]:
    """The report of ``period`` against the ``compare`` periods of the same kind before it.

    ``filters``: country (ISO code), attack_type, target_class (letter). ``lang`` orders the
    narrative languages (both are always produced). ``list_limit`` caps the timeline rows
    (None: all); counts and shares always cover every incident.
    """
    filters = _clean(filters)
    report = period_stats(session, period, filters)
    previous, earlier = [], period
    for _ in range(max(compare, 0)):
        earlier = earlier.previous()
        previous.append(period_stats(session, earlier, filters, with_days=False))
    report["previous"] = previous
    report["changes"] = changes(report, previous)
    report["filters"] = filters

    ordered = in_period(row_select(), period, filters).order_by(Incident.disclosure_date,
                                                                 Incident.id)
    report["incidents"] = rows(session, ordered.limit(list_limit) if list_limit else ordered)
    report["incidents_listed"] = len(report["incidents"])

    japan = japan_section(session, period, filters)
    jp_rows = []
    if japan["count"]:
        jp_query = in_period(row_select(), period, filters).where(Incident.id.in_(
            select(IncidentCountry.incident_id).where(IncidentCountry.country == "JP")))
        jp_query = jp_query.order_by(Incident.disclosure_date, Incident.id)
        jp_rows = rows(session, jp_query.limit(list_limit) if list_limit else jp_query)
    report["japan"] = {**japan, "incidents": jp_rows}

    top_people = (in_period(row_select(), period, filters)
                  .where(Incident.affected_persons.is_not(None))
                  .order_by(Incident.affected_persons.desc(), Incident.id).limit(NOTABLE))
    top_money = (in_period(row_select(), period, filters)
                 .where(Incident.amount_usd.is_not(None))
                 .order_by(Incident.amount_usd.desc(), Incident.id).limit(NOTABLE))
    report["notable"] = {"most_persons_affected": rows(session, top_people),
                         "largest_amount_lost": rows(session, top_money)}
    labels = {letter: target_class(letter) for letter in report["by_target_class"]}
    order = (lang,) + tuple(x for x in LANGS if x != lang) if lang in LANGS else LANGS
    report["narrative"] = {code: narrative(report, code, labels) for code in order}
    return report
