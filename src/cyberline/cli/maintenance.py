"""Maintenance commands: backup, restore, db check."""

from __future__ import annotations

from pathlib import Path

import typer

from cyberline.cli.common import console, err_console, open_store, state


def register(app: typer.Typer) -> None:
    from cyberline.cli.core import db_app

    app.command()(backup)
    app.command()(restore)
    db_app.command("check")(db_check)


def _url() -> str:
    from cyberline.store import resolve_url

    return resolve_url(state.db_url)


def backup(file: Path = typer.Argument(..., help="Backup file to write (replaced if present).")
           ) -> None:
    """Write a consistent copy of the database (SQLite online backup, or pg_dump)."""
    from cyberline.store.backup import BackupError, backup_database

    open_store().close()  # a database that does not exist yet is created, not an error
    try:
        info = backup_database(_url(), file)
    except BackupError as exc:
        err_console.print(f"error: {exc}", highlight=False)
        raise typer.Exit(1) from exc
    console.print(f"backup written: {info.path} ({info.bytes} bytes, {info.method})")


def restore(
    file: Path = typer.Argument(..., help="A file written by `cyberline backup`."),
    force: bool = typer.Option(False, "--force", help="Overwrite a database that holds data."),
) -> None:
    """Replace the database with a backup (refuses a non-empty database without --force)."""
    from cyberline.store.backup import BackupError, restore_database

    try:
        restore_database(_url(), file, force=force)
    except BackupError as exc:
        err_console.print(f"error: {exc}", highlight=False)
        raise typer.Exit(1) from exc
    store = open_store()  # applies migrations when the backup is older than this version
    store.close()
    console.print(f"restored {file}")


def db_check() -> None:
    """Integrity check and invariants; exit status 1 when anything is wrong."""
    from cyberline.store.integrity import check_database

    store = open_store()
    try:
        result = check_database(store)
    finally:
        store.close()
    for line in result.lines():
        (console if result.ok else err_console).print(line, highlight=False, markup=False)
    console.print("database ok" if result.ok else "[red]database has problems[/red]")
    if not result.ok:
        raise typer.Exit(1)
