"""Analysis: periods, statistics, narratives and charts over stored incidents."""

from cyberline.analyze.periods import Period, PeriodError, parse_period
from cyberline.analyze.stats import period_report, period_stats

__all__ = ["Period", "PeriodError", "parse_period", "period_report", "period_stats"]
