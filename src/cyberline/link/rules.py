"""The linking rules as data (rules.toml), loaded once."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def rules() -> dict[str, Any]:
    with resources.files("cyberline.link").joinpath("rules.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def _groups() -> list[frozenset[str]]:
    return [frozenset(g) for g in rules()["compatible"]["groups"]]


def compatible(a: str | None, b: str | None) -> bool:
    """Whether two attack types can describe one incident (unknown/other match anything)."""
    wild = set(rules()["compatible"]["wildcards"]) | {None, ""}
    if a in wild or b in wild or a == b:
        return True
    return any(a in g and b in g for g in _groups())
