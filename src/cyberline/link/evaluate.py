"""Pairwise precision and recall of "same incident" against a labelled pair set.

The dataset is a folder with ``reports.jsonl`` (one report per line: the `cyberline extract` keys
plus ``text``) and ``pairs.jsonl`` (``a``, ``b``, ``same``, ``kind``, ``split``). Reports are built
from the dataset's own fields (not extracted from text: the evaluation measures linking, not
extraction), stored in a fresh SQLite database, linked exactly as `cyberline ingest` links, and
every labelled pair is checked: were both reports put in one incident?
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from cyberline.link.linker import link_pending
from cyberline.model import Report, SourceDocument
from cyberline.store import Store
from cyberline.store.records import save_document, save_report
from cyberline.store.schema import IncidentReport, Report as ReportRow


class DatasetError(ValueError):
    pass


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {"pairs": self.tp + self.fp + self.fn + self.tn, "tp": self.tp, "fp": self.fp,
                "fn": self.fn, "tn": self.tn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4)}


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise DatasetError(f"{path} not found (a links dataset has reports.jsonl and pairs.jsonl)")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise DatasetError(f"{path}:{number}: not JSON ({exc})") from None
    return rows


def load_dataset(folder: Path) -> tuple[list[dict], list[dict]]:
    reports = _read_jsonl(folder / "reports.jsonl")
    pairs = _read_jsonl(folder / "pairs.jsonl")
    ids = {r.get("id") for r in reports}
    for p in pairs:
        if p.get("a") not in ids or p.get("b") not in ids or not isinstance(p.get("same"), bool):
            raise DatasetError(f"pair {p.get('pair_id') or p}: needs a, b (report ids) and same")
    return reports, pairs


def _report(item: dict[str, Any]) -> Report:
    return Report.from_json({**item, "id": str(item["id"]),
                             "kind": item.get("kind") or "incident_notice"})


def link_dataset(store: Store, reports: list[dict]) -> dict[str, int]:
    """Store and link the dataset's reports; returns report id -> incident id."""
    row_ids: dict[str, int] = {}
    with store.session() as session:
        for item in reports:
            text = item.get("text") or ""
            doc, _ = save_document(session, SourceDocument(
                url=f"dataset:{item['id']}", raw=f"{item['id']}\n{text}".encode(), text=text,
                title=item.get("title"), external_id=str(item["id"])))
            row_ids[str(item["id"])] = save_report(session, doc, _report(item),
                                                   provenance=f"dataset:{item.get('source', '')}").id
    with store.session() as session:
        link_pending(session)
        incident_of = dict(session.execute(select(IncidentReport.report_id,
                                                  IncidentReport.incident_id)).all())
        current = dict(session.execute(select(ReportRow.id, ReportRow.id)).all())
    return {key: incident_of.get(rid) for key, rid in row_ids.items() if rid in current}


def evaluate(folder: Path | str, db: str | None = None) -> dict[str, Any]:
    """Link the dataset and score every labelled pair, per split (train / holdout) and kind."""
    reports, pairs = load_dataset(Path(folder))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(db or str(Path(tmp) / "eval.sqlite"))
        try:
            incident = link_dataset(store, reports)
        finally:
            store.close()
    groups: dict[str, Counts] = {}
    for p in pairs:
        together = incident.get(str(p["a"])) is not None and \
            incident.get(str(p["a"])) == incident.get(str(p["b"]))
        for name in ("all", f"split:{p.get('split', 'train')}", f"kind:{p.get('kind', '?')}"):
            c = groups.setdefault(name, Counts())
            if p["same"] and together:
                c.tp += 1
            elif p["same"]:
                c.fn += 1
                c.errors.append({"pair": p.get("pair_id"), "error": "missed"})
            elif together:
                c.fp += 1
                c.errors.append({"pair": p.get("pair_id"), "error": "wrongly merged"})
            else:
                c.tn += 1
    return {"reports": len(reports), "incidents": len(set(incident.values()) - {None}),
            "groups": {k: v.as_dict() for k, v in sorted(groups.items())},
            "errors": groups["all"].errors if "all" in groups else []}
