"""extract_report: text -> Report.  Each step is one small module; this file only wires them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from cyberline.model import Amount, IncidentDate, Report

from . import attack, categories, counts, kind, sector
from .authorities import find_authorities
from .classify_fields import decide, model_evidence, reads_as_incident
from .dates_en import assign_roles_en, find_dates_en
from .dates_ja import find_dates
from .disclosure import header_date, to_date, url_date, url_year_end
from .incident_dates import assign_roles
from .language import detect_language
from .normalize import normalize
from .organization import find_organization, find_organization_en

EXTRACTOR_VERSION = "0.2.0"


@dataclass
class ExtractedReport(Report):
    """A Report plus ``evidence_source``: where each non-null field came from — "text" (its
    evidence span points into the text), "title", "published", "url" (metadata, no span),
    "model" (the trained classifier's answer, no span), or "derived" (inferred from other
    fields, e.g. target_class from the organisation, country "JP" from the language).  An
    extra key in the JSON, after the contract's keys."""

    evidence_source: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        out = super().to_json()
        out["evidence_source"] = dict(self.evidence_source)
        return out
_LEAK = re.compile(r"漏え|漏洩|流出|紛失")
_POST_HEAD = re.compile(r"^[ \t]*【([^】\n]{2,6})[^】\n]*】", re.M)
MAX_CHARS = 200_000  # longer documents: only the head is read (notices put the facts first)


def first_post(t: str) -> str:
    """Blog index pages carry several reposted notices, each opening with the same bracketed
    header (【セキュリティ事件簿#…】): only the first is this document's notice."""
    heads = list(_POST_HEAD.finditer(t[:20000]))
    if len(heads) >= 2:
        first = heads[0].group(1)
        for m in heads[1:]:
            if m.group(1) == first and m.start() > heads[0].end() + 200:
                return t[:m.start()]
    return t


def extract_report(text: str, *, id: str, title: str | None = None, url: str | None = None,
                   published: date | datetime | str | None = None) -> Report:
    try:
        return _extract(text, id=id, title=title, url=url, published=published)
    except Exception:  # the contract: never raise on any input
        return ExtractedReport(id=str(id), language=detect_language(text if isinstance(text, str) else ""),
                               extractor_version=EXTRACTOR_VERSION)


def _extract(text, *, id, title, url, published) -> Report:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    title = title if isinstance(title, str) else None
    text = text[:MAX_CHARS]
    norm = normalize(text)
    t = first_post(norm.text)
    ntitle = normalize(title).text if title else ""
    titled = ntitle + "\n" + t  # what the language, the classifier and the word tests read
    language = detect_language(titled)
    rep = ExtractedReport(id=str(id), language=language, extractor_version=EXTRACTOR_VERSION)
    ev, conf = rep.evidence, rep.confidence
    is_ja = language == "ja"

    # kind and follow-up
    rep.kind, conf["kind"] = kind.detect_kind(t, ntitle)
    rep.is_followup_report, span = kind.is_followup(t, ntitle)
    conf["is_followup_report"] = 0.8 if span or not rep.is_followup_report else 0.6
    if span:
        ev["is_followup_report"] = norm.span(*span)

    # disclosure date
    pub = to_date(published)
    disclosure, dspan, skip = None, None, []
    find = find_dates if is_ja else (lambda s, ref=None: find_dates_en(s))
    title_dates = find(ntitle) if ntitle else []
    head = header_date(t, language, url_date(url) or url_year_end(url))
    dsource = None
    if title_dates:
        disclosure, conf["disclosure_date"], dsource = title_dates[0].date, 0.9, "title"
        # the title often stands at the top of the text too: point there
        found = [d for d in find(t[:3000]) if d.date == disclosure] if is_ja else \
            [d for d in find_dates_en(t[:3000]) if d.date == disclosure]
        if found:
            dspan, dsource = (found[0].start, found[0].end), "text"
    elif head:
        disclosure, dspan, conf["disclosure_date"], dsource = head.date, (head.start, head.end), 0.85, "text"
    elif pub:
        disclosure, conf["disclosure_date"], dsource = pub, 0.5, "published"
    elif (u := url_date(url)):
        disclosure, conf["disclosure_date"], dsource = u, 0.3, "url"
    if head:
        skip.append((head.start, head.end))
    if disclosure:
        rep.disclosure_date = disclosure.isoformat()
        rep.evidence_source["disclosure_date"] = dsource
        if dspan:
            ev["disclosure_date"] = norm.span(*dspan)

    # incident dates
    ref = disclosure or pub
    if is_ja:
        mentions = find_dates(t, ref or url_year_end(url), relative=True)
        roles = assign_roles(t, mentions, skip_spans=skip, disclosure=ref)
    else:
        mentions = find_dates_en(t)
        roles = assign_roles_en(t, mentions, skip_spans=skip, disclosure=ref)
    rep.incident_dates = [IncidentDate(d.isoformat(), r) for d, r, _s, _e in roles]
    if roles:
        ev["incident_dates"] = norm.span(min(r[2] for r in roles), max(r[3] for r in roles))
        conf["incident_dates"] = 0.6

    # organisation
    finder = find_organization if is_ja else find_organization_en
    org, ospan, oconf, _from_title = finder(t, ntitle or None)
    if org:
        # exactly as written: take the original characters when the name came from the text
        rep.organization = text[slice(*norm.span(*ospan))] if ospan else org
        if ospan:
            ev["organization"] = norm.span(*ospan)
            rep.evidence_source["organization"] = "text"
        else:
            rep.evidence_source["organization"] = "title"
            oconf = min(oconf, 0.5)
    conf["organization"] = oconf

    # attack type, cause, motivation, sector (final decision in classify_fields)
    scores = attack.score_attack(t, ntitle, language=language)
    rule_attack, attack_conf = scores.best()
    tclass, tconf = sector.target_class(rep.organization, t)
    rule_motive = attack.motivation(rule_attack, t)
    by_rules = {"attack_type": (rule_attack, attack_conf),
                "motivation": (rule_motive, 0.6 if rule_motive != "unknown" else 0.2),
                "target_class": (tclass, tconf)}
    decided = decide(by_rules, titled, language)
    rep.attack_type, conf["attack_type"] = decided["attack_type"]
    rep.motivation, conf["motivation"] = decided["motivation"]
    rep.target_class, conf["target_class"] = decided["target_class"]
    if rep.attack_type in scores.spans:
        ev["attack_type"] = norm.span(*scores.spans[rep.attack_type])
    elif rep.attack_type in scores.scores and ntitle:
        rep.evidence_source["attack_type"] = "title"
    by_model = {fld: value[0] for fld, value in decided.items()
                if value[0] != by_rules[fld][0] and fld not in ev and fld not in rep.evidence_source}
    if by_model:
        # the classifier overrode the rules: its evidence is the word that most made it answer
        rep.evidence_source.update(dict.fromkeys(by_model, "model"))
        for fld, span in model_evidence(t, titled, language, by_model).items():
            ev[fld] = norm.span(*span)
    if rep.attack_type == "unknown" and rep.kind == "incident_notice" and is_ja and _LEAK.search(t):
        # a leak with no technique named: mishandling (JNSA 管理ミス)
        rep.attack_type, conf["attack_type"], rep.motivation = "other", 0.3, "accident"
        for fld in ("attack_type", "motivation"):
            rep.evidence_source.pop(fld, None)  # now derived from the leak wording
    if (rep.kind == "other" and not is_ja
            and reads_as_incident(len(t), decided["attack_type"], (rule_attack, attack_conf),
                                  titled)):
        # A short English text the model reads as an attack (a longer one: that the model is
        # sure of) is an incident description (a timeline row, a breach-database summary, a
        # news story) even without notice vocabulary (classify_fields.reads_as_incident).
        rep.kind, conf["kind"] = "incident_news", conf["attack_type"]
    if (rep.kind.startswith("incident") and not is_ja
            and not kind.names_enough_digital(titled, len(t))):
        # an English text that hardly names a computer, data or an account: general news (a
        # terrorist attack, a stolen car, a court case), not a cyber incident
        rep.kind, conf["kind"] = "other", 0.6
    if rep.kind in ("event", "other") and attack_conf < 0.5:
        rep.attack_type, rep.motivation = "unknown", "unknown"
    if rep.attack_type != "unknown":
        rep.cause_category_jnsa = attack.jnsa_cause(rep.attack_type, t)
        conf["cause_category_jnsa"] = conf["attack_type"] * 0.9
    elif rep.kind in ("incident_notice", "incident_news"):
        rep.cause_category_jnsa, conf["cause_category_jnsa"] = "その他", 0.2  # an incident of no stated kind
    if "attack_type" in ev:
        ev["cause_category_jnsa"] = list(ev["attack_type"])
        if rep.evidence_source.get("attack_type") == "model":
            rep.evidence_source["cause_category_jnsa"] = "model"  # it follows the model's attack type
    rep.country, cspan = sector.find_country(language, t)
    if cspan:
        ev["country"] = norm.span(*cspan)
    conf["country"] = 0.9 if is_ja else (0.5 if rep.country else 0.1)

    if rep.kind in ("event", "other"):
        # not an incident: keep the descriptive fields, drop incident facts
        rep.incident_dates, rep.cause_category_jnsa = [], None
        for k in ("incident_dates", "attack_type"):
            ev.pop(k, None)
        return _finish(rep)

    # counts, money, data, authorities
    if is_ja:
        persons, orgs = counts.affected_persons_ja(t), counts.affected_orgs_ja(t)
    else:
        persons, orgs = counts.affected_persons_en(t), counts.affected_orgs_en(t)
    if persons:
        rep.affected_persons = persons.value
        ev["affected_persons"] = norm.span(persons.start, persons.end)
        conf["affected_persons"] = min(0.9, persons.score / 7)
    if orgs:
        rep.affected_orgs = orgs.value
        ev["affected_orgs"] = norm.span(orgs.start, orgs.end)
        conf["affected_orgs"] = 0.6
    money = counts.amount_lost(t)
    if money:
        amount, currency, s, e = money
        rep.amount_lost = Amount(amount, currency, text[slice(*norm.span(s, e))])
        ev["amount_lost"] = norm.span(s, e)
        conf["amount_lost"] = 0.6
    cats, cspan = categories.find_categories(t)
    rep.data_categories = cats
    if cspan:
        ev["data_categories"] = norm.span(*cspan)
    conf["data_categories"] = 0.6
    auth, aspan, _where = find_authorities(t)
    rep.reported_to = auth
    if aspan:
        ev["reported_to"] = norm.span(*aspan)
    conf["reported_to"] = 0.7
    return _finish(rep)


_DERIVED = ("language", "kind", "motivation", "target_class", "country", "cause_category_jnsa", "attack_type")


def _finish(rep: ExtractedReport) -> ExtractedReport:
    """Every non-null field says where it came from; fields that are read off other fields
    (target_class from the organisation, country from the language) are "derived", and a
    value with neither a span nor a source keeps a low confidence."""
    src, ev, conf = rep.evidence_source, rep.evidence, rep.confidence
    for key in [k for k in (*src, *ev) if getattr(rep, k, None) in (None, [], "unknown", "Z")]:
        # a value decided and later dropped (not an incident) has no source and no evidence
        src.pop(key, None)
        ev.pop(key, None)
    for key in ev:
        src.setdefault(key, "text")
    for key in ("organization", "disclosure_date", "incident_dates", "attack_type", "cause_category_jnsa",
                "motivation", "target_class", "country", "affected_persons", "affected_orgs",
                "data_categories", "amount_lost", "reported_to", "language", "kind"):
        value = getattr(rep, key)
        if value in (None, [], "unknown", "Z") or key in src:
            continue
        src[key] = "derived" if key in _DERIVED else "text"
        if key in ("attack_type", "cause_category_jnsa") and key not in ev:
            conf[key] = min(conf.get(key, 0.3), 0.5)
    if rep.is_followup_report and "is_followup_report" not in ev:
        src["is_followup_report"] = "title"
    return rep
