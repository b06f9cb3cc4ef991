"""Checking and converting a value a person gives for an incident field (from Python or the CLI).

Strings from the command line are parsed (`2022-08-01`, `1,234`, `JP,US`, `100万 JPY`); values of
the right type from Python pass through. A bad value raises CurationError with what is allowed.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from cyberline.model import vocabulary


class CurationError(ValueError):
    """A curation operation that cannot be done: the message says why, for a person to read."""


@cache
def field_specs() -> dict[str, Any]:
    with resources.files("cyberline.curate").joinpath("fields.toml").open("rb") as fh:
        return tomllib.load(fh)


def resolve_field(name: str) -> str:
    specs = field_specs()
    column = specs["aliases"].get(name, name)
    if column not in specs or column == "aliases":
        allowed = ", ".join(sorted(k for k in specs if k != "aliases"))
        raise CurationError(f"unknown field {name!r}; fields: {allowed}")
    return column


def _split(value: Any) -> list:
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[,\s、]+", value) if v.strip()]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise CurationError(f"expected a list or comma-separated text, got {value!r}")


def _choice(field: str, value: Any, vocab: str) -> str:
    allowed = vocabulary(vocab)
    if value not in allowed:
        raise CurationError(f"{field}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _int(field: str, value: Any) -> int:
    if isinstance(value, bool):
        raise CurationError(f"{field}: expected a whole number, got {value!r}")
    if isinstance(value, str):
        value = value.replace(",", "").replace("_", "").strip()
        if not re.fullmatch(r"\d+", value):
            raise CurationError(f"{field}: expected a whole number >= 0, got {value!r}")
        value = int(value)
    if not isinstance(value, int) or value < 0:
        raise CurationError(f"{field}: expected a whole number >= 0, got {value!r}")
    return value


def _date(field: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise CurationError(f"{field}: expected a date YYYY-MM-DD, got {value!r}") from None


def _amount(field: str, value: Any) -> dict[str, Any]:
    if isinstance(value, dict) and "amount" in value and "currency" in value:
        amount, currency, text = value["amount"], value["currency"], value.get("text", "")
    else:
        match = re.fullmatch(r"\s*([\d,.]+)\s*([A-Za-z]{3})\s*", str(value))
        if not match:
            raise CurationError(f"{field}: expected 'AMOUNT CUR' such as '8800000 USD', got {value!r}")
        amount, currency, text = match[1].replace(",", ""), match[2], str(value).strip()
    try:
        amount = float(amount)
    except (TypeError, ValueError):
        raise CurationError(f"{field}: amount {amount!r} is not a number") from None
    return {"amount": amount, "currency": str(currency).upper(), "text": text}


_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


def _bool(field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise CurationError(f"{field}: expected true or false, got {value!r}")


def convert(field: str, value: Any) -> Any:
    """The stored form of ``value`` for incident column ``field`` (already resolved)."""
    spec = field_specs()[field]
    kind = spec["type"]
    if kind == "text":
        text = str(value).strip()
        if not text:
            raise CurationError(f"{field}: empty text (use clear to remove a value)")
        return text
    if kind == "int":
        return _int(field, value)
    if kind == "date":
        return _date(field, value)
    if kind == "choice":
        return _choice(field, value, spec["vocabulary"])
    if kind == "choices":
        return list(dict.fromkeys(_choice(field, v, spec["vocabulary"]) for v in _split(value)))
    if kind == "country_list":
        codes = [str(v).upper() for v in _split(value)]
        bad = [c for c in codes if not re.fullmatch(r"[A-Z]{2}", c)]
        if bad or not codes:
            raise CurationError(f"{field}: expected ISO 3166-1 alpha-2 codes such as JP,US, "
                                f"got {value!r}")
        return list(dict.fromkeys(codes))
    if kind == "bool":
        return _bool(field, value)
    if kind == "amount":
        return _amount(field, value)
    raise CurationError(f"{field}: unsupported field type {kind!r}")  # a fields.toml mistake


EMPTY = {"choice": None, "choices": [], "country_list": []}


def empty_value(field: str) -> Any:
    """What a cleared field holds (vocabulary fields fall back to their 'unknown' value)."""
    from cyberline.link.merge import DEFAULTS

    if field in DEFAULTS:
        return DEFAULTS[field]
    if field == "published":
        raise CurationError("published cannot be cleared; set it to true or false")
    return EMPTY.get(field_specs()[field]["type"])
