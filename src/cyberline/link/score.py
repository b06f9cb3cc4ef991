"""The linking decision: how sure are we that two reports describe one incident, and why.

A transparent sum of points (weights in rules.toml), each with a reason a person can read in
`cyberline incidents show`. Blocking (cyberline.link.blocking) decides which pairs get scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cyberline.link.orgkey import name_similarity
from cyberline.link.record import LinkRecord, cosine
from cyberline.link.rules import compatible, rules


@dataclass
class Decision:
    score: float
    reasons: list[str]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def score_pair(new: LinkRecord, old: LinkRecord, aliases: frozenset[str] = frozenset()) -> Decision:
    """Score ``new`` against ``old`` (a member of a candidate incident). ``aliases``: organisation
    keys known to name the same organisation as ``new``."""
    w, lim = rules()["weights"], rules()["limits"]
    score, why = 0.0, []

    def add(points: float, reason: str) -> None:
        nonlocal score
        score += points
        why.append(f"{reason} ({points:+.2f})")

    # Organisation.
    if new.org_key and new.org_key == old.org_key:
        add(w["same_org"], f"same organisation key {new.org_key!r}")
    elif new.org_key and old.org_key in aliases:
        add(w["alias_org"], f"known alias {new.org_key!r} = {old.org_key!r}")
    elif new.org_key and old.org_key and new.org_key.isascii() != old.org_key.isascii():
        why.append("names in different scripts: not comparable until linked as aliases (+0.00)")
    elif new.org_key and old.org_key:
        sim = name_similarity(new.org_key, old.org_key)
        if sim >= lim["similar_org_at"]:
            add(w["similar_org"], f"similar organisation names ({sim:.2f})")
        else:
            add(w["dissimilar_org"], f"different organisations {new.org_key!r} / {old.org_key!r}")
    # Follow-up markers and shared facts.
    if new.is_followup and (not old.disclosure_date or not new.disclosure_date
                            or new.disclosure_date >= old.disclosure_date):
        add(w["followup"], "follow-up report (第N報/続報/update)")
    shared = new.incident_dates & old.incident_dates
    if shared:
        add(w["shared_date"], f"shared incident date {min(shared)}")
    if new.affected_persons and old.affected_persons:
        a, b = new.affected_persons, old.affected_persons
        ratio = abs(a - b) / max(a, b)
        if a == b:
            add(w["same_count"], f"same count {a}")
        elif ratio <= lim["close_count_ratio"]:
            add(w["close_count"], f"close counts {a} / {b}")
        elif ratio >= lim["different_count_ratio"]:
            add(w["different_count"], f"different counts {a} / {b}")
    # Attack type.
    if new.attack_type == old.attack_type and new.attack_type not in (None, "unknown", "other"):
        add(w["same_attack"], f"same attack type {new.attack_type}")
    elif not compatible(new.attack_type, old.attack_type):
        add(w["incompatible_attack"], f"incompatible attack types {new.attack_type} / "
                                      f"{old.attack_type}")
    # Time: the closest pair of dates (disclosure or incident dates) of the two reports.
    gap = _closest_days(new, old)
    if gap is not None and gap <= lim["close_days"]:
        add(w["close_disclosure"], f"dates {gap} days apart")
    if new.disclosure_date and old.disclosure_date:
        apart = abs((new.disclosure_date - old.disclosure_date).days)
        if apart > lim["far_days"]:
            add(w["far_disclosure"], f"disclosed {apart} days apart")
    # Text: only ever adds (a Japanese notice and English news share no n-grams), so it is
    # compared only where it can change the outcome (the costly part of scoring).
    th = rules()["thresholds"]
    if score >= th["auto"] or score + w["text_high"] < th["review"]:
        return Decision(round(max(0.0, min(1.0, score)), 3), why)
    sim = cosine(new.grams, old.grams)
    if sim >= lim["text_high_at"]:
        add(w["text_high"], f"similar texts (cosine {sim:.2f})")
    elif sim >= lim["text_mid_at"]:
        add(w["text_mid"], f"somewhat similar texts (cosine {sim:.2f})")
    # Rounded so that 0.1 + 0.7 counts as 0.8 (float sums must not decide a threshold).
    return Decision(round(max(0.0, min(1.0, score)), 3), why)


def _closest_days(a: LinkRecord, b: LinkRecord) -> int | None:
    days_a, days_b = _days(a), _days(b)
    if not days_a or not days_b:
        return None
    return min(abs((x - y).days) for x in days_a for y in days_b)


def _days(r: LinkRecord) -> list[date]:
    out = [r.disclosure_date] if r.disclosure_date else []
    for text in r.incident_dates:
        try:
            out.append(date.fromisoformat(text[:10]))
        except ValueError:
            continue  # a malformed stored date is simply not evidence
    return out


def best_match(new: LinkRecord, members: list[LinkRecord],
               aliases: frozenset[str] = frozenset()) -> tuple[Decision, LinkRecord | None]:
    """An incident's score is that of its closest member (a 第2報 resembles the 第1報)."""
    best, closest = Decision(0.0, ["no members"]), None
    for member in members:
        decision = score_pair(new, member, aliases)
        if closest is None or decision.score > best.score:
            best, closest = decision, member
    return best, closest
