"""Incidents for report tests, stored the way the pipeline stores them (document -> report ->
link), without depending on the extractor: the reports are written by hand.

The set spans three fortnights (2022-06a, 2022-06b, 2022-07a) with Japanese notices like the
seed post's and English news like the timelines'.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from cyberline.link import link_pending
from cyberline.model import Amount, IncidentDate, Report, SourceDocument
from cyberline.store import Store
from cyberline.store.records import save_document, save_report


@dataclass
class Case:
    org: str
    day: str
    attack_type: str
    country: list[str] = field(default_factory=lambda: ["US"])
    motivation: str = "cybercrime"
    target_class: str = "Z"
    language: str = "en"
    extra: dict = field(default_factory=dict)


CASES = [
    # 2022-06a: 4 incidents
    Case("Acme Corp", "2022-06-02", "ransomware", target_class="C"),
    Case("Beta Bank", "2022-06-05", "vulnerability_exploit", target_class="K"),
    Case("Gamma Univ", "2022-06-09", "ddos", motivation="hacktivism", target_class="P",
         country=["LT"]),
    Case("株式会社アルファ", "2022-06-14", "misdelivery", country=["JP"], motivation="accident",
         language="ja", extra={"cause_category_jnsa": "誤操作", "affected_persons": 30}),
    # 2022-06b: 5 incidents
    Case("Delta Health", "2022-06-16", "ransomware", target_class="Q"),
    Case("Epsilon Shop", "2022-06-20", "payment_skimming", target_class="G",
         extra={"affected_persons": 5000}),
    Case("Zeta Gov", "2022-06-22", "ddos", motivation="hacktivism", target_class="O",
         country=["LV", "US"]),
    Case("Eta DeFi", "2022-06-25", "vulnerability_exploit", target_class="V",
         extra={"amount_lost": Amount(1_000_000, "USD", "$1M")}),
    Case("Theta Inc", "2022-06-30", "unknown", target_class="Y"),
    # 2022-07a: 8 incidents, 3 Japan-related
    Case("株式会社大都", "2022-07-01", "ransomware", country=["JP"], target_class="G",
         language="ja", extra={"cause_category_jnsa": "不正アクセス",
                               "incident_dates": [IncidentDate("2022-06-28", "occurred")]}),
    Case("Crema Finance", "2022-07-03", "vulnerability_exploit", target_class="V",
         extra={"amount_lost": Amount(8_800_000, "USD", "880万ドル")}),
    Case("Iota Hospital", "2022-07-05", "ransomware", target_class="Q",
         extra={"affected_persons": 49_351,
                "incident_dates": [IncidentDate("2022-07-02", "discovered")]}),
    Case("国立大学法人テスト大学", "2022-07-06", "lost_or_stolen_device", country=["JP"],
         motivation="accident", target_class="P", language="ja",
         extra={"cause_category_jnsa": "紛失・置忘れ", "affected_persons": 1,
                "data_categories": ["name", "email"]}),
    Case("Kappa Ltd", "2022-07-08", "ransomware", target_class="C", country=["DE"]),
    Case("株式会社ショップ", "2022-07-11", "payment_skimming", country=["JP"], target_class="G",
         language="ja", extra={"cause_category_jnsa": "不正アクセス", "affected_persons": 122,
                               "data_categories": ["credit_card_number", "card_expiry",
                                                   "card_security_code"]}),
    Case("Lambda Agency", "2022-07-13", "account_takeover", motivation="cyber_espionage",
         target_class="O"),
    Case("Mu Games", "2022-07-15", "ddos", motivation="hacktivism", target_class="R",
         country=["RU"]),
]


def store_cases(store: Store, cases: list[Case] = CASES) -> None:
    with store.session() as s:
        for n, case in enumerate(cases):
            text = f"{case.org} {case.attack_type} {n}"
            doc, _ = save_document(s, SourceDocument(url=f"https://x.invalid/{n}",
                                                     raw=text.encode(), text=text,
                                                     title=f"notice {n}", language=case.language))
            report = Report(id=str(n), kind="incident_notice", language=case.language,
                            organization=case.org, disclosure_date=case.day,
                            attack_type=case.attack_type, motivation=case.motivation,
                            target_class=case.target_class, country=case.country, **case.extra)
            save_report(s, doc, report, provenance="test")
        link_pending(s)


@pytest.fixture
def cases_store(store):
    store_cases(store)
    return store


@pytest.fixture
def cases_db(tmp_path):
    """A SQLite file holding CASES (for CLI tests)."""
    path = str(tmp_path / "cases.sqlite")
    s = Store.open(path)
    store_cases(s)
    s.close()
    return path
