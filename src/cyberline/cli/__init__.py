"""The `cyberline` command: a thin typer layer over the library.

Each module in this package registers its commands on the shared app through ``register(app)``;
command functions only parse arguments, call library functions and print.
"""

from __future__ import annotations

import importlib
import logging
import os

import typer
from rich.logging import RichHandler

from cyberline.cli.common import state

app = typer.Typer(
    name="cyberline",
    help="Public cyber-incident disclosures -> a structured, published timeline of attacks.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)

# One module per command group; each has register(app).
COMMAND_MODULES = [
    "cyberline.cli.core",
    "cyberline.cli.learn",
    "cyberline.cli.web",
    "cyberline.cli.report",
    "cyberline.cli.incidents",
    "cyberline.cli.interchange",
    "cyberline.cli.sources",
    "cyberline.cli.maintenance",
]


@app.callback()
def _global_options(
    db: str = typer.Option(
        None, "--db", envvar="CYBERLINE_DB",
        help="SQLAlchemy URL or SQLite file path (default: a file in the user data directory).",
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug messages."),
) -> None:
    state.db_url = db
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(message)s",
        handlers=[RichHandler(show_path=False, show_time=False, markup=False)],
        force=True,
    )
    # Alembic logs each plugin and migration step at INFO: not news to a user.
    for noisy in ("alembic", "trafilatura", "pypdf"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()
