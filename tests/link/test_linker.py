"""Linking in the store (SQLite and PostgreSQL): blocking, auto-merge, review queue, aliases,
precedence with conflicts, person-set fields."""

from sqlalchemy import func, select

from cyberline.curate import set_field
from cyberline.link import link_pending
from cyberline.store.schema import Incident, IncidentReport, LinkKey, OrgAlias, ReviewItem
from tests.link.helpers import report, store_report


def _incidents(store):
    with store.session() as s:
        return s.scalars(select(Incident).order_by(Incident.id)).all()


def test_follow_up_merges_and_other_org_stays_apart(store):
    store_report(store, report("株式会社テスト", "2022-08-01", affected_persons=10))
    store_report(store, report("(株)テスト", "2022-08-05", is_followup_report=True,
                               affected_persons=12))
    store_report(store, report("別会社", "2022-08-03"))
    incidents = _incidents(store)
    assert len(incidents) == 2
    merged = next(i for i in incidents if i.org_key == "テスト")
    assert merged.affected_persons == 12  # the later official notice wins
    alts = merged.provenance["affected_persons"]["alternatives"]
    assert alts and alts[0]["value"] == 10  # the conflicting earlier value is kept
    with store.session() as s:
        links = s.scalars(select(IncidentReport).where(IncidentReport.incident_id == merged.id)).all()
        auto = next(l for l in links if l.method == "auto")
        assert "follow-up" in auto.reason and auto.score >= 0.8


def test_same_org_much_later_is_a_new_incident(store):
    store_report(store, report("株式会社テスト", "2020-01-10"))
    store_report(store, report("株式会社テスト", "2022-08-01"))
    assert len(_incidents(store)) == 2


def test_unsure_pair_goes_to_review_queue(store):
    # Same organisation and attack type a month apart, no follow-up marker: unsure.
    store_report(store, report("株式会社テスト", "2022-08-01"))
    rid = store_report(store, report("株式会社テスト", "2022-08-20"))
    assert len(_incidents(store)) == 2
    with store.session() as s:
        item = s.scalar(select(ReviewItem))
        assert item.report_id == rid and item.status == "open" and 0.55 <= item.score < 0.8


def test_news_and_notice_across_languages_meet_through_count_and_alias(store):
    store_report(store, report("株式会社大都", "2022-08-01", affected_persons=12345,
                               incident_dates=[{"date": "2022-07-28", "role": "discovered"}]))
    store_report(store, report("DAITO Co., Ltd.", "2022-08-03", kind="incident_news",
                               affected_persons=12345, language="en",
                               incident_dates=[{"date": "2022-07-28", "role": "discovered"}]))
    assert len(_incidents(store)) == 1
    with store.session() as s:
        aliases = set(s.execute(select(OrgAlias.key, OrgAlias.alias)).all())
    assert ("daito", "大都") in aliases and ("大都", "daito") in aliases
    # A later English follow-up without a count now blocks on the alias.
    store_report(store, report("Daito", "2022-08-20", kind="incident_news",
                               is_followup_report=True))
    incidents = _incidents(store)
    assert len(incidents) == 1
    assert incidents[0].organization == "株式会社大都"  # notices outrank news


def test_person_value_survives_relinking(store):
    store_report(store, report("株式会社テスト", "2022-08-01", affected_persons=10))
    with store.session() as s:
        incident_id = s.scalar(select(Incident.id))
        set_field(s, incident_id, "affected_persons", "99", "alice")
    store_report(store, report("株式会社テスト", "2022-08-03", is_followup_report=True,
                               affected_persons=12))
    with store.session() as s:
        incident = s.get(Incident, incident_id)
        assert incident.affected_persons == 99
        assert incident.provenance["affected_persons"]["user"] == "alice"
        assert {a["value"] for a in incident.provenance["affected_persons"]["alternatives"]} \
            == {10, 12}


def test_batch_links_reports_of_one_batch_together_and_indexes_keys(store):
    for day, follow in (("2022-08-01", False), ("2022-08-04", True), ("2022-08-09", True)):
        store_report(store, report("株式会社ほげ", day, is_followup_report=follow), link=False)
    with store.session() as s:
        assert link_pending(s) == 3
        assert s.scalar(select(func.count()).select_from(Incident)) == 1
        keys = set(s.scalars(select(LinkKey.key)))
        assert "o:ほげ" in keys
        assert link_pending(s) == 0


def test_report_without_organization_starts_its_own_incident(store):
    store_report(store, report(None, "2022-08-01"))
    store_report(store, report(None, "2022-08-01", is_followup_report=True))
    assert len(_incidents(store)) == 2


def test_bulk_written_incidents_keep_provenance_countries_and_reasons(store):
    """New incidents are written with Core inserts and existing ones updated with executemany:
    timestamps, provenance, countries, keys and the reason of every link are all stored."""
    from cyberline.store.schema import IncidentCountry
    first = store_report(store, report("株式会社ぴよ", "2022-08-01", affected_persons=1200,
                                       country=["JP"]))
    store_report(store, report("Acme Corp", "2022-08-01", country=["US"]))
    with store.session() as s:
        before = s.scalar(select(Incident).where(Incident.org_key == "ぴよ"))
        assert before.created_at and before.updated_at and before.published
        assert before.provenance["organization"] == {"report_id": first}
        assert before.description_ja and before.description_en
        created, updated = before.created_at, before.updated_at
    second = store_report(store, report("(株)ぴよ", "2022-08-05", affected_persons=1200,
                                        is_followup_report=True, country=["JP", "US"]))
    with store.session() as s:
        incident = s.scalar(select(Incident).where(Incident.org_key == "ぴよ"))
        assert incident.created_at == created and incident.updated_at >= updated
        assert incident.countries == ["JP", "US"]
        assert set(s.scalars(select(IncidentCountry.country)
                             .where(IncidentCountry.incident_id == incident.id))) == {"JP", "US"}
        assert incident.provenance["countries"]["report_id"] == second
        links = {link.report_id: link for link in s.scalars(
            select(IncidentReport).where(IncidentReport.incident_id == incident.id))}
        assert links[first].method == "new" and "no candidate" in links[first].reason
        assert links[second].method == "auto" and "same organisation key" in links[second].reason
        assert links[second].linked_at is not None
        assert {k.disclosure_date for k in s.scalars(
            select(LinkKey).where(LinkKey.incident_id == incident.id))} == {incident.disclosure_date}
