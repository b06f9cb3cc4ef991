"""The period's story in Japanese and English, generated from its statistics only.

In the register of the fortnightly timeline posts: 「ランサムウェアは、131件中33件(25.2%)と、
6月前半および後半の23%および26.8%とほぼ同レベルで…」. Every number written is a value of the
statistics dict (counts, shares, pp and percent changes as stored), so tests can parse the text
and compare. Wording, trend thresholds and plural forms are data in phrases.toml.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cyberline.analyze.describe import money_en, money_ja, phrases, plural
from cyberline.analyze.periods import parse_period

LANGS = ("en", "ja")
# How many techniques get a sentence each (the largest ones).
TOP_TECHNIQUES = 3


def _p(lang: str) -> dict[str, Any]:
    return phrases()["narrative"][lang]


def num(value: float | int) -> str:
    """Numbers as the statistics hold them: 2,044, 25.19, 26.8 (no trailing zeros)."""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def period_name(period: dict[str, Any], lang: str) -> str:
    """"the first half of July 2022" / "2022年7月前半" for a stats ``period`` dict."""
    p = _p(lang)
    start = date.fromisoformat(period["start"])
    # The kind (fortnight, month, ...) follows from the dates, as parse_period reads them.
    kind = parse_period(f"{period['start']}..{period['end']}").kind
    values = {
        "year": start.year, "month": start.month, "quarter": (start.month - 1) // 3 + 1,
        "half": p["half"][0 if start.day == 1 else 1],
        "month_name": p.get("months", [""] * 12)[start.month - 1],
        "start": period["start"], "end": period["end"],
    }
    return p["period"].get(kind, p["period"]["range"]).format(**values)


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    sep = "、" if lang == "ja" else ", "
    return sep.join(items[:-1]) + _p(lang)["list_and"] + items[-1]


def trend_name(delta: float, table: str) -> str:
    """rising / stable / falling for a change, by the first threshold row it reaches."""
    bound = "min_pp" if table == "share" else "min_percent"
    for row in phrases()["trend"][table]:
        if delta >= row[bound]:
            return row["name"]
    return phrases()["trend"][table][-1]["name"]


def _earlier(stats: dict[str, Any], lang: str) -> str:
    names = [period_name(p["period"], lang) for p in stats["previous"]]
    return _join(names, lang)


def value_label(kind: str, value: str, lang: str) -> str:
    return phrases()["label"].get(lang, {}).get(kind, {}).get(value, value)


def _opening(stats: dict[str, Any], lang: str) -> list[str]:
    p = _p(lang)
    total = stats["total"]
    period = period_name(stats["period"], lang)
    out = [p["opening"].format(period=period, total=num(total), per_day=num(stats["per_day"]),
                               entries=plural(p.get("entries", ["", ""]), total))]
    previous = [q for q in stats["previous"] if q["total"]]
    if not previous:
        out.append(p["no_previous"])
        return out
    changes = stats["changes"]["total"]
    mean = sum(q["total"] for q in stats["previous"]) / len(stats["previous"])
    trend = trend_name(100.0 * (total - mean) / mean if mean else 0.0, "total")
    counts = [num(q["total"]) for q in stats["previous"]]
    change = ", ".join(
        f"{'+' if c['count'] >= 0 else ''}{num(c['count'])}"
        + (f" / {'+' if c['percent'] >= 0 else ''}{num(c['percent'])}%"
           if c["percent"] is not None else "")
        for c in changes)
    out.append(p["opening_change"][trend].format(
        previous=_join(counts, lang), earlier=_earlier(stats, lang), change=change))
    return out


def _share_sentence(stats: dict[str, Any], key: str, value: str, lang: str) -> str:
    p = _p(lang)
    entry, total = stats[key][value], stats["total"]
    line = p["share_line"].format(
        label=value_label("technique", value, lang), count=num(entry["count"]), total=num(total),
        share=num(entry["share"]), entries=plural(p.get("entries", ["", ""]), total))
    earlier = [q for q in stats["previous"] if q["total"]]
    if not earlier:
        return p["share_alone"].format(line=line)
    prev_shares = [q[key].get(value, {}).get("share", 0.0) for q in earlier]
    mean = sum(prev_shares) / len(prev_shares)
    trend = trend_name(entry["share"] - mean, "share")
    names = [period_name(q["period"], lang) for q in earlier]
    return p["share_compare"][trend].format(
        line=line, previous=_join([num(s) + "%" for s in prev_shares], lang),
        earlier=_join(names, lang))


def _leader(stats: dict[str, Any], key: str, template: str, kind: str, lang: str,
            labels: dict[str, str] | None = None) -> list[str]:
    if not stats[key]:
        return []
    value, entry = next(iter(stats[key].items()))
    total = stats["total"]
    shown = (labels or {}).get(value) or value_label(kind, value, lang)
    return [_p(lang)[template].format(
        label=shown, count=num(entry["count"]), total=num(total), share=num(entry["share"]),
        entries=plural(_p(lang).get("entries", ["", ""]), total))]


def _notable(stats: dict[str, Any], lang: str) -> list[str]:
    p, out = _p(lang), []
    money = stats["notable"]["largest_amount_lost"]
    if money:
        top = money[0]
        amount = money_en(top["amount_lost"]) if lang == "en" else money_ja(top["amount_lost"])
        out.append(p["money"].format(org=top["target"] or "?", amount=amount))
    people = stats["notable"]["most_persons_affected"]
    if people:
        top = people[0]
        n = top["affected_persons"]
        persons = (f"{num(n)} {plural(phrases()['describe']['en']['person'], n)}" if lang == "en"
                   else f"{num(n)}名")
        out.append(p["persons"].format(org=top["target"] or "?", persons=persons))
    return out


def _japan(stats: dict[str, Any], lang: str) -> list[str]:
    p, jp = _p(lang), stats["japan"]
    if not jp["count"]:
        return [p["japan_none"]]
    out = [p["japan"].format(count=num(jp["count"]),
                             incidents=plural(p.get("incidents", ["", ""]), jp["count"]))]
    if jp.get("by_cause_jnsa"):
        cause, entry = next(iter(jp["by_cause_jnsa"].items()))
        out.append(p["japan_cause"].format(label=cause, count=num(entry["count"]),
                                           total=num(jp["count"]), share=num(entry["share"])))
    return out


def narrative(stats: dict[str, Any], lang: str, target_labels: dict[str, str] | None = None) -> str:
    """The narrative of a period report (``period_report`` output without ``narrative``)."""
    p = _p(lang)
    if not stats["total"]:
        return p["empty"].format(period=period_name(stats["period"], lang))
    sentences = _opening(stats, lang)
    techniques = list(stats["by_technique"])[:TOP_TECHNIQUES]
    lines = [_share_sentence(stats, "by_technique", t, lang) for t in techniques]
    if lines:
        sentences.append(p["techniques"] + " ".join(lines) if lang == "en" else "".join(lines))
    sentences += _leader(stats, "by_motivation", "motivation", "motivation", lang)
    sentences += _leader(stats, "by_target_class", "target", "target_class", lang, target_labels)
    sentences += _leader(stats, "by_country", "country", "country", lang)
    sentences += _notable(stats, lang)
    sentences += _japan(stats, lang)
    return (" " if lang == "en" else "").join(sentences)
