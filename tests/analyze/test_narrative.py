"""Narratives: every number in the text is a number of the statistics (parsed back out)."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from cyberline.analyze import parse_period, period_report
from cyberline.analyze.columns import technique
from cyberline.analyze.describe import money_ja
from cyberline.analyze.narrative import narrative, num, period_name, trend_name, value_label
from cyberline.analyze.stats import changes, shares

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
SHARE_EN = re.compile(r"(?:^|\. |: )([^.:]+?): ([\d,]+) of ([\d,]+) entr(?:y|ies) \(([\d.]+)%\)")
SHARE_JA = re.compile(r"(?:^|。)([^。]+?)は、([\d,]+)件中([\d,]+)件\(([\d.]+)%\)")


def _numbers_of(value, out: set[str]) -> set[str]:
    """Every number in a (nested) statistics value, written as the narrative writes numbers."""
    if isinstance(value, bool):
        return out
    if isinstance(value, (int, float)):
        out.add(num(value))
        out.add(num(abs(value)))
    elif isinstance(value, dict):
        for v in value.values():
            _numbers_of(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _numbers_of(v, out)
    elif isinstance(value, str):
        out.update(NUMBER.findall(value))  # dates and labels ("2022-07-01", "Q3")
    return out


def allowed_numbers(stats: dict) -> set[str]:
    allowed = _numbers_of({k: v for k, v in stats.items() if k not in ("incidents", "japan")},
                          set())
    _numbers_of({"count": stats["japan"]["count"], "c": stats["japan"]["by_cause_jnsa"]}, allowed)
    for lang in ("en", "ja"):
        for p in [stats] + stats["previous"]:
            allowed.update(NUMBER.findall(period_name(p["period"], lang)))
    for row in stats["notable"]["largest_amount_lost"]:
        allowed.update(NUMBER.findall(money_ja(row["amount_lost"])))
    return {n.replace(",", "") for n in allowed}


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def check_numbers(stats: dict) -> None:
    allowed = allowed_numbers(stats)
    for lang in ("en", "ja"):
        text = narrative(stats, lang)
        for token in NUMBER.findall(text):
            assert token.replace(",", "") in allowed, (lang, token, text)
    check_share_sentences(stats)


def check_share_sentences(stats: dict) -> None:
    """Technique sentences: label, count, total and share equal the statistics."""
    labels = {lang: {value_label("technique", t, lang): t for t in stats["by_technique"]}
              for lang in ("en", "ja")}
    found = 0
    text = narrative(stats, "en")
    for label, count, total, share in SHARE_EN.findall(text):
        name = label.removeprefix("By technique: ").strip()
        if name in labels["en"]:
            entry = stats["by_technique"][labels["en"][name]]
            assert (_int(count), _int(total), share) == (entry["count"], stats["total"],
                                                       num(entry["share"])), text
            found += 1
    text = narrative(stats, "ja")
    for label, total, count, share in SHARE_JA.findall(text):
        if label in labels["ja"]:
            entry = stats["by_technique"][labels["ja"][label]]
            assert (_int(count), _int(total), share) == (entry["count"], stats["total"],
                                                       num(entry["share"])), text
            found += 1
    assert found == 2 * min(3, len(stats["by_technique"]))


def test_database_report_narrative_numbers_match(cases_store):
    with cases_store.session() as s:
        data = period_report(s, parse_period("2022-07a"))
    check_numbers(data)
    assert "ランサムウェアは、8件中3件(37.5%)と" in data["narrative"]["ja"]
    assert "Ransomware: 3 of 8 entries (37.5%), up from 20% and 25%" in data["narrative"]["en"]
    assert "日本関連は3件でした。" in data["narrative"]["ja"]
    assert "Japan-related: 3 incidents." in data["narrative"]["en"]


def test_empty_period_says_so(store):
    with store.session() as s:
        data = period_report(s, parse_period("1999-01a"))
    assert data["narrative"]["en"] == "No incident was recorded in the first half of January 1999."
    assert data["narrative"]["ja"] == "1999年1月前半に記録されたインシデントはありませんでした。"


def test_trend_thresholds_come_from_data():
    assert trend_name(5.0, "share") == "rising"
    assert trend_name(4.99, "share") == "stable"
    assert trend_name(-5.0, "share") == "stable"
    assert trend_name(-5.01, "share") == "falling"
    assert trend_name(20, "total") == "rising" and trend_name(-20, "total") == "falling"


def test_period_names():
    def name(text, lang):
        p = parse_period(text)
        return period_name({"start": p.start.isoformat(), "end": p.end.isoformat()}, lang)
    assert name("2022-07a", "en") == "the first half of July 2022"
    assert name("2022-06b", "ja") == "2022年6月後半"
    assert name("2022Q3", "ja") == "2022年第3四半期" and name("2022", "en") == "2022"
    assert name("2022-07-03..2022-07-09", "en") == "2022-07-03 to 2022-07-09"


# --- property: any counts give a narrative whose numbers are the statistics ----------------

ATTACKS = ["ransomware", "malware", "ddos", "phishing", "vulnerability_exploit", "misdelivery",
           "account_takeover", "unknown"]
PERIODS = [("2022-07-01", "2022-07-15"), ("2022-06-16", "2022-06-30"), ("2022-06-01", "2022-06-15")]


def _stats(counts: dict[str, int], period: tuple[str, str], japan: int) -> dict:
    total = sum(counts.values())
    by_technique: dict[str, int] = {}
    for attack, n in counts.items():
        by_technique[technique(attack)] = by_technique.get(technique(attack), 0) + n
    return {
        "period": {"start": period[0], "end": period[1]},
        "total": total, "per_day": round(total / 15, 2),
        "by_attack_type": shares(counts, total), "by_technique": shares(by_technique, total),
        "by_motivation": shares({"cybercrime": total} if total else {}, total),
        "by_attack_class": {}, "by_target_class": shares({"Z": total} if total else {}, total),
        "by_country": shares({"JP": japan} if japan else {}, total),
        "japan": {"count": japan, "by_cause_jnsa": shares({"誤操作": japan} if japan else {},
                                                            japan)},
        "notable": {"most_persons_affected": [], "largest_amount_lost": []},
    }


counts_st = st.dictionaries(st.sampled_from(ATTACKS), st.integers(0, 400), max_size=6)


@settings(max_examples=60, deadline=None)
@given(counts_st, counts_st, counts_st, st.integers(0, 3))
def test_any_statistics_give_matching_numbers(now, prev1, prev2, japan):
    japan = min(japan, sum(now.values()))
    stats = _stats(now, PERIODS[0], japan)
    stats["previous"] = [_stats(prev1, PERIODS[1], 0), _stats(prev2, PERIODS[2], 0)]
    stats["changes"] = changes(stats, stats["previous"])
    if stats["total"] == 0:
        assert narrative(stats, "en").startswith("No incident")
        return
    check_numbers(stats)


def test_singular_and_plural():
    stats = _stats({"ransomware": 1}, PERIODS[0], 1)
    stats["previous"] = []
    stats["changes"] = changes(stats, [])
    text = narrative(stats, "en")
    assert "collected 1 entry " in text and "1 of 1 entry (100%)" in text
    assert "Japan-related: 1 incident." in text and "no earlier data" in text
