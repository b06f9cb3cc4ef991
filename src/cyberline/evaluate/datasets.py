"""Labelled data sets for `cyberline eval`, read into :class:`EvalItem` (text + gold contract keys).

Formats (auto-detected from the path, or named with ``--format``):

- ``folder``: the ja_dev / en_dev layout: ``notices/NNN.txt`` (line 1 the URL, line 2 blank, the
  rest the text) and ``labels.jsonl`` keyed by ``id``;
- ``timeline``: an English timeline CSV (Description -> text; Attack, Attack Class, Target Class,
  Country mapped through the crosswalks); the id is the row index;
- ``vcdb``: VCDB JSONL (summary -> text), de-duplicated; ``.gz`` accepted;
- ``hhs``: HHS OCR breach CSV (Web Description -> text, Type of Breach mapped), de-duplicated.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cyberline.classify import data

FORMATS = ("folder", "timeline", "vcdb", "hhs")


@dataclass
class EvalItem:
    id: str
    text: str
    gold: dict[str, Any]
    source: str
    url: str | None = None
    native: dict[str, Any] = field(default_factory=dict)

    @property
    def split(self) -> str:
        return data.split_of(self.id)


def detect_format(path: Path) -> str:
    path = Path(path)
    if path.is_dir():
        if (path / "labels.jsonl").exists():
            return "folder"
        raise ValueError(f"{path}: a folder needs labels.jsonl and notices/")
    name = path.name.lower()
    if ".jsonl" in name:
        return "vcdb"
    if ".csv" in name:
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh), [])
        if "Web Description" in header:
            return "hhs"
        if "Description" in header and "Attack" in header:
            return "timeline"
    raise ValueError(f"{path}: cannot tell the format; give --format ({', '.join(FORMATS)})")


def read_folder(path: Path) -> list[EvalItem]:
    path = Path(path)
    items = []
    for line in (path / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        label = json.loads(line)
        notice = path / "notices" / f"{label['id']}.txt"
        raw = notice.read_text(encoding="utf-8")
        lines = raw.split("\n")
        url = lines[0].strip() or None
        text = "\n".join(lines[2:]) if len(lines) > 2 else ""
        items.append(EvalItem(id=str(label["id"]), text=text, gold=label, source="folder",
                              url=url or label.get("url")))
    return items


# Country names used to decide whether a description names the victim's country.
COUNTRY_NAMES = {
    "US": r"united states|\bu\.s\.|\busa\b|america", "GB": r"united kingdom|\buk\b|britain|british|england|scotland|wales",
    "CA": r"canad", "AU": r"australia", "DE": r"german", "FR": r"\bfrance|french", "JP": r"japan",
    "IN": r"\bindia", "NZ": r"new zealand", "IE": r"ireland|irish", "CN": r"\bchina|chinese",
    "KR": r"south korea|korean", "IL": r"israel", "RU": r"\brussia", "NL": r"netherlands|dutch",
    "IT": r"\bital", "ES": r"\bspain|spanish", "UA": r"ukrain", "TR": r"turk", "BR": r"brazil",
    "MX": r"mexic", "SG": r"singapore", "HK": r"hong kong", "TW": r"taiwan", "ZA": r"south africa",
    "GR": r"greece|greek", "AT": r"austria", "CH": r"switzerland|swiss", "SE": r"swed",
}
_COUNTRY_RE = {code: re.compile(p, re.I) for code, p in COUNTRY_NAMES.items()}


def names_country(text: str, codes: list[str]) -> bool:
    return any(c in _COUNTRY_RE and _COUNTRY_RE[c].search(text) for c in codes)


def states_count(text: str, n: int) -> bool:
    """The text writes the figure n ("1,234" or "1234") as a number of its own: not a piece of a
    larger number ("$1,400" is not 1, "1.5" not 1), a time ("1:00pm"), a date ("5/17/10") or a
    sum or share ("$25", "25%")."""
    forms = f"{n:,}|{n}" if n >= 1000 else f"{n}"
    return bool(re.search(rf"(?<![\d,.$€£/]){'(?:' + forms + ')'}(?![\d/%]|[,.:]\d)", text))


def _from_corpus(item: data.Item) -> EvalItem:
    gold: dict[str, Any] = {}
    for key in ("attack_type", "motivation", "target_class"):
        if key in item.labels:
            gold[key] = item.labels[key]
    if item.labels.get("country") and names_country(item.text, item.labels["country"]):
        gold["country"] = item.labels["country"]
    n = item.labels.get("affected_persons")
    if isinstance(n, int) and states_count(item.text, n):
        gold["affected_persons"] = n
    return EvalItem(id=item.id, text=item.text, gold=gold, source=item.source, url=item.url,
                    native=item.native)


def read_dataset(path: Path, fmt: str | None = None) -> list[EvalItem]:
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt == "folder":
        return read_folder(path)
    if fmt == "timeline":
        return [_from_corpus(i) for i in data.read_timeline(path)]
    if fmt == "vcdb":
        return [_from_corpus(i) for i in data.read_vcdb(path)]
    if fmt == "hhs":
        return [_from_corpus(i) for i in data.read_hhs(path)]
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
