"""Period statistics on SQLite and PostgreSQL, against counts worked out by hand from CASES."""

from __future__ import annotations

from datetime import date

import pytest

from cyberline.analyze import parse_period, period_report
from cyberline.analyze.stats import changes, period_stats, shares, trend
from cyberline.store.schema import Incident


def test_fortnight_counts_shares_and_breakdowns(cases_store):
    with cases_store.session() as s:
        data = period_report(s, parse_period("2022-07a"))
    assert data["total"] == 8
    assert data["per_day"] == round(8 / 15, 2)
    assert data["by_attack_type"]["ransomware"] == {"count": 3, "share": 37.5}
    # technique names come from the crosswalk: two attack types fold into none here, but
    # payment_skimming -> Malicious Script Injection, account_takeover -> Account Hijacking
    assert data["by_technique"]["Ransomware"] == {"count": 3, "share": 37.5}
    assert data["by_technique"]["Malicious Script Injection"]["count"] == 1
    assert data["by_technique"]["Account Hijacking"]["count"] == 1
    assert data["by_technique"]["N/A"]["count"] == 1  # the lost USB stick is not an attack
    assert data["by_motivation"]["cybercrime"]["count"] == 5
    assert data["by_attack_class"] == {"CC": {"count": 5, "share": 62.5},
                                       "CE": {"count": 1, "share": 12.5},
                                       "H": {"count": 1, "share": 12.5},
                                       "N/A": {"count": 1, "share": 12.5}}
    assert data["by_target_class"]["G"] == {"count": 2, "share": 25.0}
    assert data["by_country"]["JP"] == {"count": 3, "share": 37.5}
    assert sum(e["count"] for e in data["by_technique"].values()) == data["total"]
    assert sum(d["count"] for d in data["by_day"]) == 8 and len(data["by_day"]) == 15


def test_previous_periods_and_pp_changes(cases_store):
    with cases_store.session() as s:
        data = period_report(s, parse_period("2022-07a"), compare=2)
    assert [p["period"]["start"] for p in data["previous"]] == ["2022-06-16", "2022-06-01"]
    assert [p["total"] for p in data["previous"]] == [5, 4]
    # ransomware 37.5% now, 20% (1 of 5) and 25% (1 of 4) before
    assert data["changes"]["by_technique"]["Ransomware"] == [17.5, 12.5]
    assert data["changes"]["total"] == [{"count": 3, "percent": 60.0},
                                        {"count": 4, "percent": 100.0}]
    # a value present only earlier still gets its (negative) difference
    assert data["changes"]["by_technique"]["Vulnerability"][0] == 12.5 - 20.0


def test_multi_country_incident_counts_in_each_country(cases_store):
    with cases_store.session() as s:
        data = period_stats(s, parse_period("2022-06b"))
    assert data["by_country"]["US"] == {"count": 5, "share": 100.0}
    assert data["by_country"]["LV"] == {"count": 1, "share": 20.0}


def test_filters_restrict_every_figure(cases_store):
    with cases_store.session() as s:
        jp = period_report(s, parse_period("2022-07a"), filters={"country": "JP"})
        ransom = period_report(s, parse_period("2022-07a"), filters={"attack_type": "ransomware"})
        edu = period_report(s, parse_period("2022-07a"), filters={"target_class": "P"})
    assert jp["total"] == 3 and jp["japan"]["count"] == 3
    assert {r["target"] for r in jp["incidents"]} == {"株式会社大都", "国立大学法人テスト大学",
                                                       "株式会社ショップ"}
    assert ransom["total"] == 3 and list(ransom["by_attack_type"]) == ["ransomware"]
    assert edu["total"] == 1 and edu["incidents"][0]["target_class_label"] == "P Education"
    with cases_store.session() as s:
        de = period_report(s, parse_period("2022-07a"), filters={"country": "DE"})
    assert de["total"] == 1 and de["japan"] == {"count": 0, "by_cause_jnsa": {}, "incidents": []}


def test_japan_section_and_notable(cases_store):
    with cases_store.session() as s:
        data = period_report(s, parse_period("2022-07a"))
    japan = data["japan"]
    assert japan["count"] == 3 and len(japan["incidents"]) == 3
    assert japan["by_cause_jnsa"] == {"不正アクセス": {"count": 2, "share": 66.67},
                                      "紛失・置忘れ": {"count": 1, "share": 33.33}}
    people = [r["target"] for r in data["notable"]["most_persons_affected"]]
    assert people == ["Iota Hospital", "株式会社ショップ", "国立大学法人テスト大学"]
    money = data["notable"]["largest_amount_lost"]
    assert [r["target"] for r in money] == ["Crema Finance"]


def test_unpublished_incidents_are_not_counted(cases_store):
    with cases_store.session() as s:
        s.query(Incident).filter(Incident.organization == "Kappa Ltd").update({"published": False})
    with cases_store.session() as s:
        data = period_report(s, parse_period("2022-07a"))
    assert data["total"] == 7 and "DE" not in data["by_country"]


def test_empty_period_and_no_previous(store):
    with store.session() as s:
        data = period_report(s, parse_period("1999-01a"), compare=2)
    assert data["total"] == 0 and data["per_day"] == 0.0 and data["incidents"] == []
    assert data["by_technique"] == {} and data["changes"]["total"][0]["percent"] is None
    assert all(d["count"] == 0 for d in data["by_day"])


def test_rows_have_the_anchor_columns(cases_store):
    with cases_store.session() as s:
        data = period_report(s, parse_period("2022-07a"))
    row = next(r for r in data["incidents"] if r["target"] == "株式会社大都")
    assert row["date_reported"] == "2022-07-01" and row["date_occurred"] == "2022-06-28"
    assert row["attack"] == "Ransomware" and row["attack_class"] == "CC"
    assert row["target_class_label"] == "G Wholesale and retail trade"
    assert row["country"] == ["JP"] and row["cause_category_jnsa"] == "不正アクセス"
    assert row["link"] == "https://x.invalid/9" and row["report_count"] == 1
    assert "author" in row and row["description_en"].startswith("株式会社大都 discloses")
    hospital = next(r for r in data["incidents"] if r["target"] == "Iota Hospital")
    assert hospital["date_discovered"] == "2022-07-02"


def test_trend_gives_consecutive_periods_oldest_first(cases_store):
    with cases_store.session() as s:
        periods = trend(s, parse_period("2022-07a"), 3)
    assert [p["period"]["start"] for p in periods] == ["2022-06-01", "2022-06-16", "2022-07-01"]
    assert [p["total"] for p in periods] == [4, 5, 8]


def test_list_limit_keeps_counts_complete(cases_store):
    with cases_store.session() as s:
        data = period_report(s, parse_period("2022-07a"), list_limit=2)
    assert data["total"] == 8 and data["incidents_listed"] == 2
    assert data["japan"]["count"] == 3 and len(data["japan"]["incidents"]) == 2


def test_shares_and_changes_rules():
    assert shares({"a": 1, "b": 2}, 3) == {"b": {"count": 2, "share": 66.67},
                                           "a": {"count": 1, "share": 33.33}}
    assert shares({}, 0) == {}
    now = {"total": 4, **{k: {} for k in ("by_attack_type", "by_technique", "by_motivation",
                                          "by_attack_class", "by_target_class", "by_country")}}
    now["by_technique"] = {"DDoS": {"count": 4, "share": 100.0}}
    before = {**now, "total": 0, "by_technique": {}}
    result = changes(now, [before])
    assert result["total"] == [{"count": 4, "percent": None}]
    assert result["by_technique"] == {"DDoS": [100.0]}


@pytest.mark.parametrize("text,days", [("2022-07a", 15), ("2022-02b", 13), ("2022Q1", 90),
                                       ("2024", 366), ("2022-07-03..2022-07-09", 7)])
def test_period_kinds_have_their_lengths(text, days, store):
    period = parse_period(text)
    assert period.days == days
    with store.session() as s:
        assert len(period_stats(s, period)["by_day"]) == days
    assert period.start <= period.end and period.start >= date(2022, 1, 1)
