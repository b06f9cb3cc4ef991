"""The English cyber-attacks timeline CSV: export (its columns plus ours) and import.

Column layout: Date Reported, Date Occurred, Date Discovered, Author, Target, Description,
Attack, Target Class, Attack Class, Country, Link, Tags ("null" for unknown, Target Class with
or without its letter, Country "UK" and ">1", dates as "2020-01-02 00:00:00").
"""

from __future__ import annotations

import csv
import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

from cyberline.interchange.imports import ImportItem, Skipped
from cyberline.interchange.records import IncidentRecord
from cyberline.model import Amount, IncidentDate, Report, SourceDocument, vocabulary
from cyberline.taxonomy.crosswalk import countries, crosswalk

TIMELINE_COLUMNS = ["Date Reported", "Date Occurred", "Date Discovered", "Author", "Target",
                    "Description", "Attack", "Target Class", "Attack Class", "Country", "Link"]
# Ours, after the timeline's (the import reads them back when present).
OUR_COLUMNS = ["Affected Persons", "Affected Organizations", "Data Categories", "Amount Lost",
               "Currency", "JNSA Cause", "Attack Type", "Motivation", "Id"]
REQUIRED = ("Date Reported", "Target", "Attack")
NULLS = {"", "null", "none", "n/a", "-"}


# Export ------------------------------------------------------------------------------------

def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def timeline_row(record: IncidentRecord) -> list[str]:
    technique = crosswalk("attack_type", "technique").from_ours(record.attack_type, default=None)
    attack_class = crosswalk("motivation", "attack_class").from_ours(record.motivation, default=None)
    target = crosswalk("target_class", "timeline").from_ours(record.target_class, default=None)
    amount = record.amount_lost or {}
    return [_cell(v) for v in (
        record.disclosure_date, record.occurred_date, record.discovered_date, None,
        record.organization, record.description_en, technique, target, attack_class,
        " ".join(record.countries), record.link,
        record.affected_persons, record.affected_orgs, ";".join(record.data_categories),
        amount.get("amount"), amount.get("currency"), record.cause_category_jnsa,
        record.attack_type, record.motivation, record.id)]


def write(records: Iterable[IncidentRecord], out: TextIO, excel: bool = False) -> int:
    """Write the CSV (``out`` opened with newline=""); ``excel`` adds a BOM for Japanese Excel."""
    if excel:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(TIMELINE_COLUMNS + OUR_COLUMNS)
    count = 0
    for record in records:
        writer.writerow(timeline_row(record))
        count += 1
    return count


# Import ------------------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")  # the timelines are European: day first


def parse_date(value: str | None) -> str | None:
    """"2020-01-02 00:00:00", "2020-01-02", "02/01/2020" -> "2020-01-02"; null -> None.

    Raises ValueError for anything else (a date we cannot read is never guessed).
    """
    text = (value or "").strip()
    if text.lower() in NULLS:
        return None
    if m := _ISO.match(text):
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    if m := _DMY.match(text):
        return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    raise ValueError(f"unreadable date {value!r}")


def _null(value: str | None) -> str | None:
    text = (value or "").strip()
    return None if text.lower() in NULLS else text


def attack_type_of(attack: str | None, tags: str | None) -> str:
    """The technique through the crosswalk; a tag naming a compatible finer type of ours wins
    (the timelines file ransomware as Attack=Malware with a "ransomware" tag)."""
    table = crosswalk("attack_type", "technique")
    parts = [p.strip() for p in re.split(r"[\n;]+", attack or "") if _null(p)]
    ours = table.to_ours_many(parts, default="unknown") or "unknown"
    tag_words = {t.strip().lower().replace(" ", "_") for t in (tags or "").split(",")}
    finer = [v for v in vocabulary("attack_type") if v in tag_words and v != ours
             and any(table.compatible(v, p) for p in parts)]
    return finer[0] if finer else ours


def target_class_of(value: str | None) -> str:
    text = _null(value)
    if text is None:
        return "Z"
    found = crosswalk("target_class", "timeline").to_ours(text, default=None)
    if found:
        return found
    letter = re.match(r"^([A-Z])(?:\s|$)", text)
    return letter[1] if letter and letter[1] in vocabulary("target_class") else "Z"


def _int(value: str | None) -> int | None:
    text = _null(value)
    return int(text.replace(",", "")) if text else None


def row_report(row: dict[str, str], report_id: str) -> Report:
    """One timeline row -> a Report of its own labels (raises ValueError on unreadable values)."""
    disclosure = parse_date(row.get("Date Reported"))
    if disclosure is None:
        raise ValueError("no Date Reported")
    dates = [IncidentDate(d, role) for d, role in
             ((parse_date(row.get("Date Occurred")), "occurred"),
              (parse_date(row.get("Date Discovered")), "discovered")) if d]
    attack_type = _null(row.get("Attack Type"))
    if attack_type not in vocabulary("attack_type"):
        attack_type = attack_type_of(row.get("Attack"), row.get("Tags"))
    motivation = _null(row.get("Motivation"))
    if motivation not in vocabulary("motivation"):
        motivation = crosswalk("motivation", "attack_class").to_ours(
            _null(row.get("Attack Class")) or "null", default="unknown") or "unknown"
    amount = _null(row.get("Amount Lost"))
    categories = [c for c in (_null(row.get("Data Categories")) or "").split(";")
                  if c in vocabulary("data_categories")]
    return Report(
        id=report_id, kind="incident_news", organization=_null(row.get("Target")),
        disclosure_date=disclosure, incident_dates=dates, attack_type=attack_type,
        motivation=motivation, target_class=target_class_of(row.get("Target Class")),
        country=countries(_null(row.get("Country"))),
        cause_category_jnsa=_null(row.get("JNSA Cause")),
        affected_persons=_int(row.get("Affected Persons")),
        affected_orgs=_int(row.get("Affected Organizations")),
        data_categories=categories,
        amount_lost=Amount(float(amount), _null(row.get("Currency")) or "", amount)
        if amount else None,
        extractor_version="import",
    )


def _lines(text: str, buffer: list[str]) -> Iterator[str]:
    """The file's lines, each also appended to ``buffer`` (the verbatim text of a row)."""
    for line in text.splitlines(keepends=True):
        buffer.append(line)
        yield line


def read_rows(path: str | Path) -> Iterator[ImportItem | Skipped]:
    """Items from a timeline CSV: one per row; malformed rows are Skipped with their number."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        yield Skipped(str(path), f"cannot read as UTF-8 text: {exc}")
        return
    buffer: list[str] = []
    reader = csv.reader(_lines(text, buffer))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        yield Skipped(str(path), "empty file or unreadable header")
        return
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        yield Skipped(str(path), f"not a timeline CSV: missing columns {missing}")
        return
    row_number = 1
    while True:
        buffer.clear()
        row_number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Skipped(f"{path.name} row {row_number}", f"malformed CSV: {exc}")
            continue
        raw = "".join(buffer)
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            yield Skipped(f"{path.name} row {row_number}",
                          f"{len(cells)} fields where the header has {len(header)}")
            continue
        row = dict(zip(header, cells))
        try:
            report = row_report(row, f"{path.name}:{row_number}")
        except ValueError as exc:
            yield Skipped(f"{path.name} row {row_number}", str(exc))
            continue
        link = (_null(row.get("Link")) or "").split()
        key = hashlib.sha256("|".join(row.get(c, "") for c in
                                      ("Date Reported", "Target", "Link")).encode()).hexdigest()
        doc = SourceDocument(url=link[0] if link else "", raw=raw.encode("utf-8"),
                             text=_null(row.get("Description")) or "", title=None,
                             content_type="text/csv", external_id=f"timeline:{key[:24]}")
        yield ImportItem(doc, report, original=row)
