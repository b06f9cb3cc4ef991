"""Interchange commands: `export FORMAT [filters] [-o FILE]` and `import KIND FILE`."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from cyberline.cli.common import console, err_console, open_store

import_app = typer.Typer(help="Import incidents from files in other formats.",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.add_typer(import_app, name="import")


@contextmanager
def _output(path: Optional[Path]):
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        yield fh


def export(
    fmt: str = typer.Argument(..., help="csv | jsonl | stix | misp | veris"),
    period: str = typer.Option(None, "--period", help="START..END, YYYY-MMa/b, YYYY-MM, YYYYQn, "
                                                      "YYYY (default: everything)."),
    country: str = typer.Option(None, "--country", help="ISO 3166-1 alpha-2, e.g. JP."),
    attack_type: str = typer.Option(None, "--attack-type"),
    target_class: str = typer.Option(None, "--target-class"),
    output: Optional[Path] = typer.Option(None, "-o", "--output",
                                          help="File to write (default: standard output); for "
                                               "veris, an existing folder gets one file per "
                                               "incident."),
    excel: bool = typer.Option(False, "--excel", help="csv: add a BOM so Excel reads UTF-8."),
    per_period: str = typer.Option(None, "--per-period",
                                   help="misp: one event per fortnight | month | quarter."),
) -> None:
    """Export incidents (published ones, filtered like `report`)."""
    from cyberline.analyze import PeriodError
    from cyberline.interchange import EXPORT_FORMATS, FilterError, IncidentFilter
    from cyberline.interchange import export as run_export

    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"{fmt!r}: one of {', '.join(EXPORT_FORMATS)}")
    if per_period and fmt != "misp":
        raise typer.BadParameter("--per-period applies to misp only")
    try:
        flt = IncidentFilter.parse(period, country, attack_type, target_class)
    except (FilterError, PeriodError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    store = open_store()
    folder = output if fmt == "veris" and output is not None and output.is_dir() else None
    try:
        if folder is not None:
            count = run_export(store, fmt, None, flt, folder=folder)
        else:
            with _output(output) as out:
                count = run_export(store, fmt, out, flt, excel=excel, per_period=per_period)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    what = "events" if fmt == "misp" else "incidents"
    err_console.print(f"{count} {what} exported ({fmt})"
                      + (f" to {output}" if output else ""), highlight=False)


def _run_import(kind: str, path: Path) -> None:
    from cyberline.interchange import import_file

    store = open_store()
    try:
        result = import_file(store, kind, path)
    except FileNotFoundError as exc:
        err_console.print(f"error {exc}", highlight=False)
        raise typer.Exit(1)
    for skipped in result.skipped:
        err_console.print(f"skipped {skipped.where}: {skipped.reason}", highlight=False)
    for note in result.notes:
        err_console.print(f"note {note}", highlight=False)
    console.print(f"{result.new} new, {result.unchanged} already stored, "
                  f"{len(result.skipped)} skipped, {result.linked} reports linked", highlight=False)
    if result.new + result.unchanged == 0 and result.skipped:
        raise typer.Exit(1)


@import_app.command("timeline")
def import_timeline(path: Path = typer.Argument(..., help="Timeline CSV (Date Reported, ...).")):
    """Import a cyber-attacks timeline CSV (one incident per row)."""
    _run_import("timeline", path)


@import_app.command("vcdb")
def import_vcdb(path: Path = typer.Argument(..., help="VERIS JSON file, folder, or VCDB "
                                                      "incidents.jsonl[.gz].")):
    """Import VERIS Community Database incidents."""
    _run_import("vcdb", path)


@import_app.command("stix")
def import_stix(path: Path = typer.Argument(..., help="STIX 2.1 bundle (JSON).")):
    """Import the incidents of a STIX 2.1 bundle."""
    _run_import("stix", path)


@import_app.command("misp")
def import_misp(path: Path = typer.Argument(..., help="MISP event JSON (one, a list, or an "
                                                      "API response).")):
    """Import MISP events."""
    _run_import("misp", path)
