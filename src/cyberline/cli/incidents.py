"""Incident commands: incidents list/show/set/clear/merge/split, audit list/undo, review,
eval-links. Thin: each calls one cyberline.curate / cyberline.link function and prints."""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from cyberline.cli.common import console, err_console, open_store

incidents_app = typer.Typer(help="List, show and correct incidents.", no_args_is_help=True)
audit_app = typer.Typer(help="The curation audit log.", no_args_is_help=True)

ACTOR = typer.Option(None, "--actor", help="Who makes the change (default: $USER).")


def register(app: typer.Typer) -> None:
    app.add_typer(incidents_app, name="incidents")
    app.add_typer(audit_app, name="audit")
    app.command()(review)
    app.command("eval-links")(eval_links)


def _actor(actor: Optional[str]) -> str:
    return actor or os.environ.get("USER") or getpass.getuser() or "unknown"


def _run(operation):  # noqa: ANN001, ANN202
    """Run a curation operation in one transaction; a CurationError is a clear message, exit 1."""
    from cyberline.curate import CurationError

    store = open_store()
    try:
        with store.session() as session:
            return operation(session)
    except CurationError as exc:
        err_console.print(f"error: {exc}", highlight=False, markup=False)
        raise typer.Exit(1) from None


@incidents_app.command("list")
def incidents_list(
    period: Optional[str] = typer.Option(None, "--period", help="START..END, YYYY-MM, YYYY, ..."),
    limit: int = typer.Option(200, "--limit"),
    fmt: str = typer.Option("table", "--format", help="table | json"),
) -> None:
    """Incidents (of a period), newest first, with their number of reports."""
    from cyberline.analyze import PeriodError, parse_period
    from cyberline.curate.show import list_incidents

    chosen = None
    if period:
        try:
            chosen = parse_period(period)
        except PeriodError as exc:
            raise typer.BadParameter(str(exc)) from exc
    rows = _run(lambda s: list_incidents(s, chosen, limit))
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    table = Table("id", "disclosed", "organization", "attack type", "persons", "reports")
    for r in rows:
        table.add_row(str(r["id"]), str(r["disclosure_date"] or ""), r["organization"] or "",
                      r["attack_type"], str(r["affected_persons"] or ""), str(r["reports"]))
    console.print(table)
    console.print(f"{len(rows)} incidents")


@incidents_app.command("show")
def incidents_show(incident_id: int, fmt: str = typer.Option("text", "--format",
                                                             help="text | json")) -> None:
    """An incident: its fields with who set each (and conflicting values), its reports and
    why they were linked."""
    from cyberline.curate.show import incident_detail

    detail = _run(lambda s: incident_detail(s, incident_id))
    if fmt == "json":
        sys.stdout.write(json.dumps(detail, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    console.print(f"[bold]Incident #{detail['id']}[/bold]", highlight=False)
    table = Table("field", "value", "set by", "other values")
    for f in detail["fields"]:
        table.add_row(f["field"], json.dumps(f["value"], ensure_ascii=False, default=str),
                      f["set_by"], "; ".join(f"{json.dumps(a['value'], ensure_ascii=False)} "
                                             f"(report #{a.get('report_id')})"
                                             for a in f["alternatives"]))
    console.print(table)
    reports = Table("report", "kind", "disclosed", "organization", "link", "score", "why")
    for r in detail["reports"]:
        reports.add_row(str(r["report_id"]), r["kind"], str(r["disclosure_date"] or ""),
                        r["organization"] or "", r["method"],
                        "" if r["score"] is None else f"{r['score']:.2f}", r["reason"] or "")
    console.print(reports)
    for item in detail["reviews"]:
        console.print(f"open review #{item['id']}: report #{item['report_id']} "
                      f"(score {item['score']:.2f})", highlight=False)


@incidents_app.command("set")
def incidents_set(incident_id: int, field: str, value: str, actor: str = ACTOR) -> None:
    """Set a field (validated against the vocabularies); extraction will not overwrite it."""
    from cyberline.curate import set_field

    entry = _run(lambda s: set_field(s, incident_id, field, value, _actor(actor)))
    console.print(f"audit #{entry.id}: {entry.field} {entry.before['value']!r} -> "
                  f"{entry.after['value']!r}", highlight=False)


@incidents_app.command("clear")
def incidents_clear(incident_id: int, field: str, actor: str = ACTOR) -> None:
    """Empty a field (a person's decision that extraction will not refill)."""
    from cyberline.curate import clear_field

    entry = _run(lambda s: clear_field(s, incident_id, field, _actor(actor)))
    console.print(f"audit #{entry.id}: {entry.field} cleared (was {entry.before['value']!r})",
                  highlight=False)


@incidents_app.command("merge")
def incidents_merge(keep: int, other: int, actor: str = ACTOR) -> None:
    """Move every report of OTHER into KEEP and delete OTHER."""
    from cyberline.curate import merge_incidents

    entry = _run(lambda s: merge_incidents(s, keep, other, _actor(actor)))
    console.print(f"audit #{entry.id}: incident #{other} merged into #{keep}", highlight=False)


@incidents_app.command("split")
def incidents_split(report_id: int, actor: str = ACTOR) -> None:
    """Take a report out of its incident into a new incident."""
    from cyberline.curate import split_report

    incident = _run(lambda s: split_report(s, report_id, _actor(actor)))
    console.print(f"report #{report_id} is now incident #{incident.id}", highlight=False)


@audit_app.command("list")
def audit_list(incident: Optional[int] = typer.Option(None, "--incident"),
               limit: int = typer.Option(100, "--limit")) -> None:
    """Latest curation changes (who, when, what before and after)."""
    from cyberline.curate import audit_log

    def rows(session):  # noqa: ANN001, ANN202
        return [(e.id, e.at, e.actor, e.action, e.incident_id, e.field, e.before, e.after,
                 e.undone_by) for e in audit_log(session, incident, limit)]

    # One line per entry: the log is read in terminals of any width and grepped.
    for id_, at, who, action, incident_id, field, before, after, undone_by in _run(rows):
        line = (f"#{id_} {at:%Y-%m-%d %H:%M:%S} {who} {action} incident #{incident_id}"
                f"{' ' + field if field else ''}: {_short(before)} -> {_short(after)}")
        console.print(line + (f" (undone by #{undone_by})" if undone_by else ""),
                      highlight=False, markup=False, soft_wrap=True)


def _short(value, width: int = 60) -> str:  # noqa: ANN001
    text = "" if value is None else (value if isinstance(value, str) else
                                     json.dumps(value, ensure_ascii=False, default=str))
    return text if len(text) <= width else text[:width - 1] + "…"


@audit_app.command("undo")
def audit_undo(audit_id: int, actor: str = ACTOR) -> None:
    """Reverse an audit entry (if nothing changed since)."""
    from cyberline.curate import undo

    entry = _run(lambda s: undo(s, audit_id, _actor(actor)))
    console.print(f"audit #{entry.id}: undid #{audit_id}", highlight=False)


def _list_low_confidence() -> None:
    from sqlalchemy import select

    from cyberline.store.schema import IncidentReport, Report

    store = open_store()
    count = 0
    with store.session() as session:
        rows = session.execute(
            select(Report.id, Report.organization, Report.data, IncidentReport.incident_id)
            .join(IncidentReport, IncidentReport.report_id == Report.id)
            .where(Report.is_current.is_(True)).order_by(Report.id)
            .execution_options(yield_per=1000))
        for report_id, organization, data, incident_id in rows:
            fields = (data or {}).get("low_confidence_fields") or []
            if fields:
                count += 1
                console.print(f"report #{report_id} (incident #{incident_id}, "
                              f"{organization or 'organisation not named'}): unsure of "
                              f"{', '.join(fields)}", highlight=False, soft_wrap=True)
    console.print(f"{count} incident reports flagged for review")


def review(
    list_: bool = typer.Option(False, "--list", help="List open review items and exit."),
    low_confidence: bool = typer.Option(False, "--low-confidence",
                                        help="List incident reports the extractor flagged as "
                                             "unsure (low-confidence key fields) and exit."),
    accept: Optional[int] = typer.Option(None, "--accept", help="Accept review item ID."),
    reject: Optional[int] = typer.Option(None, "--reject", help="Reject review item ID."),
    actor: str = ACTOR,
) -> None:
    """Decide linking pairs the linker was unsure about: side by side, accept/reject/skip."""
    from cyberline.curate import decide_review, open_reviews
    from cyberline.curate.show import review_pair

    if low_confidence:
        _list_low_confidence()
        return
    if accept is not None or reject is not None:
        item_id, ok = (accept, True) if accept is not None else (reject, False)
        entry = _run(lambda s: decide_review(s, item_id, ok, _actor(actor)))
        console.print(f"audit #{entry.id}: review #{item_id} "
                      f"{'accepted' if ok else 'rejected'}", highlight=False)
        return
    items = _run(lambda s: [(i.id, i.score) for i in open_reviews(s)])
    if list_:
        for item_id, score in items:
            pair = _run(lambda s: review_pair(s, item_id))
            console.print(f"#{item_id} score {score:.2f}: report #{pair['report']['report_id']} "
                          f"({pair['report']['organization']}) -> incident "
                          f"#{pair['incident']['id']} ({pair['incident']['organization']})",
                          highlight=False)
        console.print(f"{len(items)} open review items")
        return
    if not items:
        console.print("no open review items")
        return
    for item_id, _score in items:
        pair = _run(lambda s: review_pair(s, item_id))
        table = Table("", "new report", "incident")
        for key in ("organization", "disclosure_date", "attack_type", "affected_persons",
                    "title", "text"):
            table.add_row(key, _short(pair["report"].get(key), 70),
                          _short(pair["incident"].get(key), 70))
        console.print(f"[bold]review #{item_id}[/bold] score {pair['score']:.2f}: "
                      f"{pair['reason']}", highlight=False)
        console.print(table)
        answer = typer.prompt("same incident? [a]ccept / [r]eject / [s]kip / [q]uit",
                              default="s").strip().lower()[:1]
        if answer == "q":
            break
        if answer in ("a", "r"):
            entry = _run(lambda s: decide_review(s, item_id, answer == "a", _actor(actor)))
            console.print(f"audit #{entry.id}: {'accepted' if answer == 'a' else 'rejected'}")


def eval_links(dataset: Path = typer.Argument(..., help="Folder with reports.jsonl and "
                                                        "pairs.jsonl (e.g. datasets/links)."),
               fmt: str = typer.Option("table", "--format", help="table | json"),
               errors: bool = typer.Option(False, "--errors", help="List the wrong pairs.")) -> None:
    """Pairwise precision and recall of "same incident" against a labelled pair set."""
    from cyberline.link.evaluate import DatasetError, evaluate

    try:
        result = evaluate(dataset)
    except DatasetError as exc:
        err_console.print(f"error: {exc}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    if fmt == "json":
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table("group", "pairs", "tp", "fp", "fn", "tn", "precision", "recall")
    for name, g in result["groups"].items():
        table.add_row(name, *(str(g[k]) for k in ("pairs", "tp", "fp", "fn", "tn")),
                      f"{g['precision']:.3f}", f"{g['recall']:.3f}")
    console.print(f"{result['reports']} reports linked into {result['incidents']} incidents")
    console.print(table)
    if errors:
        for e in result["errors"]:
            console.print(f"{e['error']}: {e['pair']}", highlight=False)
