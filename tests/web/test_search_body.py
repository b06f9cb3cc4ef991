"""An incident's search body is bounded: its first and latest documents, not all of them."""

from __future__ import annotations

from sqlalchemy import select

from cyberline.model import Report
from cyberline.store.schema import Incident, IncidentSearch
from cyberline.store.search import FIRST_DOCS, LAST_DOCS, search_ids
from tests.web.data import add


def test_long_incident_indexes_its_first_and_latest_documents(store):
    total = FIRST_DOCS + LAST_DOCS + 5
    for n in range(total):
        add(store, f"upd{n}", f"株式会社長期 第{n}報 マーカー{n:02d}X についてのお知らせ", Report(
            id=f"u{n}", language="ja", kind="incident_notice", organization="株式会社長期",
            disclosure_date="2022-07-01", attack_type="ransomware",
            is_followup_report=n > 0))
    with store.session() as s:
        incidents = list(s.scalars(select(Incident)))
        assert len(incidents) == 1  # one incident: all reports linked to it
        body = s.get(IncidentSearch, incidents[0].id).body
        found = {n for n in range(total) if f"マーカー{n:02d}X" in body}
        assert found == set(range(FIRST_DOCS)) | set(range(total - LAST_DOCS, total))
        assert search_ids(s, "マーカー00X") == [incidents[0].id]
        assert search_ids(s, f"マーカー{total - 1:02d}X") == [incidents[0].id]
        assert search_ids(s, f"マーカー{FIRST_DOCS + 1:02d}X") == []
