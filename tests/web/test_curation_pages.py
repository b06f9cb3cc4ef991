"""Editors curate through the web app: fields, merge, split, review queue, audit log, undo.

These pages call ``cyberline.curate`` (built on the linking branch); the module is skipped
until that library is part of the build.
"""

from __future__ import annotations

import pytest

from cyberline.store.schema import ReviewItem
from tests.web.conftest import csrf_of, login

pytest.importorskip("cyberline.curate", reason="cyberline.curate (branch linking) not merged yet")


def _post(client, url: str, **data):
    data["csrf"] = csrf_of(client, "/incidents")
    return client.post(url, data=data, follow_redirects=False)


def test_editor_sets_a_field_sees_it_and_the_audit_entry_then_undoes_it(client):
    login(client, "ed")
    response = _post(client, "/incidents/1/field", field="motivation", value="hacktivism")
    assert response.status_code == 303 and response.headers["location"] == "/incidents/1"
    data = client.get("/incidents/1.json").json()
    assert data["incident"]["motivation"] == "hacktivism"
    entry = data["audit"][0]
    assert (entry["actor"], entry["action"], entry["field"]) == ("ed", "set_field", "motivation")
    html = client.get("/incidents/1").text
    assert 'id="audit"' in html and "hacktivism" in html
    # Facet counts follow the edit at once (the cache is cleared on writes).
    facets = client.get("/incidents.json").json()["facets"]["motivation"]
    assert {"hacktivism"} <= {f["value"] for f in facets}
    assert _post(client, f"/audit/{entry['id']}/undo", incident_id="1").status_code == 303
    assert client.get("/incidents/1.json").json()["incident"]["motivation"] == "cybercrime"


def test_bad_values_are_clear_errors(client):
    login(client, "ed")
    response = _post(client, "/incidents/1/field", field="affected_persons", value="many")
    assert response.status_code == 400 and "affected_persons" in response.text
    assert _post(client, "/incidents/1/field", field="password_hash", value="x").status_code == 400
    assert client.get("/incidents/1.json").json()["audit"] == []


def test_renaming_updates_the_search_index(client):
    login(client, "ed")
    _post(client, "/incidents/2/field", field="organization", value="Renamed Bank")
    rows = client.get("/search.json?q=Renamed").json()["incidents"]
    assert [r["target"] for r in rows] == ["Renamed Bank"]


def test_clear_field(client):
    login(client, "ed")
    assert _post(client, "/incidents/1/field", field="affected_persons",
                 action="clear").status_code == 303
    assert client.get("/incidents/1.json").json()["incident"]["affected_persons"] is None


def test_merge_then_split(client):
    login(client, "ed")
    assert _post(client, "/incidents/1/merge", other_id="2").status_code == 303
    merged = client.get("/incidents/1.json").json()
    assert len(merged["reports"]) == 2
    assert client.get("/incidents/2.json").status_code == 404
    report_id = merged["reports"][-1]["report_id"]
    assert _post(client, f"/reports/{report_id}/split", incident_id="1").status_code == 303
    assert len(client.get("/incidents/1.json").json()["reports"]) == 1
    assert client.get("/incidents.json").json()["total"] == 3
    lone = _post(client, "/reports/1/split", incident_id="1")
    assert lone.status_code == 400 and "only report" in lone.text


def test_review_queue_decision(client, web_store):
    with web_store.session() as s:
        s.add(ReviewItem(report_id=2, incident_id=1, score=0.7, reason="similar names"))
    login(client, "ed")
    items = client.get("/review.json").json()["items"]
    assert [(i["report_id"], i["incident_id"]) for i in items] == [(2, 1)]
    assert _post(client, f"/review/{items[0]['id']}/decide", accept="true").status_code == 303
    assert client.get("/review.json").json()["items"] == []
    assert len(client.get("/incidents/1.json").json()["reports"]) == 2
