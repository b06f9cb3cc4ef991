from datetime import date

import pytest
from hypothesis import given, strategies as st

from cyberline.analyze.periods import PeriodError, fortnight_of, parse_period


def test_fortnights_split_on_the_15th():
    assert parse_period("2022-07a").end == date(2022, 7, 15)
    assert parse_period("2022-02b").end == date(2022, 2, 28)
    assert parse_period("2022-07-16..2022-07-31").kind == "fortnight"
    assert parse_period("2022-07-16..2022-07-31").previous() == parse_period("2022-07a")
    assert parse_period("2022-07a").previous() == parse_period("2022-06b")


def test_months_quarters_years_and_ranges():
    assert parse_period("2022-07").previous() == parse_period("2022-06")
    assert parse_period("2022Q1").previous() == parse_period("2021Q4")
    assert parse_period("2022").days == 365
    custom = parse_period("2022-07-03..2022-07-09")
    assert custom.kind == "range" and custom.previous().end == date(2022, 7, 2)


@pytest.mark.parametrize("bad", ["", "2022-13", "2022-07c", "2022-07-10..2022-07-01", "yesterday"])
def test_bad_periods_raise_period_error(bad):
    with pytest.raises(PeriodError):
        parse_period(bad)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_lies_in_exactly_its_fortnight(day):
    period = fortnight_of(day)
    assert period.start <= day <= period.end
    assert period.previous().end < period.start
    assert parse_period(period.label()) == period


@given(st.text(max_size=40))
def test_parse_period_never_raises_anything_else(text):
    try:
        parse_period(text)
    except PeriodError:
        pass
