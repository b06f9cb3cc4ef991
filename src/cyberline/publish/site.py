"""The static blog: one post per fortnight and month, one page per incident, index, archive,
pages per attack type / country / target class, and Atom feeds; in Japanese and English.

Only published incidents appear. Pages link relatively, so the folder can be served from any
path; feed links are absolute when a base URL is given (Atom readers need that).
"""

from __future__ import annotations

import logging
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cyberline.analyze import Period, parse_period, period_report
from cyberline.analyze.describe import label
from cyberline.analyze.stats import incident_row
from cyberline.publish.atom import Entry, stable_id, write_feed
from cyberline.store import Store
from cyberline.store.schema import Incident
from cyberline.web.app import WEB_DIR, safe_url
from cyberline.web.charts import bar_chart
from cyberline.web.i18n import LANGS, translator
from cyberline.web.queries import incident_detail

log = logging.getLogger(__name__)
CHART_KEYS = ("by_attack_type", "by_motivation", "by_target_class", "by_country")
# Section of the site -> (incident column / "country", URL folder).
SECTIONS = {"attack_type": "attack-type", "country": "country", "target_class": "target-class"}
FEED_LIMIT = 100


@dataclass
class BuildResult:
    out: Path
    pages: int = 0
    feeds: int = 0
    posts: list[str] = field(default_factory=list)
    incidents: int = 0


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(WEB_DIR / "templates" / "site")),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals["label"] = label
    env.filters["safe_url"] = safe_url
    return env


def _periods(session: Session) -> list[Period]:
    """Every fortnight and month with a published incident, oldest first."""
    days = session.scalars(select(Incident.disclosure_date).where(
        Incident.published.is_(True), Incident.disclosure_date.is_not(None)).distinct())
    keys: set[str] = set()
    for day in days:
        keys.add(day.strftime("%Y-%m"))
        keys.add(day.strftime("%Y-%m") + ("a" if day.day <= 15 else "b"))
    return sorted((parse_period(k) for k in keys), key=lambda p: (p.start, p.kind == "month"))


def post_key(period: Period) -> str:
    if period.kind == "month":
        return period.start.strftime("%Y-%m")
    return period.start.strftime("%Y-%m") + ("a" if period.start.day == 1 else "b")


def _updated(session: Session, period: Period) -> datetime:
    value = session.scalar(select(func.max(Incident.updated_at)).where(
        Incident.published.is_(True),
        Incident.disclosure_date.between(period.start, period.end)))
    return value or datetime.now(timezone.utc)


class SiteWriter:
    def __init__(self, out: Path, base_url: str | None):
        self.out = out
        self.base_url = (base_url.rstrip("/") + "/") if base_url else ""
        self.env = _env()
        self.result = BuildResult(out)

    def page(self, rel: str, template: str, lang: str, **context: Any) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        root = "../" * rel.count("/")
        html = self.env.get_template(template).render(
            root=root, lang=lang, t=translator(lang), other="ja" if lang == "en" else "en",
            rel=rel.split("/", 1)[1] if "/" in rel else rel, **context)
        path.write_text(html, encoding="utf-8")
        self.result.pages += 1

    def url(self, rel: str) -> str:
        return self.base_url + rel

    def feed(self, rel: str, **kwargs: Any) -> None:
        write_feed(self.out / rel, self_link=self.url(rel), **kwargs)
        self.result.feeds += 1


def _summary(row: dict[str, Any], lang: str) -> str:
    return (row.get("description_ja") if lang == "ja" else row.get("description_en")) or \
        (row.get("target") or "")


def _incident_entry(site: SiteWriter, incident: Incident, lang: str) -> Entry:
    row = incident_row(incident)
    title = f"{row['date_reported'] or ''} {row['target'] or translator(lang)('not_named')}"
    return Entry(id=stable_id(f"incident:{lang}", str(incident.id)), title=title.strip(),
                 link=site.url(f"{lang}/incidents/{incident.id}.html"),
                 updated=incident.updated_at, summary=_summary(row, lang),
                 published=incident.created_at)


def build_site(store: Store, out: Path, langs: tuple[str, ...] = LANGS,
               base_url: str | None = None) -> BuildResult:
    out = Path(out)
    site = SiteWriter(out, base_url)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(WEB_DIR / "static" / "style.css", out / "style.css")
    with store.session() as session:
        periods = _periods(session)
        reports = {post_key(p): (p, period_report(session, p), _updated(session, p))
                   for p in periods}
        incidents = session.scalars(select(Incident).where(Incident.published.is_(True))
                                    .order_by(Incident.disclosure_date.desc().nulls_last(),
                                              Incident.id.desc())).all()
        details = {i.id: incident_detail(session, i) for i in incidents}
        countries = {i.id: list(dict.fromkeys(i.countries or [])) for i in incidents}
    site.result.incidents = len(incidents)
    site.result.posts = list(reports)
    for lang in langs:
        _build_lang(site, lang, reports, incidents, details, countries)
    if len(langs) > 1:
        site.page("index.html", "root.html", langs[0], langs=langs)
    return site.result


def _build_lang(site: SiteWriter, lang: str, reports, incidents, details, countries) -> None:
    t = translator(lang)
    posts = []
    # Newest first: by end date, a month before the fortnight that ends with it.
    for key, (period, data, updated) in sorted(
            reports.items(), key=lambda kv: (kv[1][0].end, kv[1][0].kind == "month"),
            reverse=True):
        charts = [bar_chart(t(k.removeprefix("by_")), data[k],
                            {v: label(k.removeprefix("by_"), v, lang) for v in data[k]})
                  for k in CHART_KEYS if data[k]]
        title = f"{t('reports')} {period.label()} ({period.kind})"
        site.page(f"{lang}/posts/{key}.html", "post.html", lang, data=data, charts=charts,
                  title=title)
        posts.append({"key": key, "title": title, "period": period, "total": data["total"],
                      "updated": updated})
    rows = [incident_row(i) for i in incidents]
    site.page(f"{lang}/index.html", "index.html", lang, posts=posts[:10], incidents=rows[:30],
              sections=_section_values(incidents, countries))
    site.page(f"{lang}/archive.html", "archive.html", lang, posts=posts)
    for incident in incidents:
        site.page(f"{lang}/incidents/{incident.id}.html", "incident.html", lang,
                  data=details[incident.id])
    groups = _groups(incidents, countries)
    for section, folder in SECTIONS.items():
        for value, members in groups[section].items():
            site.page(f"{lang}/{folder}/{value}.html", "section.html", lang,
                      title=f"{t(section)}: {label(section, value, lang)}",
                      incidents=[incident_row(i) for i in members])
    _feeds(site, lang, posts, incidents, groups)


def _groups(incidents, countries) -> dict[str, dict[str, list[Incident]]]:
    groups: dict[str, dict[str, list[Incident]]] = {s: defaultdict(list) for s in SECTIONS}
    for incident in incidents:
        groups["attack_type"][incident.attack_type].append(incident)
        groups["target_class"][incident.target_class].append(incident)
        for country in countries[incident.id]:
            groups["country"][country].append(incident)
    return groups


def _section_values(incidents, countries) -> dict[str, list[str]]:
    groups = _groups(incidents, countries)
    return {section: sorted(groups[section]) for section in SECTIONS}


def _feeds(site: SiteWriter, lang: str, posts, incidents, groups) -> None:
    t = translator(lang)
    site.feed(f"{lang}/feeds/posts.atom", feed_id=stable_id(f"feed:{lang}", "posts"),
              title=f"{t('site_title')}: {t('reports')}", alt_link=site.url(f"{lang}/archive.html"),
              lang=lang, entries=[
                  Entry(id=stable_id(f"post:{lang}", p["key"]), title=p["title"],
                        link=site.url(f"{lang}/posts/{p['key']}.html"), updated=p["updated"],
                        summary=f"{p['total']} {t('total')}") for p in posts])
    site.feed(f"{lang}/feeds/incidents.atom", feed_id=stable_id(f"feed:{lang}", "incidents"),
              title=f"{t('site_title')}: {t('incidents')}", alt_link=site.url(f"{lang}/index.html"),
              lang=lang, entries=[_incident_entry(site, i, lang) for i in incidents[:FEED_LIMIT]])
    for section in ("country", "attack_type"):
        folder = SECTIONS[section]
        for value, members in groups[section].items():
            site.feed(f"{lang}/feeds/{folder}/{value}.atom",
                      feed_id=stable_id(f"feed:{lang}:{section}", value),
                      title=f"{t('site_title')}: {t(section)} {label(section, value, lang)}",
                      alt_link=site.url(f"{lang}/{folder}/{value}.html"), lang=lang,
                      entries=[_incident_entry(site, i, lang) for i in members[:FEED_LIMIT]])
