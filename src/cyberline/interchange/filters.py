"""Which incidents a report or an export covers: period, country, attack type, target class.

The same semantics as the period statistics (only published incidents; a period bounds the
disclosure date; the country matches any of the incident's countries), exporters use
`analyze.stats.in_period` itself, so a report and an export of one filter cover the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select

from cyberline.analyze.periods import Period, parse_period
from cyberline.analyze.stats import in_period
from cyberline.model import vocabulary


class FilterError(ValueError):
    """A filter value outside the vocabularies (a typo would otherwise export nothing)."""


@dataclass(frozen=True)
class IncidentFilter:
    period: Period | None = None
    country: str | None = None
    attack_type: str | None = None
    target_class: str | None = None

    @classmethod
    def parse(cls, period: str | None = None, country: str | None = None,
              attack_type: str | None = None, target_class: str | None = None) -> "IncidentFilter":
        """Build a filter from command-line strings, checking each against its vocabulary."""
        if attack_type and attack_type not in vocabulary("attack_type"):
            raise FilterError(f"unknown attack type {attack_type!r}; one of: "
                              + ", ".join(vocabulary("attack_type")))
        if target_class:
            target_class = target_class.upper()
            if target_class not in vocabulary("target_class"):
                raise FilterError(f"unknown target class {target_class!r}: a letter A-Z "
                                  "(NACE sections, V fintech, X individual, Y multiple, Z unknown)")
        if country:
            country = country.upper()
            if len(country) != 2 or not country.isalpha():
                raise FilterError(f"country {country!r}: use an ISO 3166-1 alpha-2 code such as JP")
        return cls(parse_period(period) if period else None, country or None,
                   attack_type or None, target_class or None)

    def as_dict(self) -> dict[str, str | None]:
        return {"country": self.country, "attack_type": self.attack_type,
                "target_class": self.target_class}

    def label(self) -> str:
        """A stable text form (used in deterministic export ids and file names)."""
        parts = [self.period.label() if self.period else "all"]
        parts += [f"{k}={v}" for k, v in sorted(self.as_dict().items()) if v]
        return ";".join(parts)


def filter_incidents(query: Select, period: Period | None, filters: dict | None = None) -> Select:
    """Restrict a query over ``Incident`` the way `cyberline report` does (the same function)."""
    return in_period(query, period, filters)


def apply(query: Select, flt: IncidentFilter) -> Select:
    return filter_incidents(query, flt.period, flt.as_dict())
