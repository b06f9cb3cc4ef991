"""One-line descriptions of an incident in English and Japanese, generated from its fields.

So that a Japanese notice reads in an English timeline and the other way round.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
import tomllib
from typing import Any


@cache
def labels() -> dict[str, Any]:
    with resources.files("cyberline.taxonomy").joinpath("labels.toml").open("rb") as fh:
        return tomllib.load(fh)


def label(field: str, value: str | None, lang: str) -> str:
    if value is None:
        return ""
    return labels().get(field, {}).get(lang, {}).get(value, value)


def _list_en(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe_en(f: dict[str, Any]) -> str:
    who = f.get("organization") or "An unnamed organisation"
    what = label("attack_type", f.get("attack_type"), "en")
    parts = [f"{who} discloses {'an incident' if what in ('unknown', 'other', '') else what}"]
    if f.get("occurred_date"):
        parts.append(f"that occurred on {f['occurred_date']}")
    elif f.get("discovered_date"):
        parts.append(f"discovered on {f['discovered_date']}")
    sentence = " ".join(parts)
    people, orgs = f.get("affected_persons"), f.get("affected_orgs")
    counts = []
    if people:
        counts.append(f"{people:,} {'person' if people == 1 else 'people'}")
    if orgs:
        counts.append(f"{orgs:,} {'organisation' if orgs == 1 else 'organisations'}")
    if counts:
        sentence += f", affecting {_list_en(counts)}"
    cats = [label("data_categories", c, "en") for c in f.get("data_categories") or []]
    if cats:
        sentence += f" ({_list_en(cats)})"
    return sentence + "."


def describe_ja(f: dict[str, Any]) -> str:
    who = f.get("organization") or "組織名非公表の組織"
    what = label("attack_type", f.get("attack_type"), "ja")
    sentence = who
    if f.get("occurred_date"):
        sentence += f"で{_ja_date(f['occurred_date'])}に"
    elif f.get("discovered_date"):
        sentence += f"で{_ja_date(f['discovered_date'])}に判明した"
    else:
        sentence += "で"
    sentence += f"{what}による事案" if what not in ("不明", "その他", "") else "セキュリティ事案"
    counts = []
    if f.get("affected_persons"):
        counts.append(f"{f['affected_persons']:,}名")
    if f.get("affected_orgs"):
        counts.append(f"{f['affected_orgs']:,}法人")
    cats = [label("data_categories", c, "ja") for c in f.get("data_categories") or []]
    if counts or cats:
        sentence += "(" + "・".join(counts) + ("、" if counts and cats else "") + "・".join(cats) + ")"
    return sentence + "。"


def _ja_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"
