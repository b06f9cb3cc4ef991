"""The records that flow between pipeline stages, and the vocabularies they use.

Stages are plain functions over these records (collect -> Document, extract -> Report,
link -> Incident); the database layer (cyberline.store) persists them. Vocabularies live in
taxonomy/vocabularies.toml so that adding a value is a data change.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any


@cache
def vocabularies() -> dict[str, Any]:
    with resources.files("cyberline.taxonomy").joinpath("vocabularies.toml").open("rb") as fh:
        return tomllib.load(fh)


def vocabulary(name: str) -> list[str]:
    """The allowed values of one field (target_class gives its letters)."""
    value = vocabularies()[name]
    return list(value) if isinstance(value, dict) else list(value)


# The keys of the `cyberline extract` JSON, in output order (a contract: see docs/DESIGN.md).
REPORT_KEYS = (
    "id", "language", "kind", "organization", "disclosure_date", "incident_dates",
    "attack_type", "cause_category_jnsa", "motivation", "target_class", "country",
    "affected_persons", "affected_orgs", "data_categories", "amount_lost", "reported_to",
    "is_followup_report", "evidence",
)


# Fields whose confidence decides whether an incident report needs a person's look: below
# LOW_CONFIDENCE (or missing: no attack type, no date) the report is flagged. The organisation
# may rightly be null (当社 only), so only a low-confidence name flags it.
REVIEW_FIELDS = ("organization", "attack_type", "disclosure_date")
LOW_CONFIDENCE = 0.5


@dataclass
class SourceDocument:
    """One collected item before it is stored: verbatim bytes plus what was read from them."""

    url: str
    raw: bytes
    text: str
    title: str | None = None
    published: datetime | None = None
    encoding: str | None = None
    content_type: str | None = None
    language: str | None = None
    source_name: str | None = None
    external_id: str | None = None  # feed entry id, import row key

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


@dataclass
class IncidentDate:
    date: str  # YYYY-MM-DD
    role: str  # one of vocabulary("incident_date_role")


@dataclass
class Amount:
    amount: float
    currency: str
    text: str


@dataclass
class Report:
    """What one document says about one incident (the `cyberline extract` contract)."""

    id: str
    language: str | None = None
    kind: str = "other"
    organization: str | None = None
    disclosure_date: str | None = None
    incident_dates: list[IncidentDate] = field(default_factory=list)
    attack_type: str = "unknown"
    cause_category_jnsa: str | None = None
    motivation: str = "unknown"
    target_class: str = "Z"
    country: list[str] = field(default_factory=list)
    affected_persons: int | None = None
    affected_orgs: int | None = None
    data_categories: list[str] = field(default_factory=list)
    amount_lost: Amount | None = None
    reported_to: list[str] = field(default_factory=list)
    is_followup_report: bool = False
    evidence: dict[str, list[int]] = field(default_factory=dict)
    # Beyond the contract: how sure each field is, and who made the report.
    confidence: dict[str, float] = field(default_factory=dict)
    extractor_version: str = ""

    def low_confidence_fields(self) -> list[str]:
        """The key fields of an incident report that the extractor is unsure of: such a report
        is flagged for a person's review (`cyberline review --low-confidence`)."""
        if not self.is_incident:
            return []
        return [f for f in REVIEW_FIELDS
                if getattr(self, f) not in (None, "unknown")
                and self.confidence.get(f, 1.0) < LOW_CONFIDENCE] + \
               [f for f in REVIEW_FIELDS if getattr(self, f) in (None, "unknown")
                and f != "organization"]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        ordered = {key: data[key] for key in REPORT_KEYS}
        ordered["confidence"] = data["confidence"]
        ordered["extractor_version"] = data["extractor_version"]
        low = self.low_confidence_fields()
        ordered["needs_review"] = bool(low)
        ordered["low_confidence_fields"] = low
        return ordered

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Report":
        data = dict(data)
        data["incident_dates"] = [IncidentDate(**d) for d in data.get("incident_dates") or []]
        if data.get("amount_lost"):
            data["amount_lost"] = Amount(**data["amount_lost"])
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def is_incident(self) -> bool:
        return self.kind in ("incident_notice", "incident_news")


def parse_day(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])
