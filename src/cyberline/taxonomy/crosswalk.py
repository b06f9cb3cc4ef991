"""Crosswalks between cyberline's vocabularies and other schemes, kept as data.

Each table is ``crosswalks/<field>__<scheme>.csv`` with columns ``ours, theirs, direction,
priority, note``. ``direction`` says how a row is used:

- ``both``: the primary mapping in both directions;
- ``to_ours``: the primary mapping of ``theirs`` into our vocabulary only;
- ``from_ours``: the primary mapping of ``ours`` into their scheme only;
- ``related``: compatible but primary in neither direction (used when scoring in their scheme);
- ``unmappable``: the non-empty side has no counterpart (stated explicitly, with a note).

Every value of ours has exactly one primary ``from_ours`` row (``both``/``from_ours``) or an
``unmappable`` row; every value of theirs has one primary ``to_ours`` row or an ``unmappable`` row
(tests/taxonomy checks this). Lookups of their values ignore case, punctuation and repeated spaces
("Targeted attack" = "Targeted Attack", "Water supply, sewerage" = "Water supply sewerage").

    >>> crosswalk("attack_type", "technique").to_ours("Account Hijacking")
    'account_takeover'
    >>> crosswalk("attack_type", "technique").from_ours("ddos")
    'DDoS'
    >>> crosswalk("attack_type", "veris_action").to_ours_many(["hacking.Unknown", "malware.Ransomware"])
    'ransomware'
    >>> naics_to_target_class("611310")
    'P'
    >>> countries("US\\n CA"), countries("UK"), countries(">1")
    (['US', 'CA'], ['GB'], [])

Tables (field: schemes): attack_type: technique (the English timelines' "Attack" column),
veris_action ("category.Variety"), jnsa_cause, hhs_breach_type, prc_breach_type;
motivation: attack_class (CC/H/CE/CW), veris_motive; target_class: timeline ("Target Class"
strings), naics (2-digit sectors, a few 3-5 digit subsectors), hhs_entity (Covered Entity Type), jsic (major-group letters).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

DIRECTIONS = ("both", "to_ours", "from_ours", "related", "unmappable")

_MISSING = object()


class UnknownValue(KeyError):
    """A value that the crosswalk table does not list at all (neither mapped nor unmappable)."""


def normalize_key(value: str) -> str:
    """Case-, width- and punctuation-insensitive form of a label ("P  Education," -> "p education")."""
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    text = re.sub(r"[^\w%>]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Row:
    ours: str
    theirs: str
    direction: str
    priority: float | None
    note: str


@dataclass
class Crosswalk:
    field: str
    scheme: str
    rows: list[Row]
    _to: dict[str, Row | None] = field(default_factory=dict, repr=False)
    _from: dict[str, Row | None] = field(default_factory=dict, repr=False)
    _pairs: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        for row in self.rows:
            if row.direction not in DIRECTIONS:
                raise ValueError(f"{self.name}: bad direction {row.direction!r}")
            key = normalize_key(row.theirs) if row.theirs else None
            if row.direction == "unmappable":
                if row.theirs and not row.ours:
                    self._set(self._to, key, None, row)
                elif row.ours and not row.theirs:
                    self._set(self._from, row.ours, None, row)
                else:
                    raise ValueError(f"{self.name}: unmappable row needs exactly one side: {row}")
                continue
            if not (row.ours and row.theirs):
                raise ValueError(f"{self.name}: mapped row needs both sides: {row}")
            self._pairs.add((row.ours, key))
            if row.direction in ("both", "to_ours"):
                self._set(self._to, key, row, row)
            if row.direction in ("both", "from_ours"):
                self._set(self._from, row.ours, row, row)

    def _set(self, table: dict, key: str, value: Row | None, row: Row) -> None:
        if key in table:
            raise ValueError(f"{self.name}: two primary rows for {key!r} ({table[key]} and {row})")
        table[key] = value

    @property
    def name(self) -> str:
        return f"{self.field}__{self.scheme}"

    # Their value -> ours -------------------------------------------------------------------
    def to_ours(self, value: str, default=_MISSING) -> str | None:
        """Our value for theirs; None when marked unmappable; UnknownValue when not listed."""
        key = normalize_key(value)
        if key not in self._to:
            if default is _MISSING:
                raise UnknownValue(f"{self.name}: {value!r} is not in the table")
            return default
        row = self._to[key]
        return row.ours if row else None

    def to_ours_many(self, values, default: str | None = None) -> str | None:
        """The most specific of several of their values (lowest ``priority`` wins).

        For VERIS "category.Variety" values that the table does not list, the category alone is
        tried ("hacking.Password spraying" -> row "hacking").
        """
        best: tuple[float, int, str] | None = None
        for order, value in enumerate(values):
            key = normalize_key(value)
            row = self._to.get(key, _MISSING)
            if row is _MISSING and "." in str(value):
                row = self._to.get(normalize_key(str(value).split(".", 1)[0]), _MISSING)
            if row is _MISSING or row is None:
                continue
            rank = (row.priority if row.priority is not None else 50.0, order, row.ours)
            if best is None or rank < best:
                best = rank
        return best[2] if best else default

    # Ours -> their value -------------------------------------------------------------------
    def from_ours(self, value: str, default=_MISSING) -> str | None:
        """Their primary value for ours; None when marked unmappable."""
        if value not in self._from:
            if default is _MISSING:
                raise UnknownValue(f"{self.name}: {value!r} is not in the table")
            return default
        row = self._from[value]
        return row.theirs if row else None

    def compatible(self, ours: str, theirs: str) -> bool:
        """True when the table pairs ``ours`` with ``theirs`` in any direction (incl. related)."""
        return (ours, normalize_key(theirs)) in self._pairs

    # Introspection ------------------------------------------------------------------------
    def ours_values(self) -> set[str]:
        return {r.ours for r in self.rows if r.ours}

    def theirs_values(self) -> set[str]:
        return {r.theirs for r in self.rows if r.theirs}

    def maps_to_ours(self, theirs: str) -> bool:
        """Listed for the theirs -> ours direction (mapped or marked unmappable)."""
        return normalize_key(theirs) in self._to

    def maps_from_ours(self, ours: str) -> bool:
        return ours in self._from


def _table_text(name: str) -> str:
    path = resources.files("cyberline.taxonomy").joinpath("crosswalks", f"{name}.csv")
    return path.read_text(encoding="utf-8")


def _priority(text: str) -> float | None:
    return float(text) if text.strip() else None


@cache
def crosswalk(field: str, scheme: str) -> Crosswalk:
    """The crosswalk between our vocabulary ``field`` and ``scheme`` (see the module docstring)."""
    rows = [
        Row(r["ours"].strip(), r["theirs"].strip(), r["direction"].strip(),
            _priority(r.get("priority") or ""), (r.get("note") or "").strip())
        for r in csv.DictReader(io.StringIO(_table_text(f"{field}__{scheme}")))
    ]
    return Crosswalk(field, scheme, rows)


def available() -> list[tuple[str, str]]:
    """(field, scheme) of every crosswalk table shipped."""
    folder = resources.files("cyberline.taxonomy").joinpath("crosswalks")
    out = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".csv") and "__" in name and not name.startswith("country__"):
            f, s = name[:-4].split("__", 1)
            out.append((f, s))
    return sorted(out)


def naics_to_target_class(code: str | int | None) -> str | None:
    """A NAICS code of any length (VCDB victim_industry) -> target_class letter, or None."""
    if code is None:
        return None
    digits = re.sub(r"\D", "", str(code))
    if len(digits) < 2:
        return None
    table = crosswalk("target_class", "naics")
    for k in range(min(len(digits), 5), 1, -1):  # the longest listed prefix: 5415 before 54
        if table.maps_to_ours(digits[:k]):
            return table.to_ours(digits[:k], default=None)
    return None


@cache
def _country_quirks() -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(_table_text("country__timeline")))
    return {r["theirs"].strip().upper(): r["ours"].strip() for r in rows}


def countries(value: str | None) -> list[str]:
    """A timeline Country cell -> ISO 3166-1 alpha-2 codes ("UK" -> GB; ">1", "null" -> [])."""
    if value is None:
        return []
    quirks = _country_quirks()
    out: list[str] = []
    for token in re.split(r"[\s,;/]+", str(value).strip()):
        token = token.strip().upper()
        if not token:
            continue
        code = quirks.get(token, token)
        if re.fullmatch(r"[A-Z]{2}", code or "") and code not in out:
            out.append(code)
    return out


def is_multiple_countries(value: str | None) -> bool:
    return value is not None and str(value).strip() == ">1"
