"""Analysis: periods, statistics, narratives and charts over stored incidents.

Entry points for the CLI, the web app and the publishers:

- ``parse_period(text)`` -> Period (fortnight, month, quarter, year, any range);
- ``period_report(session, period, compare=2, filters=None, lang="en")`` -> the report dict
  (the JSON contract, see ``analyze.report``);
- ``render_markdown(report, lang)``, ``render_html(report, lang)``, ``render_csv(report, lang)``
  (``analyze.render``); chart functions returning SVG strings in ``analyze.charts``.
"""

from cyberline.analyze.periods import Period, PeriodError, parse_period
from cyberline.analyze.report import period_report
from cyberline.analyze.stats import period_stats

__all__ = ["Period", "PeriodError", "parse_period", "period_report", "period_stats"]
