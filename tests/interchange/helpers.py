"""Building incidents for interchange tests: reports stored and linked the way ingestion does."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

from hypothesis import strategies as st

from cyberline.interchange import IncidentFilter, iter_incidents
from cyberline.link import link_pending
from cyberline.model import Amount, IncidentDate, Report, SourceDocument, vocabulary
from cyberline.store import Store
from cyberline.store.records import save_document, save_report
from cyberline.store.schema import Base

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CSV = ROOT / "datasets" / "samples" / "hackmageddon_2020-01.csv"
VCDB_JSONL_GZ = ROOT / "datasets" / "training" / "vcdb" / "incidents.jsonl.gz"


def fresh_store(path: Path) -> Store:
    """A new SQLite store with the tables created directly (faster than running migrations;
    the migrated schema itself is covered by the tests that use the ``store`` fixture)."""
    store = Store.open(path, migrate=False)
    Base.metadata.create_all(store.engine)
    return store


def seed(store: Store, incidents: list[dict]) -> None:
    """Store one document + report per dict (keys: our incident fields, link, title) and link."""
    with store.session() as session:
        for n, fields in enumerate(incidents):
            dates = [IncidentDate(fields[k], role) for k, role in
                     (("occurred_date", "occurred"), ("discovered_date", "discovered"))
                     if fields.get(k)]
            amount = fields.get("amount_lost")
            report = Report(
                id=str(n), kind="incident_notice", language=fields.get("language"),
                organization=fields.get("organization"),
                disclosure_date=fields.get("disclosure_date"), incident_dates=dates,
                attack_type=fields.get("attack_type", "unknown"),
                cause_category_jnsa=fields.get("cause_category_jnsa"),
                motivation=fields.get("motivation", "unknown"),
                target_class=fields.get("target_class", "Z"),
                country=list(fields.get("countries") or []),
                affected_persons=fields.get("affected_persons"),
                affected_orgs=fields.get("affected_orgs"),
                data_categories=list(fields.get("data_categories") or []),
                amount_lost=Amount(**amount) if amount else None,
                reported_to=list(fields.get("reported_to") or []))
            doc = SourceDocument(url=fields.get("link") or f"https://example.invalid/{n}",
                                 raw=f"seed {n} {fields}".encode(), text=f"notice {n}",
                                 title=fields.get("title"), language=fields.get("language"))
            row, _ = save_document(session, doc)
            save_report(session, row, report, provenance="test")
        link_pending(session)


def ours_of(store: Store, **filters) -> list[dict]:
    """Every exported incident's fields of ours, sorted by organisation (ids differ per database)."""
    records = iter_incidents(store, IncidentFilter(**filters), with_reports=False)
    return sorted((r.ours() for r in records), key=lambda d: str(d["organization"]))


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                max_size=20)
_COUNTRIES = ["JP", "US", "GB", "DE", "FR", "CA", "AU", "KR"]


def _unique(values: list[str]):
    return st.lists(st.sampled_from(values), unique=True, max_size=3)


@st.composite
def incident_fields(draw, number: int) -> dict:
    """One incident's fields (organisation unique by ``number`` so incidents never merge)."""
    day = draw(st.dates(min_value=date(2000, 1, 1),
                        max_value=date(2030, 12, 31)))
    optional_day = st.none() | st.dates(min_value=date(1999, 1, 1), max_value=day)
    amount = draw(st.none() | st.fixed_dictionaries({
        "amount": st.floats(min_value=0, max_value=1e12, allow_nan=False),
        "currency": st.sampled_from(["JPY", "USD", "EUR"]), "text": _TEXT}))
    occurred, discovered = draw(optional_day), draw(optional_day)
    suffix = draw(st.text(alphabet=string.ascii_letters + "株式会社テスト ", max_size=10))
    return {
        "organization": f"Org{number}x{suffix}",
        "disclosure_date": day.isoformat(),
        "occurred_date": occurred.isoformat() if occurred else None,
        "discovered_date": discovered.isoformat() if discovered else None,
        "attack_type": draw(st.sampled_from(vocabulary("attack_type"))),
        "motivation": draw(st.sampled_from(vocabulary("motivation"))),
        "target_class": draw(st.sampled_from(vocabulary("target_class"))),
        "countries": draw(_unique(_COUNTRIES)),
        "cause_category_jnsa": draw(st.none() | st.sampled_from(vocabulary("cause_category_jnsa"))),
        "affected_persons": draw(st.none() | st.integers(0, 2**31 - 1)),
        "affected_orgs": draw(st.none() | st.integers(0, 100000)),
        "data_categories": draw(_unique(vocabulary("data_categories"))),
        "amount_lost": amount,
        "reported_to": draw(_unique(vocabulary("reported_to"))),
        "language": draw(st.sampled_from(["ja", "en", None])),
        "link": draw(st.none() | st.just(f"https://example.invalid/n/{number}")),
        "title": draw(st.none() | _TEXT),
    }


@st.composite
def incident_lists(draw, max_size: int = 4) -> list[dict]:
    count = draw(st.integers(1, max_size))
    return [draw(incident_fields(n)) for n in range(count)]
