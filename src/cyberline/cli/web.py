"""Publishing and web commands: serve, site build, users add, search reindex."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from cyberline.cli.common import console, err_console, open_store

site_app = typer.Typer(help="The static site.", no_args_is_help=True)
users_app = typer.Typer(help="Web app accounts.", no_args_is_help=True)
search_app = typer.Typer(help="The full-text search index.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(site_app, name="site")
    app.add_typer(users_app, name="users")
    app.add_typer(search_app, name="search")


def serve(host: str = typer.Option("127.0.0.1", "--host"),
          port: int = typer.Option(8000, "--port"),
          workers: int = typer.Option(1, "--workers", min=1,
                                      help="Server processes (each keeps its own facet snapshot).")
          ) -> None:
    """Serve the web app (search, browse, curate)."""
    import os
    import tempfile

    import uvicorn

    from cyberline.allocator import limit_retention, limit_retention_in_children
    from cyberline.store.search import index_stale
    from cyberline.web import create_app
    from cyberline.web.app import warm_up

    limit_retention()  # a long-running server: see cyberline.allocator
    limit_retention_in_children()

    store = open_store()
    with store.session() as session:
        indexed = index_stale(session)
    if indexed:
        err_console.print(f"indexed {indexed} incidents for search")
    console.print(f"serving on http://{host}:{port}/incidents")
    if workers > 1:  # worker processes build the app themselves from the environment
        os.environ["CYBERLINE_WEB_DB"] = store.engine.url.render_as_string(hide_password=False)
        # A new query is looked up once for all workers, not once per worker.
        with tempfile.TemporaryDirectory(prefix="cyberline-web-") as shared:
            os.environ["CYBERLINE_WEB_SHARED_CACHE"] = shared
            # A worker busy building its facet snapshot (tens of seconds at a million incidents
            # on a loaded machine) must not be taken for hung and restarted (uvicorn's default:
            # 5 s).
            uvicorn.run("cyberline.web.app:app_from_env", factory=True, workers=workers,
                        host=host, port=port, log_level="warning", proxy_headers=True,
                        timeout_worker_healthcheck=120)
        return
    app = create_app(store)
    warm_up(app)  # as each worker of --workers N does (cyberline.web.app.app_from_env)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True)


def parse_langs(lang: str) -> tuple[str, ...]:
    choices = {"ja": ("ja",), "en": ("en",), "both": ("ja", "en")}
    if lang not in choices:
        raise typer.BadParameter("--lang is ja, en or both")
    return choices[lang]


@site_app.command("build")
def site_build(out: Path = typer.Argument(..., help="Output folder."),
               lang: str = typer.Option("both", "--lang", help="ja | en | both"),
               base_url: str = typer.Option(None, "--base-url",
                                            help="Where the site will live (absolute feed links).")
               ) -> None:
    """Build the static blog with its Atom feeds."""
    from cyberline.publish.site import build_site

    langs = parse_langs(lang)
    result = build_site(open_store(), out, langs, base_url=base_url)
    console.print(f"{result.pages} pages, {result.feeds} feeds, {len(result.posts)} posts, "
                  f"{result.incidents} incidents -> {out}")


@users_app.command("add")
def users_add(name: str = typer.Argument(...),
              role: str = typer.Option("viewer", "--role", help="viewer | editor | admin"),
              admin: bool = typer.Option(False, "--admin", help="Same as --role admin."),
              password_stdin: bool = typer.Option(False, "--password-stdin",
                                                  help="Read the password from standard input.")
              ) -> None:
    """Create a web app account (there is no default account)."""
    from cyberline.auth import AuthError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    store = open_store()
    try:
        with store.session() as session:
            add_user(session, name, password, "admin" if admin else role)
    except AuthError as exc:
        err_console.print(f"error: {exc}")
        raise typer.Exit(1) from None
    console.print(f"user {name} added ({'admin' if admin else role})")


@search_app.command("reindex")
def search_reindex() -> None:
    """Rebuild the full-text index of every incident."""
    from cyberline.store.search import reindex_all

    console.print(f"{reindex_all(open_store())} incidents indexed")
