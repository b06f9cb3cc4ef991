"""Reports -> incidents (first cut): block on the organisation key and a time window, then decide.

A report joins an existing incident of the same organisation when it is a follow-up (第2報, 続報),
or shares an incident date, or has a compatible attack type within a short window; otherwise it
starts a new incident. Every link records its method, score and reason.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cyberline.link.merge import apply_reports, sync_countries
from cyberline.store.schema import Incident, IncidentCountry, IncidentReport, Report

WINDOW = timedelta(days=120)
SHORT_WINDOW = timedelta(days=30)
COMPATIBLE_UNKNOWN = {"unknown", "other", None}


def _incident_dates(report: Report) -> set[str]:
    return {d["date"] for d in report.data.get("incident_dates") or [] if d.get("date")}


def score_pair(report: Report, incident: Incident, members: list[Report]) -> tuple[float, str]:
    """How sure we are that ``report`` describes ``incident`` (0..1), and why."""
    reasons: list[str] = []
    score = 0.5  # same organisation key within the window (the blocking condition)
    reasons.append(f"same organisation key {report.org_key!r}")
    if report.is_followup:
        score += 0.35
        reasons.append("the report is a follow-up (第N報/続報/update)")
    shared = _incident_dates(report) & set().union(*(_incident_dates(m) for m in members))
    if shared:
        score += 0.3
        reasons.append(f"shared incident date {sorted(shared)[0]}")
    types = {report.attack_type, incident.attack_type}
    if len(types - COMPATIBLE_UNKNOWN) <= 1:
        score += 0.1
        reasons.append("compatible attack type")
    else:
        score -= 0.3
        reasons.append(f"different attack types {sorted(t for t in types if t)}")
    if (report.disclosure_date and incident.disclosure_date
            and abs(report.disclosure_date - incident.disclosure_date) <= SHORT_WINDOW):
        score += 0.1
        reasons.append("disclosed within 30 days")
    return min(score, 1.0), "; ".join(reasons)


AUTO_MERGE = 0.85


def candidates(session: Session, report: Report) -> list[Incident]:
    if not report.org_key:
        return []
    query = select(Incident).where(Incident.org_key == report.org_key)
    if report.disclosure_date:
        query = query.where(
            (Incident.disclosure_date.is_(None))
            | Incident.disclosure_date.between(report.disclosure_date - WINDOW,
                                               report.disclosure_date + WINDOW))
    return list(session.scalars(query))


def refresh_incident(session: Session, incident: Incident) -> None:
    members = [link.report for link in incident.reports]
    apply_reports(incident, members)
    session.flush()
    session.execute(delete(IncidentCountry).where(IncidentCountry.incident_id == incident.id))
    session.add_all(sync_countries(incident))


def link_report(session: Session, report: Report) -> IncidentReport | None:
    """Attach a stored report to an incident (new or existing). Non-incidents are not linked."""
    if report.kind not in ("incident_notice", "incident_news"):
        return None
    if report.link is not None:
        return report.link
    best: tuple[float, str, Incident] | None = None
    for incident in candidates(session, report):
        members = [link.report for link in incident.reports]
        score, reason = score_pair(report, incident, members)
        if best is None or score > best[0]:
            best = (score, reason, incident)
    if best is not None and best[0] >= AUTO_MERGE:
        score, reason, incident = best
        link = IncidentReport(incident=incident, report=report, method="auto", score=score,
                              reason=reason)
    else:
        incident = Incident()
        session.add(incident)
        reason = "no earlier incident of this organisation" if best is None else \
            f"best candidate #{best[2].id} scored {best[0]:.2f} < {AUTO_MERGE} ({best[1]})"
        link = IncidentReport(incident=incident, report=report, method="new", score=None,
                              reason=reason)
    session.add(link)
    session.flush()
    refresh_incident(session, incident)
    return link


def link_pending(session: Session) -> int:
    """Link every current incident report that has no incident yet; returns how many."""
    pending = session.scalars(
        select(Report).outerjoin(IncidentReport, IncidentReport.report_id == Report.id)
        .where(Report.is_current.is_(True), IncidentReport.id.is_(None),
               Report.kind.in_(("incident_notice", "incident_news")))
        .order_by(Report.disclosure_date, Report.id)
    ).all()
    for report in pending:
        link_report(session, report)
    return len(pending)
