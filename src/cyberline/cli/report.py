"""`cyberline report`: a period's timeline, statistics, narrative and charts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from cyberline.cli.common import console, err_console, open_store

FORMATS = ("table", "md", "html", "json", "csv")
LANGS = ("ja", "en")


def register(app: typer.Typer) -> None:
    app.command()(report)


def _check_filters(country: str | None, attack_type: str | None,
                   target_class: str | None) -> dict[str, Any]:
    """Validate filters against the vocabularies; a target class may be "P" or "P Education"."""
    from cyberline.model import vocabulary
    from cyberline.taxonomy.crosswalk import crosswalk

    if attack_type and attack_type not in vocabulary("attack_type"):
        raise typer.BadParameter(f"unknown attack type {attack_type!r}; one of: "
                                 + ", ".join(vocabulary("attack_type")), param_hint="--attack-type")
    if target_class and target_class not in vocabulary("target_class"):
        letter = crosswalk("target_class", "timeline").to_ours(target_class, default=None)
        if letter is None:
            raise typer.BadParameter(f"unknown target class {target_class!r}: a letter A-Z "
                                     "or a timeline string such as 'P Education'",
                                     param_hint="--target-class")
        target_class = letter
    if country and (len(country) != 2 or not country.isalpha()):
        raise typer.BadParameter(f"country {country!r}: an ISO 3166-1 alpha-2 code such as JP",
                                 param_hint="--country")
    return {"country": country.upper() if country else None, "attack_type": attack_type,
            "target_class": target_class}


def render_report(data: dict[str, Any], fmt: str, lang: str = "en",
                  trend: list[dict[str, Any]] | None = None) -> str | None:
    """The report as text in ``fmt`` (None for ``table``, which prints rich tables itself)."""
    from cyberline.analyze import render

    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return render.render_csv(data, lang)
    if fmt in ("md", "html"):
        from cyberline.analyze.charts import report_charts

        charts = report_charts(data, lang, trend)
        return (render.render_markdown(data, lang, charts) if fmt == "md"
                else render.render_html(data, lang, charts))
    return None


def print_report(data: dict[str, Any], fmt: str = "table", lang: str = "en",
                 trend: list[dict[str, Any]] | None = None, out: Path | None = None) -> None:
    """Write a report to ``out`` or stdout (``demo`` calls this too)."""
    from cyberline.analyze.render import stats_table, timeline_table
    from cyberline.analyze.stats import BREAKDOWNS

    text = render_report(data, fmt, lang, trend)
    if text is not None:
        if out is not None:
            out.write_text(text, encoding="utf-8")
            err_console.print(f"wrote {out}", highlight=False)
        else:
            sys.stdout.write(text)
        return
    target = console if out is None else None
    if target is None:
        from rich.console import Console

        handle = out.open("w", encoding="utf-8")
        target = Console(file=handle, width=160)
    target.print(timeline_table(data, lang))
    target.print(data["narrative"][lang])
    for key in BREAKDOWNS:
        if data[key]:
            target.print(stats_table(data, key, lang))
    if out is not None:
        handle.close()


def report(
    period: Optional[str] = typer.Option(None, "--period",
                                         help="START..END, YYYY-MMa/b, YYYY-MM, YYYYQn, YYYY."),
    fortnight: Optional[str] = typer.Option(None, "--fortnight",
                                            help="e.g. 2022-07a (1st-15th) or 2022-07b."),
    month: Optional[str] = typer.Option(None, "--month", help="e.g. 2022-07."),
    fmt: str = typer.Option("table", "--format", help="table | md | html | json | csv"),
    compare: int = typer.Option(2, "--compare", min=0, max=24,
                                help="Previous periods of the same length to compare with."),
    lang: str = typer.Option("en", "--lang", help="ja | en"),
    country: Optional[str] = typer.Option(None, "--country", help="ISO code, e.g. JP."),
    attack_type: Optional[str] = typer.Option(None, "--attack-type", help="e.g. ransomware."),
    target_class: Optional[str] = typer.Option(None, "--target-class",
                                               help="A letter (P) or 'P Education'."),
    limit: int = typer.Option(5000, "--limit", min=0,
                              help="Most timeline rows to list (0: all); counts cover all."),
    trend_periods: int = typer.Option(12, "--trend", min=0, max=60,
                                      help="Periods in the technique-trend chart (md/html)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to this file."),
) -> None:
    """The timeline, statistics, narrative and charts of a period."""
    from cyberline.analyze import PeriodError, parse_period, period_report
    from cyberline.analyze.stats import trend

    given = [text for text in (period, fortnight, month) if text]
    if len(given) != 1:
        raise typer.BadParameter("give exactly one of --period, --fortnight or --month")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"format {fmt!r}: one of {', '.join(FORMATS)}",
                                 param_hint="--format")
    if lang not in LANGS:
        raise typer.BadParameter(f"language {lang!r}: ja or en", param_hint="--lang")
    try:
        chosen = parse_period(given[0])
    except PeriodError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if fortnight and chosen.kind != "fortnight":
        raise typer.BadParameter(f"{fortnight!r} is not a fortnight (YYYY-MMa or YYYY-MMb)",
                                 param_hint="--fortnight")
    if month and chosen.kind != "month":
        raise typer.BadParameter(f"{month!r} is not a month (YYYY-MM)", param_hint="--month")
    filters = _check_filters(country, attack_type, target_class)
    store = open_store()
    with store.session() as session:
        data = period_report(session, chosen, compare=compare, filters=filters, lang=lang,
                             list_limit=limit or None)
        periods = (trend(session, chosen, trend_periods, filters)
                   if fmt in ("md", "html") and trend_periods else None)
    print_report(data, fmt, lang, periods, output)
