"""A period report: statistics, comparisons, notable incidents, the Japan section, the timeline
rows and the narratives. This dict is the JSON contract of ``cyberline report --format json``.

Keys: period {start, end}, total, per_day, by_attack_type, by_technique,
by_motivation, by_attack_class, by_target_class, by_country (key -> {count, share%}), by_day
[{date, count}], previous [same stats for each earlier period, newest first], changes (see
``stats.changes``), japan {count, by_cause_jnsa, incidents}, notable {most_persons_affected,
largest_amount_lost}, incidents (timeline rows, see ``timeline.incident_row``),
incidents_listed (how many rows are included: all unless ``list_limit`` cut the list),
filters, narrative {ja, en}.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from cyberline.analyze.columns import target_class
from cyberline.analyze.narrative import LANGS, narrative
from cyberline.analyze.periods import Period
from cyberline.analyze.stats import changes, in_period, japan_section, period_stats
from cyberline.analyze.timeline import row_select, rows
from cyberline.store.schema import Incident

NOTABLE = 5


def _top(period: Period, filters: dict[str, Any], column) -> Select:
    """The NOTABLE largest values of ``column`` in the period. The ranking reads only the
    covering period index; full rows are fetched for the few winners (SQLite would otherwise
    read every row of the period before sorting)."""
    ranked = (in_period(select(Incident.id), period, filters).where(column.is_not(None))
              .order_by(column.desc(), Incident.id).limit(NOTABLE).scalar_subquery())
    return (row_select().where(Incident.id.in_(ranked))
            .order_by(column.desc(), Incident.id))


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
    if japan["count"] and report["incidents_listed"] == report["total"]:
        # The full list is at hand: take its Japan-related rows instead of reading them again.
        jp_rows = [row for row in report["incidents"] if "JP" in row["country"]]
    elif japan["count"]:
        jp_query = in_period(row_select(), period, {**filters, "country": "JP"})
        jp_query = jp_query.order_by(Incident.disclosure_date, Incident.id)
        jp_rows = rows(session, jp_query.limit(list_limit) if list_limit else jp_query)
    report["japan"] = {**japan, "incidents": jp_rows}

    report["notable"] = {
        "most_persons_affected": rows(session, _top(period, filters, Incident.affected_persons)),
        "largest_amount_lost": rows(session, _top(period, filters, Incident.amount_usd)),
    }
    labels = {letter: target_class(letter) for letter in report["by_target_class"]}
    order = (lang,) + tuple(x for x in LANGS if x != lang) if lang in LANGS else LANGS
    report["narrative"] = {code: narrative(report, code, labels) for code in order}
    return report
