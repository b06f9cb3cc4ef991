"""State and helpers shared by the command modules."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console

console = Console()
err_console = Console(stderr=True)


@dataclass
class CliState:
    db_url: str | None = None


state = CliState()


def open_store(url: str | None = None):
    """The Store for --db / CYBERLINE_DB (created and migrated on first use)."""
    from cyberline.store import Store

    return Store.open(url if url is not None else state.db_url)
