"""Periods: fortnights (1st-15th, 16th-end), months, quarters, years, any date range."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta


class PeriodError(ValueError):
    """A period string that cannot be read."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str = "range"  # fortnight | month | quarter | year | range

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def previous(self) -> "Period":
        """The period of the same kind (or length) just before this one."""
        if self.kind == "fortnight":
            return fortnight_of(self.start - timedelta(days=1))
        if self.kind == "month":
            return month_of(self.start - timedelta(days=1))
        if self.kind == "quarter":
            return quarter_of(self.start - timedelta(days=1))
        if self.kind == "year":
            return Period(date(self.start.year - 1, 1, 1), date(self.start.year - 1, 12, 31), "year")
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))


def fortnight_of(day: date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    if day.day <= 15:
        return Period(day.replace(day=1), day.replace(day=15), "fortnight")
    return Period(day.replace(day=16), day.replace(day=last), "fortnight")


def month_of(day: date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last), "month")


def quarter_of(day: date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    end = month_of(date(day.year, first_month + 2, 1)).end
    return Period(date(day.year, first_month, 1), end, "quarter")


_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
_FORTNIGHT = re.compile(r"^(\d{4})-(\d{2})([ab])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.I)
_YEAR = re.compile(r"^(\d{4})$")


def parse_period(text: str) -> Period:
    """`2022-07-01..2022-07-15`, `2022-07a` / `2022-07b`, `2022-07`, `2022Q3`, `2022`."""
    text = text.strip()
    try:
        if m := _RANGE.match(text):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if end < start:
                raise PeriodError(f"period {text!r} ends before it starts")
            for candidate in (fortnight_of(start), month_of(start), quarter_of(start)):
                if (candidate.start, candidate.end) == (start, end):
                    return candidate
            if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and \
                    start.year == end.year:
                return Period(start, end, "year")
            return Period(start, end)
        if m := _FORTNIGHT.match(text):
            first = date(int(m[1]), int(m[2]), 1 if m[3] == "a" else 16)
            return fortnight_of(first)
        if m := _MONTH.match(text):
            return month_of(date(int(m[1]), int(m[2]), 1))
        if m := _QUARTER.match(text):
            return quarter_of(date(int(m[1]), 3 * int(m[2]) - 2, 1))
        if m := _YEAR.match(text):
            return Period(date(int(m[1]), 1, 1), date(int(m[1]), 12, 31), "year")
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(f"period {text!r}: {exc}") from exc
    raise PeriodError(
        f"period {text!r}: use START..END (YYYY-MM-DD), YYYY-MMa/b, YYYY-MM, YYYYQn or YYYY")
