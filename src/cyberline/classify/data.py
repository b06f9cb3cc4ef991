"""The labelled English corpora shipped in ``datasets/``, read into one shape.

Each reader yields :class:`Item` objects: an id, the text, gold labels in *our* vocabularies
(mapped through the crosswalks in ``cyberline.taxonomy``), and the source's own values
(``native``) so that scoring can also be done in the source's coarser vocabulary.

The split is fixed and shared with the extractor: an item is HOLDOUT when
``sha1(str(id)).hexdigest()[0] in "01234"``, else TUNE. Training uses TUNE items only.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cyberline.taxonomy.crosswalk import countries, crosswalk, naics_to_target_class

# Where `datasets/` lives: the repository root (three levels above src/cyberline/classify).
REPO_ROOT = Path(__file__).resolve().parents[3]
DATASETS = REPO_ROOT / "datasets"
VCDB_PATH = DATASETS / "training" / "vcdb" / "incidents.jsonl.gz"
HHS_PATH = DATASETS / "training" / "hhs_ocr" / "breach_reports_2009_2019.csv.gz"
TIMELINE_PATH = DATASETS / "samples" / "hackmageddon_2020-01.csv"


def split_of(item_id: Any) -> str:
    """'holdout' or 'tune' (the project's fixed split)."""
    return "holdout" if hashlib.sha1(str(item_id).encode()).hexdigest()[0] in "01234" else "tune"


@dataclass
class Item:
    id: str
    text: str
    source: str
    labels: dict[str, Any] = field(default_factory=dict)  # our vocabularies; missing = unlabelled
    native: dict[str, Any] = field(default_factory=dict)  # the source's own values
    url: str | None = None

    @property
    def split(self) -> str:
        return split_of(self.id)


def normalize_text(text: str) -> str:
    """For duplicate detection: case, whitespace and digits ignored."""
    return re.sub(r"\s+", " ", re.sub(r"\d", "0", text.casefold())).strip()


def dedupe(items: list[Item]) -> list[Item]:
    """Keep the first item (in id order) of each distinct normalised text."""
    seen: set[str] = set()
    out = []
    for item in sorted(items, key=lambda i: i.id):
        key = normalize_text(item.text)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(item)
    return out


def _open_text(path: Path):
    path = Path(path)
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


# ---------------------------------------------------------------- VCDB -----------------------
_ESPIONAGE = re.compile(
    r"espionage|state[- ]sponsored|nation[- ]state|state[- ]backed|\bapt ?\d|\bapt\b|cyber ?spy|"
    r"spying|intelligence (agency|service)|lazarus|fancy bear|cozy bear|turla|sandworm", re.I)
_HACKTIVISM = re.compile(
    r"hacktivis|(?-i:Anonymous)|#op|(?-i:\bOp[A-Z]\w+)|protest|in retaliation for|political message|"
    r"pro-(palestin|israel|russia|ukrain|iran)|ghostsec|lulzsec|syrian electronic army|"
    r"killnet|anonsudan|deface", re.I)
_WARFARE = re.compile(
    r"cyber ?war|cyberattack on ukraine|russian military|gru\b|wiper|sabotage|"
    r"critical infrastructure attack|power grid", re.I)


def vcdb_motivation(row: dict[str, Any]) -> str | None:
    """A motivation label derived for a VCDB incident (the JSONL has no actor motive).

    Rules, in order: errors without a malicious action -> accident; summaries naming espionage,
    state-sponsored or APT actors -> cyber_espionage; hacktivist groups, protest or defacement ->
    hacktivism; wipers, sabotage, cyber war -> cyber_warfare; any other malicious action
    (hacking, malware, social, misuse, physical) -> cybercrime; otherwise unlabelled.
    These are weak labels: see docs/accuracy.md.
    """
    cats = set(row.get("action_categories") or [])
    text = row.get("summary") or ""
    malicious = cats & {"hacking", "malware", "social", "misuse", "physical"}
    if "error" in cats and not malicious:
        return "accident"
    if not malicious:
        return None
    if _WARFARE.search(text):
        return "cyber_warfare"
    if _ESPIONAGE.search(text):
        return "cyber_espionage"
    if _HACKTIVISM.search(text) and "external" in (row.get("actor_categories") or []):
        return "hacktivism"
    return "cybercrime"


def read_vcdb(path: Path = VCDB_PATH, *, deduplicate: bool = True) -> list[Item]:
    veris = crosswalk("attack_type", "veris_action")
    items = []
    with _open_text(path) as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            text = (row.get("summary") or "").strip()
            if not text:
                continue
            varieties = list(row.get("action_varieties") or []) + list(row.get("action_categories") or [])
            labels: dict[str, Any] = {}
            attack = veris.to_ours_many(varieties)
            if attack:
                labels["attack_type"] = attack
            motive = vcdb_motivation(row)
            if motive:
                labels["motivation"] = motive
            target = naics_to_target_class(row.get("victim_industry"))
            if target and target != "Z":
                labels["target_class"] = target
            ctry = [c for c in row.get("victim_country") or [] if re.fullmatch(r"[A-Z]{2}", c)]
            if ctry:
                labels["country"] = ctry
            if isinstance(row.get("data_total"), int) and row["data_total"] > 0:
                labels["affected_persons"] = row["data_total"]
            refs = row.get("references") or []
            items.append(Item(
                id=str(row["id"]), text=text, source="vcdb", labels=labels,
                native={"action_varieties": row.get("action_varieties"),
                        "victim_industry": row.get("victim_industry")},
                url=refs[0] if refs else None,
            ))
    return dedupe(items) if deduplicate else items


# ---------------------------------------------------------------- HHS ------------------------
_HHS_MOTIVATION = {"Hacking/IT Incident": "cybercrime", "Theft": "cybercrime", "Loss": "accident",
                   "Improper Disposal": "accident"}
# Breach types precise enough to train attack_type on (the others are coarse: "Hacking/IT
# Incident" covers ransomware, phishing, ...; they are used for scoring in HHS's own vocabulary).
_HHS_TRAINABLE = {"Theft", "Loss"}


def read_hhs(path: Path = HHS_PATH, *, deduplicate: bool = True) -> list[Item]:
    btype = crosswalk("attack_type", "hhs_breach_type")
    entity = crosswalk("target_class", "hhs_entity")
    items = []
    with _open_text(path) as fh:
        for index, row in enumerate(csv.DictReader(fh)):
            text = (row.get("Web Description") or "").strip()
            if not text:
                continue
            types = [t.strip() for t in (row.get("Type of Breach") or "").split(",") if t.strip()]
            labels: dict[str, Any] = {}
            if len(types) == 1:
                mapped = btype.to_ours(types[0], default=None)
                if mapped and types[0] in _HHS_TRAINABLE:
                    labels["attack_type"] = mapped
                if types[0] in _HHS_MOTIVATION:
                    labels["motivation"] = _HHS_MOTIVATION[types[0]]
            target = entity.to_ours(row.get("Covered Entity Type") or "", default=None)
            if target:
                labels["target_class"] = target
            labels["country"] = ["US"]
            try:
                labels["affected_persons"] = int(float(row.get("Individuals Affected") or ""))
            except ValueError:
                pass
            items.append(Item(
                id=f"hhs-{index}", text=text, source="hhs", labels=labels,
                native={"breach_types": types, "entity_type": row.get("Covered Entity Type"),
                        "organization": row.get("Name of Covered Entity")},
            ))
    return dedupe(items) if deduplicate else items


# ---------------------------------------------------------------- timeline -------------------
def read_timeline(path: Path = TIMELINE_PATH) -> list[Item]:
    """An English timeline CSV (Description -> text); the id is the row index (0-based)."""
    tech = crosswalk("attack_type", "technique")
    cls = crosswalk("motivation", "attack_class")
    target = crosswalk("target_class", "timeline")
    items = []
    with _open_text(path) as fh:
        for index, row in enumerate(csv.DictReader(fh)):
            text = (row.get("Description") or "").strip()
            if not text:
                continue
            labels: dict[str, Any] = {}
            attack = tech.to_ours(row.get("Attack") or "", default=None)
            if attack:
                labels["attack_type"] = attack
            motive = cls.to_ours(row.get("Attack Class") or "", default=None)
            if motive and motive != "unknown":
                labels["motivation"] = motive
            tc = target.to_ours(row.get("Target Class") or "", default=None)
            if tc and tc != "Z":
                labels["target_class"] = tc
            ctry = countries(row.get("Country"))
            if ctry:
                labels["country"] = ctry
            items.append(Item(
                id=str(index), text=text, source="timeline", labels=labels,
                native={"attack_type": row.get("Attack"), "motivation": row.get("Attack Class"),
                        "target_class": row.get("Target Class"), "country": row.get("Country"),
                        "organization": row.get("Target")},
                url=row.get("Link") or None,
            ))
    return items


def training_items(fields=("attack_type", "motivation", "target_class")) -> list[Item]:
    """TUNE items of the three corpora, minus any whose text is also a HOLDOUT text anywhere."""
    corpora = [read_vcdb(), read_hhs(), read_timeline()]
    held = {normalize_text(i.text) for c in corpora for i in c if i.split == "holdout"}
    out = []
    for corpus in corpora:
        for item in corpus:
            if item.split == "tune" and normalize_text(item.text) not in held:
                if any(f in item.labels for f in fields):
                    out.append(item)
    return out
