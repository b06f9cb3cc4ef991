"""Core commands: db, ingest, extract, link, demo (report lives in cli/report.py)."""

from __future__ import annotations

import json
import sys
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from cyberline.cli.common import console, err_console, open_store, state

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.command()(ingest)
    app.command()(extract)
    app.command()(link)
    app.command()(demo)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the database or apply pending migrations."""
    store = open_store()
    console.print(f"database up to date: {store.engine.url.render_as_string(hide_password=True)}")


def _progress() -> Progress:
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), console=err_console, transient=True)


def ingest(inputs: list[str] = typer.Argument(..., help="Feed, HTML, text or PDF files, "
                                                        "folders, or file:// URLs.")) -> None:
    """Store documents from local inputs, extract a report from each and link incidents."""
    from cyberline.pipeline import ingest as run_ingest

    store = open_store()
    with _progress() as bar:
        task = bar.add_task("ingesting", total=len(inputs))
        result = run_ingest(store, inputs, progress=lambda item: bar.advance(task) or
                            bar.update(task, description=f"ingesting {Path(item).name}"))
    for error in result.errors:
        err_console.print(f"[red]skipped[/red] {error}", markup=True, highlight=False,
                          soft_wrap=True)
    console.print(f"{result.new} new documents, {result.unchanged} already stored, "
                  f"{len(result.errors)} skipped")
    if not result.ok:
        raise typer.Exit(1)


def _extract_items(paths: list[Path], jsonl: Optional[Path]):
    from cyberline.collect import CollectError, read_local

    if jsonl is not None:
        with jsonl.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    yield str(item["id"]), item["text"], item.get("title"), item.get("url"), \
                        item.get("published")
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    err_console.print(f"skipped {jsonl}:{number}: not an item with id and text "
                                      f"({exc})", highlight=False, soft_wrap=True)
    for path in paths:
        try:
            for doc in read_local(str(path)):
                published = doc.published.date().isoformat() if doc.published else None
                yield path.stem if path.is_file() else doc.url, doc.text, doc.title, doc.url, published
        except CollectError as exc:
            err_console.print(f"skipped {exc}", highlight=False, soft_wrap=True)


def extract(
    paths: list[Path] = typer.Argument(None, help="Text, HTML, PDF or feed files."),
    jsonl: Optional[Path] = typer.Option(None, "--jsonl", help='JSONL of {"id", "text"} items '
                                         '(optional "url", "published", "title").'),
    pretty: bool = typer.Option(False, "--pretty", help="Indented JSON."),
) -> None:
    """Print one JSON report per input document (no database needed)."""
    from cyberline.extract import extract_report

    count = 0
    for item_id, text, title, url, published in _extract_items(paths or [], jsonl):
        report = extract_report(text, id=item_id, title=title, url=url, published=published)
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False,
                                    indent=2 if pretty else None) + "\n")
        count += 1
    if count == 0:
        err_console.print("nothing to extract")
        raise typer.Exit(1)


def link() -> None:
    """Link every stored report that has no incident yet."""
    from cyberline.link import link_pending

    store = open_store()
    with store.session() as session:
        count = link_pending(session)
    console.print(f"{count} reports linked")


DEMO_PERIODS = ("2022-07-16..2022-07-31", "2022-08-01..2022-08-15")


def demo(
    fmt: str = typer.Option("table", "--format", help="table | md | html | json | csv"),
    lang: str = typer.Option("en", "--lang", help="ja | en"),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the web app afterwards."),
    site: Path = typer.Option(None, "--site", help="Static site folder (default: next to the "
                                                   "demo database)."),
    port: int = typer.Option(8000, "--port"),
) -> None:
    """Ingest the bundled sample feed into its own SQLite file, print two fortnights, build the
    static site and serve the web app on 127.0.0.1."""
    from cyberline.analyze import parse_period, period_report
    from cyberline.cli.report import print_report
    from cyberline.pipeline import ingest as run_ingest
    from cyberline.store import default_db_path

    if state.db_url is None:
        state.db_url = str(default_db_path("demo.sqlite"))
    store = open_store()
    feed = resources.files("cyberline.sample").joinpath("seed-blog.atom")
    with resources.as_file(feed) as path:
        result = run_ingest(store, [str(path)])
    err_console.print(f"sample feed: {result.new} new documents, {result.unchanged} already "
                      f"stored; database {store.engine.url.database}")
    for text in DEMO_PERIODS:
        with store.session() as session:
            print_report(period_report(session, parse_period(text), lang=lang), fmt, lang)
    from cyberline.publish.site import build_site

    if site is None:  # next to the demo database (a SQLite file) when there is one
        database = store.engine.url.database if store.is_sqlite else None
        site = Path(database).parent / "demo-site" if database else default_db_path("demo-site")
    built = build_site(store, site)
    err_console.print(f"static site: {built.pages} pages, {built.feeds} feeds: "
                      f"{(site / 'index.html').resolve().as_uri()}")
    if serve:
        from cyberline.cli.web import serve as run_server

        run_server(host="127.0.0.1", port=port, workers=1)
