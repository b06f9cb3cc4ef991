"""One-line descriptions of an incident in English and Japanese, generated from its fields.

So that a Japanese notice reads in an English timeline and the other way round. The fields are
those of an incident row: organization, attack_type, occurred_date, discovered_date,
affected_persons, affected_orgs, data_categories, amount_lost ({amount, currency, text}) and
report_count (how many reports, i.e. follow-ups, the incident has). Missing fields are left out
of the sentence. Wording lives in phrases.toml and taxonomy/labels.toml.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def labels() -> dict[str, Any]:
    with resources.files("cyberline.taxonomy").joinpath("labels.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def phrases() -> dict[str, Any]:
    with resources.files("cyberline.analyze").joinpath("phrases.toml").open("rb") as fh:
        return tomllib.load(fh)


def label(field: str, value: str | None, lang: str) -> str:
    if value is None:
        return ""
    return labels().get(field, {}).get(lang, {}).get(value, value)


def plural(forms: list[str], n: int | float) -> str:
    """English singular/plural from a [singular, plural] pair."""
    return forms[0] if n == 1 else forms[1]


def list_en(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def money_en(amount: dict[str, Any] | None) -> str:
    """{amount: 8800000, currency: USD} -> "8,800,000 USD" (empty when unknown)."""
    if not amount or amount.get("amount") is None:
        return ""
    return f"{_number(float(amount['amount']))} {amount.get('currency') or ''}".strip()


# 万/億/兆 for Japanese amounts (8,800,000 -> 880万), largest unit first.
_JA_UNITS = ((10**12, "兆"), (10**8, "億"), (10**4, "万"))


def number_ja(value: float) -> str:
    """8,800,000 -> "880万"; 123,456,789 -> "1.2億" (one decimal, as Japanese notices write)."""
    for size, unit in _JA_UNITS:
        if value >= size:
            scaled = value / size
            return (f"{scaled:,.0f}" if scaled.is_integer() else f"{scaled:,.1f}") + unit
    return _number(value)


def money_ja(amount: dict[str, Any] | None) -> str:
    if not amount or amount.get("amount") is None:
        return ""
    currency = str(amount.get("currency") or "")
    name = phrases()["currency"]["ja"].get(currency.upper(), currency)
    return number_ja(float(amount["amount"])) + name


def describe_en(f: dict[str, Any]) -> str:
    p = phrases()["describe"]["en"]
    who = f.get("organization") or p["unnamed"]
    event = phrases()["describe"]["en_event"].get(f.get("attack_type") or "", p["incident"])
    sentence = f"{who} discloses {event}"
    if f.get("occurred_date"):
        sentence += " " + p["occurred"].format(date=f["occurred_date"])
    elif f.get("discovered_date"):
        sentence += " " + p["discovered"].format(date=f["discovered_date"])
    people, orgs = f.get("affected_persons"), f.get("affected_orgs")
    counts = []
    if people:
        counts.append(f"{people:,} {plural(p['person'], people)}")
    if orgs:
        counts.append(f"{orgs:,} {plural(p['organisation'], orgs)}")
    if counts:
        sentence += p["affecting"].format(counts=list_en(counts))
    cats = [label("data_categories", c, "en") for c in f.get("data_categories") or []]
    if cats:
        sentence += p["data"].format(categories=list_en(cats))
    if money := money_en(f.get("amount_lost")):
        sentence += p["lost"].format(amount=money)
    if (f.get("report_count") or 1) > 1:
        sentence += p["followup"].format(n=f["report_count"])
    return sentence + "."


def describe_ja(f: dict[str, Any]) -> str:
    p = phrases()["describe"]["ja"]
    sentence = (f.get("organization") or p["unnamed"]) + "で"
    if f.get("occurred_date"):
        sentence += p["occurred"].format(date=_ja_date(f["occurred_date"]))
    elif f.get("discovered_date"):
        sentence += p["discovered"].format(date=_ja_date(f["discovered_date"]))
    what = label("attack_type", f.get("attack_type"), "ja")
    known = f.get("attack_type") not in (None, "", "unknown", "other")
    sentence += p["what"].format(attack=what) if known else p["incident"]
    items = []
    if f.get("affected_persons"):
        items.append(p["persons"].format(n=f"{f['affected_persons']:,}"))
    if f.get("affected_orgs"):
        items.append(p["orgs"].format(n=f"{f['affected_orgs']:,}"))
    cats = [label("data_categories", c, "ja") for c in f.get("data_categories") or []]
    if items or cats:
        sentence += p["data"].format(items="・".join(items) + ("、" if items and cats else "")
                                     + "・".join(cats))
    if money := money_ja(f.get("amount_lost")):
        sentence += p["lost"].format(amount=money)
    if (f.get("report_count") or 1) > 1:
        sentence += p["followup"].format(n=f["report_count"])
    return sentence + "。"


def _ja_date(iso: str) -> str:
    y, m, d = str(iso)[:10].split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"
