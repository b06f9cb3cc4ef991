"""Incidents for the web and publishing tests, stored the way the pipeline stores them."""

from __future__ import annotations

from cyberline.link import link_pending
from cyberline.model import IncidentDate, Report, SourceDocument
from cyberline.store import Store
from cyberline.store.records import save_document, save_report
from cyberline.store.search import index_document

RANSOM_TEXT = ("株式会社テスト商事は、2022年7月28日にランサムウェアによる攻撃を受け、"
               "サーバーの一部が暗号化されたことをお知らせします。個人情報漏洩の可能性を調査中です。")
PHISH_TEXT = ("Example Bank Ltd. disclosed a phishing campaign on 2022-08-03 that exposed "
              "login credentials of 1,200 customers.")
XSS_TEXT = "悪意ある投稿 <script>alert('x')</script> を含む通知。不正アクセスがありました。"


def _evidence(text: str, fragment: str) -> list[int]:
    start = text.index(fragment)
    return [start, start + len(fragment)]


def add(store: Store, key: str, text: str, report: Report, title: str | None = None) -> int:
    """Store one document with its report, link it, index it; returns the document id."""
    with store.session() as s:
        doc, _ = save_document(s, SourceDocument(
            url=f"https://example.invalid/{key}", raw=text.encode("utf-8"), text=text,
            title=title or key, language=report.language))
        save_report(s, doc, report, provenance="test")
        link_pending(s)
        index_document(s, doc.id)
        return doc.id


def seed(store: Store) -> None:
    add(store, "ransom", RANSOM_TEXT, Report(
        id="r1", language="ja", kind="incident_notice", organization="株式会社テスト商事",
        disclosure_date="2022-07-29", attack_type="ransomware", motivation="cybercrime",
        target_class="C", country=["JP"], affected_persons=300,
        incident_dates=[IncidentDate("2022-07-28", "occurred")],
        evidence={"attack_type": _evidence(RANSOM_TEXT, "ランサムウェア"),
                  "organization": _evidence(RANSOM_TEXT, "株式会社テスト商事")}),
        title="ランサムウェア被害に関するお知らせ")
    add(store, "phish", PHISH_TEXT, Report(
        id="r2", language="en", kind="incident_news", organization="Example Bank Ltd.",
        disclosure_date="2022-08-03", attack_type="phishing", motivation="cybercrime",
        target_class="K", country=["US"], affected_persons=1200,
        data_categories=["login_credentials"],
        evidence={"attack_type": _evidence(PHISH_TEXT, "phishing")}),
        title="Example Bank phishing")
    add(store, "xss", XSS_TEXT, Report(
        id="r3", language="ja", kind="incident_notice", organization="<b>悪意</b>株式会社",
        disclosure_date="2022-08-10", attack_type="unauthorized_access", target_class="J",
        country=["JP"], evidence={"attack_type": _evidence(XSS_TEXT, "不正アクセス")}),
        title="<script>alert(1)</script>")
