"""Interchange: exports and imports in the formats the field uses.

Exports (CSV timeline, JSON Lines, STIX 2.1, MISP, VERIS) stream incidents from the database
(`records.iter_incidents`) and write as they go. Imports (timeline CSV, VCDB/VERIS, STIX, MISP)
parse files into items that `imports.store_items` saves as documents + reports and links.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from cyberline.interchange import csv_timeline, jsonl, misp, stix, veris
from cyberline.interchange.filters import FilterError, IncidentFilter, filter_incidents
from cyberline.interchange.imports import ImportResult, provenance_for, store_items
from cyberline.interchange.records import iter_incidents
from cyberline.store import Store

EXPORT_FORMATS = ("csv", "jsonl", "stix", "misp", "veris")
IMPORT_FORMATS = {
    "timeline": lambda path, notes: csv_timeline.read_rows(path),
    "vcdb": lambda path, notes: veris.read_vcdb(path),
    "stix": stix.read_bundle,
    "misp": misp.read_events,
}


def export(store: Store, fmt: str, out: TextIO | None, flt: IncidentFilter | None = None, *,
           excel: bool = False, per_period: str | None = None, folder: Path | None = None) -> int:
    """Write the incidents matching ``flt`` in ``fmt``; returns how many were written
    (events for MISP). ``folder`` (VERIS only) writes one file per incident."""
    flt = flt or IncidentFilter()
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(EXPORT_FORMATS)}")
    needs_reports = fmt in ("jsonl", "stix", "misp", "veris")
    records = iter_incidents(store, flt, with_reports=needs_reports)
    if fmt == "csv":
        return csv_timeline.write(records, out, excel=excel)
    if fmt == "jsonl":
        return jsonl.write(records, out)
    if fmt == "stix":
        return stix.write_bundle(records, out, bundle_key=flt.label())
    if fmt == "misp":
        return misp.write(records, out, per_period=per_period)
    return veris.write(records, out, folder=folder)


def import_file(store: Store, kind: str, path: str | Path) -> ImportResult:
    """Import a file (or, for vcdb, a folder) of ``kind``; bad items are logged and skipped."""
    if kind not in IMPORT_FORMATS:
        raise ValueError(f"unknown import kind {kind!r}: one of {', '.join(IMPORT_FORMATS)}")
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    notes: list[str] = []
    items = IMPORT_FORMATS[kind](path, notes)
    result = store_items(store, items, source_name=f"import:{kind}:{path.name}",
                         source_url=str(path.resolve()), provenance=provenance_for(path))
    result.notes.extend(notes)
    return result


__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "FilterError", "IncidentFilter", "ImportResult",
           "export", "filter_incidents", "import_file", "iter_incidents"]
