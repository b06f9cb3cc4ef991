"""Collection commands: sources add/list/remove/import, fetch, watch."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cyberline.cli.common import console, err_console, open_store

sources_app = typer.Typer(help="The feeds and pages to watch.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")
    app.command()(fetch)
    app.command()(watch)


@sources_app.command("add")
def sources_add(
    url: str = typer.Argument(..., help="Feed or page URL (http or https)."),
    name: Optional[str] = typer.Option(None, "--name", help="Default: host + path."),
    kind: str = typer.Option("feed", "--kind", help="feed | page"),
    follow_links: bool = typer.Option(False, "--follow-links",
                                      help="Fetch the page or PDF each entry/link points to."),
    lang: Optional[str] = typer.Option(None, "--lang", help="ja | en"),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Allow loopback/private addresses (intranet, tests)."),
) -> None:
    """Watch a feed or a page."""
    from cyberline.collect.sources import SourceError, SourceSpec, add_source

    try:
        source = add_source(open_store(), SourceSpec(url, name, kind, lang, follow_links,
                                                     allow_private))
    except SourceError as exc:
        err_console.print(f"error: {exc}", highlight=False)
        raise typer.Exit(1) from exc
    console.print(f"added source {source.name!r} ({source.kind}) {source.url}", highlight=False)


@sources_app.command("list")
def sources_list(as_json: bool = typer.Option(False, "--json", help="One JSON object per line.")
                 ) -> None:
    """The watched sources with their last fetch status."""
    import json
    import sys

    from cyberline.collect.sources import list_sources

    rows = list_sources(open_store(), watched_only=True)
    if as_json:
        for s in rows:
            sys.stdout.write(json.dumps({
                "id": s.id, "name": s.name, "url": s.url, "kind": s.kind, "lang": s.language,
                "follow_links": s.follow_links, "allow_private": s.allow_private,
                "enabled": s.enabled, "last_fetched_at": s.last_fetched_at.isoformat()
                if s.last_fetched_at else None, "last_status": s.last_status,
            }, ensure_ascii=False) + "\n")
        return
    if not rows:
        console.print("no sources; add one with `cyberline sources add URL`")
        return
    table = Table("id", "name", "kind", "lang", "options", "url", "last fetch", "status")
    for s in rows:
        options = ", ".join(o for o, on in (("follow-links", s.follow_links),
                                            ("allow-private", s.allow_private),
                                            ("disabled", not s.enabled)) if on)
        table.add_row(str(s.id), s.name, s.kind, s.language or "", options, s.url,
                      s.last_fetched_at.strftime("%Y-%m-%d %H:%M") if s.last_fetched_at else "never",
                      s.last_status or "")
    console.print(table)


@sources_app.command("remove")
def sources_remove(name: str = typer.Argument(..., help="Source name or id.")) -> None:
    """Stop watching a source (its documents stay)."""
    from cyberline.collect.sources import SourceError, remove_source

    try:
        remove_source(open_store(), name)
    except SourceError as exc:
        err_console.print(f"error: {exc}", highlight=False)
        raise typer.Exit(1) from exc
    console.print(f"removed source {name!r}", highlight=False)


@sources_app.command("import")
def sources_import(path: Path = typer.Argument(..., help="A TOML list ([[source]]) or OPML.")) -> None:
    """Add the sources of a TOML or OPML file (ones already present are kept)."""
    from cyberline.collect.sources import SourceError, import_sources

    try:
        result = import_sources(open_store(), path)
    except SourceError as exc:
        err_console.print(f"error: {exc}", highlight=False)
        raise typer.Exit(1) from exc
    for error in result.errors:
        err_console.print(f"error: {error}", highlight=False)
    console.print(f"{len(result.added)} added, {len(result.existing)} already present, "
                  f"{len(result.errors)} refused")
    if result.errors and not result.added:
        raise typer.Exit(1)


class _Bar:
    """fetch.Progress shown as a rich progress bar whose total grows as feeds are read."""

    def __init__(self, bar: Progress):
        self.bar = bar
        self.task = bar.add_task("fetching", total=0)

    def planned(self, count: int) -> None:
        self.bar.update(self.task, total=(self.bar.tasks[0].total or 0) + count)

    def done(self, url: str, outcome: str) -> None:
        self.bar.update(self.task, advance=1, description=f"{outcome:9} {url[-60:]}")


def _run_pass(names: list[str], stop: threading.Event, verbose: bool,
              recheck: bool = False) -> bool:
    from cyberline.collect.fetch import fetch_pass
    from cyberline.collect.settings import SettingsError, load_settings
    from cyberline.collect.sources import SourceError, find_sources

    store = open_store()
    try:
        # --recheck: a conditional GET for every followed link, even inside its recheck interval.
        settings = load_settings(recheck_after=0.0 if recheck else None)
        sources = find_sources(store, names)
    except (SourceError, SettingsError) as exc:
        err_console.print(f"error: {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if not sources:
        err_console.print("no sources to fetch; add one with `cyberline sources add URL`")
        raise typer.Exit(1)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, transient=True) as bar:
        summary = fetch_pass(store, sources, settings, progress=_Bar(bar), stop=stop)
    store.close()
    for name, line in summary.sources.items():
        style = "red" if line.startswith("error") else "green"
        console.print(f"[{style}]{name}[/{style}] {line}", highlight=False)
    shown = summary.skipped if verbose else summary.skipped[:20]
    for url, reason in shown:
        console.print(f"  skipped {url}: {reason}", highlight=False, markup=False)
    if len(shown) < len(summary.skipped):
        console.print(f"  ... {len(summary.skipped) - len(shown)} more skipped (use -v)")
    console.print(f"{summary.new} new, {summary.changed} changed, {summary.unchanged} unchanged, "
                  f"{len(summary.skipped)} skipped" + (" (stopped)" if summary.interrupted else ""))
    return summary.ok


def fetch(
    names: list[str] = typer.Argument(None, help="Source names or ids (default: all)."),
    all_skipped: bool = typer.Option(False, "--all-skipped", help="List every skipped URL."),
    recheck: bool = typer.Option(False, "--recheck", help="Revalidate every followed link now "
                                 "(conditional GET), even inside its recheck interval."),
) -> None:
    """One pass over the sources: new, changed, unchanged and skipped documents."""
    from cyberline.collect.watch import stop_on_signals

    stop = threading.Event()
    with stop_on_signals(stop):
        ok = _run_pass(names or [], stop, all_skipped, recheck)
    if not ok:
        raise typer.Exit(1)


def watch(
    names: list[str] = typer.Argument(None, help="Source names or ids (default: all)."),
    every: str = typer.Option("30m", "--every", help="Interval between passes: 30m, 1h, 90s."),
    passes: Optional[int] = typer.Option(None, "--passes", help="Stop after N passes."),
) -> None:
    """Fetch passes on a schedule until stopped (Ctrl-C/SIGTERM end after the current document)."""
    from cyberline.collect.watch import parse_every, stop_on_signals, watch as run_watch

    try:
        seconds = parse_every(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from exc
    stop = threading.Event()
    with stop_on_signals(stop):
        count = run_watch(lambda: _run_pass(names or [], stop, False), seconds, stop,
                          max_passes=passes)
    console.print(f"watch ended after {count} passes")
