"""HTTP-level tests of every route and its JSON twin (TestClient on SQLite; some on PostgreSQL)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cyberline.store import Store
from cyberline.store.schema import Incident
from cyberline.web import create_app
from tests.web.conftest import csrf_of, login
from tests.web.data import seed

PAGES = ["/incidents", "/search?q=ransomware", "/incidents/1", "/reports", "/reports/2022-08",
         "/reports/2022-07b", "/sources"]


def _json_twin(url: str) -> str:
    path, _, query = url.partition("?")
    return path + ".json" + ("?" + query if query else "")


@pytest.mark.parametrize("url", PAGES)
def test_every_page_and_its_json_twin(client, url):
    page = client.get(url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text  # no inline (or any) scripts
    assert "script-src 'self'" in page.headers["content-security-policy"]
    twin = client.get(_json_twin(url))
    assert twin.status_code == 200 and twin.headers["content-type"] == "application/json"
    negotiated = client.get(url, headers={"Accept": "application/json"})
    assert negotiated.json() == twin.json()


def test_json_twins_are_in_the_openapi_schema(client):
    paths = client.get("/openapi.json").json()["paths"]
    for url in PAGES + ["/review"]:
        path = _json_twin(url.split("?")[0]).replace("/1.json", "/{incident_id}.json") \
            .replace("/2022-08.json", "/{period}.json").replace("/2022-07b.json", "/{period}.json")
        assert "application/json" in paths[path]["get"]["responses"]["200"]["content"], path
    assert "text/csv" in paths["/incidents.csv"]["get"]["responses"]["200"]["content"]


def test_facets_count_and_filter(client):
    data = client.get("/incidents.json").json()
    assert data["total"] == 3
    attack = {f["value"]: f["count"] for f in data["facets"]["attack_type"]}
    assert attack == {"ransomware": 1, "phishing": 1, "unauthorized_access": 1}
    assert {f["value"]: f["count"] for f in data["facets"]["country"]} == {"JP": 2, "US": 1}
    assert client.get("/incidents.json?attack_type=phishing").json()["total"] == 1
    assert client.get("/incidents.json?country=JP").json()["total"] == 2
    assert client.get("/incidents.json?period=2022-08").json()["total"] == 2
    assert client.get("/incidents.json?period=2022-07b&country=JP").json()["total"] == 1
    one = client.get("/incidents.json?country=JP&motivation=cybercrime").json()
    assert [r["target"] for r in one["incidents"]] == ["株式会社テスト商事"]
    assert {f["value"] for f in one["facets"]["target_class"]} == {"C"}


def test_search_in_japanese_and_english(client):
    for query, target in (("ランサムウェア", "株式会社テスト商事"), ("漏洩", "株式会社テスト商事"),
                          ("phishing", "Example Bank Ltd.")):
        rows = client.get("/search.json", params={"q": query}).json()["incidents"]
        assert [r["target"] for r in rows] == [target]
    html = client.get("/incidents", params={"q": "漏洩", "lang": "ja"}).text
    assert "株式会社テスト商事" in html and "Example Bank" not in html


def test_bad_input_is_a_clear_400(client):
    for url in ("/incidents.json?period=2022-13", "/incidents.json?q=%E3%80%81",
                "/reports/notaperiod.json"):
        response = client.get(url)
        assert response.status_code == 400 and response.json()["error"]
    assert client.get("/incidents/999").status_code == 404
    assert client.get("/incidents/999.json").json()["error"] == "no incident 999"


def test_filtered_list_downloads_as_csv(client):
    response = client.get("/incidents.csv?country=JP")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert sorted(r["target"] for r in rows) == ["<b>悪意</b>株式会社", "株式会社テスト商事"]
    assert rows[0]["country"] == '["JP"]'


def test_document_text_is_escaped_and_evidence_highlighted(client):
    html = client.get("/incidents/3").text
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert "&lt;b&gt;悪意&lt;/b&gt;株式会社" in html
    detail = client.get("/incidents/1").text
    assert '<mark class="evidence" title="attack_type" data-field="attack_type">ランサムウェア</mark>' \
        in detail
    data = client.get("/incidents/1.json").json()
    marked = [s for s in data["reports"][0]["segments"] if s["field"]]
    assert {s["field"]: s["text"] for s in marked} == {"organization": "株式会社テスト商事",
                                                       "attack_type": "ランサムウェア"}


def test_anonymous_visitors_see_only_published_incidents(client, web_store):
    with web_store.session() as s:
        s.scalar(select(Incident).where(Incident.organization == "Example Bank Ltd.")) \
            .published = False
    listed = [r["target"] for r in client.get("/incidents.json").json()["incidents"]]
    assert "Example Bank Ltd." not in listed
    hidden_id = 2
    assert client.get(f"/incidents/{hidden_id}").status_code == 404
    rows = client.get("/incidents.json?q=phishing").json()["incidents"]
    assert rows == []
    assert login(client, "ed").status_code == 303
    assert client.get(f"/incidents/{hidden_id}.json").json()["incident"]["published"] is False
    assert client.get("/incidents.json?q=phishing").json()["total"] == 1


def test_login_sets_a_signed_httponly_lax_cookie_and_logout_clears_it(client):
    response = login(client, "ed")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert "ed (editor)" in client.get("/incidents").text
    client.post("/logout", data={"csrf": csrf_of(client, "/incidents")})
    assert "ed (editor)" not in client.get("/incidents").text


def test_cookie_is_secure_over_https(web_store):
    with TestClient(create_app(web_store, secret="s" * 40), base_url="https://testserver") as c:
        assert "secure" in c.get("/login").headers["set-cookie"].lower()


def test_forms_need_the_sessions_csrf_token(client):
    assert client.post("/login", data={"username": "ed", "password": "x"}).status_code == 403
    assert client.post("/login", data={"username": "ed", "password": "x",
                                       "csrf": "forged"}).status_code == 403
    login(client, "ed")
    response = client.post("/incidents/1/field", data={"field": "motivation", "value": "hacktivism",
                                                       "csrf": "forged"})
    assert response.status_code == 403


def test_a_tampered_session_cookie_is_ignored(client):
    login(client, "ed")
    value = client.cookies.get("cyberline_session")
    client.cookies.set("cyberline_session", value[:-3] + "abc")
    assert "ed (editor)" not in client.get("/incidents").text


def test_wrong_password_and_rate_limit(client):
    assert login(client, "ed", "wrong password!").status_code == 401
    assert login(client, "nobody", "wrong password!").status_code == 401
    for _ in range(4):
        login(client, "ed", "wrong password!")
    # Five failures for (this IP, ed): even the right password is refused for now.
    assert login(client, "ed").status_code == 429
    assert login(client, "vi").status_code == 303  # another user name is not blocked


def test_roles_guard_curation(client):
    data = {"field": "motivation", "value": "hacktivism"}
    data["csrf"] = csrf_of(client)
    assert client.post("/incidents/1/field", data=data).status_code == 401
    login(client, "vi")
    data["csrf"] = csrf_of(client, "/incidents")
    assert client.post("/incidents/1/field", data=data).status_code == 403
    assert client.get("/review.json").status_code == 403
    assert "Review queue" not in client.get("/incidents").text


def test_review_queue_page_for_editors(client):
    login(client, "ed")
    assert client.get("/review.json").json() == {"items": []}
    assert client.get("/review").status_code == 200


@pytest.mark.postgres
def test_pages_on_postgresql(postgres_url):
    store = Store.open(postgres_url)
    seed(store)
    with TestClient(create_app(store, secret="p" * 40)) as c:
        assert c.get("/incidents.json").json()["total"] == 3
        assert [r["target"] for r in c.get("/search.json?q=漏洩").json()["incidents"]] == \
            ["株式会社テスト商事"]
        assert c.get("/search.json?q=ランサムウェア").json()["total"] == 1
        assert c.get("/incidents/1").status_code == 200
        assert c.get("/reports/2022-08.json").json()["total"] == 2
        assert c.get("/incidents.csv?attack_type=phishing").text.count("\n") == 2
    store.close()


def test_the_classifiers_answers_are_highlighted_as_such(client, web_store):
    from cyberline.extract import extract_report
    from tests.web.data import add

    text = "Publishing error exposed the records of 3,000 members of a credit union in Ohio."
    report = extract_report(text, id="model-evidence")
    assert report.to_json()["evidence_source"].get("attack_type") == "model"
    add(web_store, "model-evidence", text, report, title="Credit union publishing error")
    with web_store.session() as s:
        incident_id = s.scalar(select(Incident.id).order_by(Incident.id.desc()))
    html = client.get(f"/incidents/{incident_id}").text
    assert "(the classifier&#39;s answer: the words that decided it)" in html
    data = client.get(f"/incidents/{incident_id}.json").json()
    marked = [seg for seg in data["reports"][0]["segments"] if seg["by_model"]]
    assert marked and all(seg["text"] in text for seg in marked)
    assert any("attack_type" in seg["fields"] for seg in marked)
