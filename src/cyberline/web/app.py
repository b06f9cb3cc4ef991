"""The web app: search, browse and curate incidents (FastAPI, server-rendered Jinja2 pages).

Every page is also JSON (the same URL plus ``.json``, or ``Accept: application/json``) and the
incident list also CSV (``.csv``). Anonymous visitors see published incidents only; editors
curate through ``cyberline.curate``; every form carries the session's CSRF token.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any, Callable

import anyio.to_thread
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.pool import QueuePool

from cyberline.analyze import PeriodError, parse_period, period_report
from cyberline.analyze.describe import label
from cyberline.analyze.timeline import incident_row
from cyberline.auth import LoginLimiter, authenticate, role_at_least
from cyberline.store import Store
from cyberline.store.schema import Incident, ReviewItem, User
from cyberline.store.search import SearchError, index_incidents, tokenize
from cyberline.web import curation, queries
from cyberline.web.charts import bar_chart
from cyberline.web.facets import FacetIndex
from cyberline.web.i18n import choose_lang, translator
from cyberline.web.session import COOKIE, MAX_AGE, Sessions, csrf_ok, load_secret
from cyberline.web.shared_cache import SharedMatches

log = logging.getLogger(__name__)
WEB_DIR = resources.files("cyberline.web")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
JSON_DOC = {200: {"content": {"application/json": {}},
                  "description": "The page's data as JSON (the HTML page's twin)."}}
CSV_DOC = {200: {"content": {"text/csv": {}}, "description": "The filtered list as CSV."}}
CHART_KEYS = ("by_attack_type", "by_motivation", "by_target_class", "by_country")


def templates_env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(WEB_DIR / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals["label"] = label
    env.filters["safe_url"] = safe_url
    return env


def safe_url(url: str | None) -> str:
    """Only http(s) links from documents become hrefs (a javascript: URL would run script)."""
    return url if url and url.lower().startswith(("http://", "https://")) else "#"


def want(request: Request) -> str:
    path = request.url.path
    if path.endswith(".json"):
        return "json"
    if path.endswith(".csv"):
        return "csv"
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return "json"
    return "html"


class SessionAndHeaders:
    """Load the signed session cookie into ``request.state`` (writing it back when it changed)
    and add the security headers to every response.

    Plain ASGI: Starlette's ``@app.middleware("http")`` runs every request through a second task
    and memory streams (not measured apart; part of the per-request CPU cut in bench/RESULTS)."""

    def __init__(self, app, sessions: Sessions):
        self.app, self.sessions = app, sessions

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        session, is_new = self.sessions.load(request.cookies.get(COOKIE))
        request.state.session = session
        request.state.session_changed = is_new

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if request.state.session_changed:
                    cookie = Response()
                    cookie.set_cookie(COOKIE, self.sessions.dump(request.state.session),
                                      max_age=MAX_AGE, httponly=True, samesite="lax",
                                      secure=request.url.scheme == "https")
                    headers.append("set-cookie", cookie.headers["set-cookie"])
                headers["Content-Security-Policy"] = CSP
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                headers["X-Frame-Options"] = "DENY"
            await send(message)

        await self.app(scope, receive, send_with_headers)


THREADS = 8  # requests served at once per worker process (CYBERLINE_WEB_THREADS)


@asynccontextmanager
async def _lifespan(app: FastAPI):
    """Serve at most THREADS requests at once per process (Starlette's default: 40). The pages
    are CPU work under one GIL: with twenty threads taking turns every request waited for the
    others, and a thread coming back from the database could wait a switch interval (5 ms) for
    the GIL (first searches took 70-540 ms for 7-38 ms of CPU). Queued in the event loop
    instead, requests cost nothing until their turn; bench/web.py: lower p95 and less CPU."""
    threads = int(os.environ.get("CYBERLINE_WEB_THREADS") or THREADS)
    anyio.to_thread.current_default_thread_limiter().total_tokens = max(1, threads)
    yield


def create_app(store: Store, secret: str | None = None,
               shared_cache: str | None = None) -> FastAPI:
    """The web app over ``store``. ``shared_cache``: a folder where the worker processes of
    one server share their text-search matches (``cyberline.web.shared_cache``)."""
    app = FastAPI(title="cyberline", description=__doc__, version="0.1.0", lifespan=_lifespan)
    app.state.store = store
    sessions = Sessions(secret or load_secret())
    limiter = LoginLimiter()
    cache = app.state.search_cache = queries.TTLCache(  # text-search matches
        size=16, shared=SharedMatches(shared_cache) if shared_cache else None)
    facets = app.state.facets = FacetIndex(store.session, prepare=queries.prime)
    env = templates_env()
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")

    app.add_middleware(SessionAndHeaders, sessions=sessions)

    def current_user(request: Request) -> dict[str, str] | None:
        name = request.state.session.get("user")
        if not name:
            return None
        with store.read_session() as s:
            user = s.scalar(select(User).where(User.username == name))
            return {"name": user.username, "role": user.role} if user else None

    def can(request: Request, role: str) -> bool:
        user = current_user(request)
        return bool(user) and role_at_least(user["role"], role)

    def lang_of(request: Request) -> str:
        return choose_lang(request.query_params.get("lang"),
                           request.headers.get("accept-language"))

    def render(request: Request, template: str, data: dict[str, Any], status: int = 200,
               csv_rows: Callable[[], Any] | None = None) -> Response:
        kind = want(request)
        if kind == "json" or (kind == "csv" and csv_rows is None):
            return JSONResponse(data, status_code=status)
        if kind == "csv":
            return csv_response(csv_rows())
        lang = lang_of(request)
        html = env.get_template(template).render(
            data=data, request=request, lang=lang, t=translator(lang), user=current_user(request),
            csrf=request.state.session["csrf"], curation=curation.curate_module() is not None,
            path=request.url.path, query=dict(request.query_params))
        return HTMLResponse(html, status_code=status)

    def fail(request: Request, status: int, message: str) -> Response:
        return render(request, "error.html", {"error": message, "status": status}, status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return fail(request, exc.status_code, str(exc.detail))

    def check_csrf(request: Request, token: str | None) -> None:
        if not csrf_ok(request.state.session, token):
            raise HTTPException(403, "the form's CSRF token does not match this session; "
                                     "reload the page and try again")

    def require(request: Request, role: str) -> str:
        user = current_user(request)
        if user is None:
            raise HTTPException(401, "log in first")
        if not role_at_least(user["role"], role):
            raise HTTPException(403, f"this needs the {role} role")
        return user["name"]

    # ---- reading -------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def home():
        return RedirectResponse("/incidents", status_code=307)

    def list_filters(q, attack_type, motivation, target_class, country, period):
        return queries.ListFilters(q=q or None, attack_type=attack_type or None,
                                   motivation=motivation or None,
                                   target_class=target_class or None, country=country or None,
                                   period=period or None)

    def incidents_page(request: Request, q: str | None = None, attack_type: str | None = None,
                       motivation: str | None = None, target_class: str | None = None,
                       country: str | None = None, period: str | None = None, page: int = 1):
        """Incidents, newest first, with facet counts; filter by facets, period and text."""
        filters = list_filters(q, attack_type, motivation, target_class, country, period)
        unpublished = can(request, "editor")
        try:
            with store.read_session() as s:
                data = queries.incident_list(s, filters, unpublished=unpublished, page=page,
                                             lang=lang_of(request), facets=facets, cache=cache)

                def rows():
                    with store.read_session() as s2:
                        return list(queries.incident_rows_for_csv(s2, filters, unpublished))
        except (PeriodError, SearchError) as exc:
            return fail(request, 400, str(exc))
        return render(request, "incidents.html", data, csv_rows=rows)

    for suffix, doc in ((".json", JSON_DOC), (".csv", CSV_DOC), ("", None)):
        app.get(f"/incidents{suffix}", responses=doc, name=f"incidents{suffix}",
                response_class=HTMLResponse if not suffix else Response)(incidents_page)
        app.get(f"/search{suffix}", responses=doc, name=f"search{suffix}",
                response_class=HTMLResponse if not suffix else Response)(incidents_page)

    def incident_page(request: Request, incident_id: int):
        """One incident: its fields, its reports in order with the highlighted evidence, and
        its audit log."""
        with store.read_session() as s:
            incident = s.get(Incident, incident_id)
            if incident is None or (not incident.published and not can(request, "editor")):
                raise HTTPException(404, f"no incident {incident_id}")
            data = queries.incident_detail(s, incident)
        data["editable_fields"] = curation.EDITABLE
        return render(request, "incident.html", data)

    for suffix, doc in ((".json", JSON_DOC), ("", None)):
        app.get(f"/incidents/{{incident_id}}{suffix}", responses=doc,
                name=f"incident{suffix}", response_class=HTMLResponse)(incident_page)

    def reports_page(request: Request):
        """The fortnights and months that have published incidents."""
        with store.read_session() as s:
            return render(request, "reports.html", {"periods": queries.period_list(s)})

    for suffix, doc in ((".json", JSON_DOC), ("", None)):
        app.get(f"/reports{suffix}", responses=doc, name=f"reports{suffix}",
                response_class=HTMLResponse)(reports_page)

    def period_page(request: Request, period: str, compare: int = 2):
        """A period's statistics (with charts), notable incidents and timeline."""
        try:
            chosen = parse_period(period)
        except PeriodError as exc:
            return fail(request, 400, str(exc))
        with store.read_session() as s:
            data = period_report(s, chosen, compare=max(0, min(compare, 12)))
        lang = lang_of(request)
        if want(request) == "html":
            data = dict(data, charts=[bar_chart(translator(lang)(key.removeprefix("by_")),
                                                data[key], _labels(key, data[key], lang))
                                      for key in CHART_KEYS if data[key]])
        return render(request, "report.html", data)

    for suffix, doc in ((".json", JSON_DOC), ("", None)):
        app.get(f"/reports/{{period}}{suffix}", responses=doc, name=f"period{suffix}",
                response_class=HTMLResponse)(period_page)

    def sources_page(request: Request):
        """The sources and how their last fetch went."""
        with store.read_session() as s:
            return render(request, "sources.html", {"sources": queries.source_list(s)})

    for suffix, doc in ((".json", JSON_DOC), ("", None)):
        app.get(f"/sources{suffix}", responses=doc, name=f"sources{suffix}",
                response_class=HTMLResponse)(sources_page)

    # ---- accounts ------------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request):
        return render(request, "login.html", {"error": None})

    @app.post("/login", response_class=HTMLResponse)
    def login(request: Request, username: str = Form(...), password: str = Form(...),
              csrf: str = Form(None)):
        check_csrf(request, csrf)
        ip = request.client.host if request.client else "?"
        if limiter.blocked(ip, username):
            return render(request, "login.html",
                          {"error": "too many failed logins; try again later"}, 429)
        with store.session() as s:
            user = authenticate(s, username, password)
            name = user.username if user else None
        if name is None:
            limiter.failed(ip, username)
            return render(request, "login.html", {"error": "wrong user name or password"}, 401)
        limiter.succeeded(ip, username)
        # A new CSRF token on login: a token seen before login is worth nothing after it.
        request.state.session = {"user": name, "csrf": sessions.load(None)[0]["csrf"]}
        request.state.session_changed = True
        return RedirectResponse("/incidents", status_code=303)

    @app.post("/logout")
    def logout(request: Request, csrf: str = Form(None)):
        check_csrf(request, csrf)
        request.state.session = sessions.load(None)[0]
        request.state.session_changed = True
        return RedirectResponse("/incidents", status_code=303)

    # ---- curation ------------------------------------------------------------------------

    def curate_or_503():
        module = curation.curate_module()
        if module is None:
            raise HTTPException(503, translator("en")("curation_missing"))
        return module

    def after_write(incident_ids: list[int]) -> None:
        with store.session() as s:
            index_incidents(s, [i for i in incident_ids if i])
        cache.clear()
        facets.invalidate([i for i in incident_ids if i])

    def curate_call(request: Request, fn: Callable[[Any], Any], incident_ids: list[int],
                    back: str) -> Response:
        module = curate_or_503()
        try:
            with store.session() as s:
                fn(s)
        except module.CurationError as exc:
            return fail(request, 400, str(exc))
        after_write(incident_ids)
        if want(request) == "json":
            return JSONResponse({"ok": True, "next": back})
        return RedirectResponse(back, status_code=303)

    @app.post("/incidents/{incident_id}/field")
    def edit_field(request: Request, incident_id: int, field: str = Form(...),
                   value: str = Form(""), action: str = Form("set"), csrf: str = Form(None)):
        """Set (or with action=clear, clear) one field of an incident (editor)."""
        check_csrf(request, csrf)
        actor = require(request, "editor")
        module = curate_or_503()
        if field not in curation.EDITABLE:
            return fail(request, 400, f"{field!r} cannot be edited here")
        if action == "clear":
            op = lambda s: module.clear_field(s, incident_id, field, actor)  # noqa: E731
        else:
            op = lambda s: module.set_field(s, incident_id, field, value.strip(), actor)  # noqa: E731
        return curate_call(request, op, [incident_id], f"/incidents/{incident_id}")

    @app.post("/incidents/{incident_id}/merge")
    def merge(request: Request, incident_id: int, other_id: int = Form(...),
              csrf: str = Form(None)):
        """Merge incident ``other_id`` into this one (editor)."""
        check_csrf(request, csrf)
        actor = require(request, "editor")
        module = curate_or_503()
        return curate_call(request, lambda s: module.merge_incidents(s, incident_id, other_id,
                                                                     actor),
                           [incident_id, other_id], f"/incidents/{incident_id}")

    @app.post("/reports/{report_id}/split")
    def split(request: Request, report_id: int, incident_id: int = Form(...),
              csrf: str = Form(None)):
        """Move a report out of its incident into a new one (editor)."""
        check_csrf(request, csrf)
        actor = require(request, "editor")
        module = curate_or_503()
        created: list[int] = []

        def op(s):
            result = module.split_report(s, report_id, actor)
            created.append(getattr(result, "id", result) if result is not None else 0)

        response = curate_call(request, op, [incident_id], f"/incidents/{incident_id}")
        after_write(created)
        return response

    @app.post("/audit/{audit_id}/undo")
    def undo(request: Request, audit_id: int, incident_id: int = Form(...),
             csrf: str = Form(None)):
        """Undo one curation operation (editor)."""
        check_csrf(request, csrf)
        actor = require(request, "editor")
        module = curate_or_503()
        return curate_call(request, lambda s: module.undo(s, audit_id, actor), [incident_id],
                           f"/incidents/{incident_id}")

    def review_page(request: Request):
        """Linking decisions left to a person (editor)."""
        require(request, "editor")
        with store.session() as s:
            items = s.scalars(select(ReviewItem).where(ReviewItem.status == "open")
                              .order_by(ReviewItem.score.desc(), ReviewItem.id)).all()
            data = {"items": [{"id": i.id, "report_id": i.report_id, "incident_id": i.incident_id,
                               "score": i.score, "reason": i.reason,
                               "incident": incident_row(s.get(Incident, i.incident_id))}
                              for i in items]}
        return render(request, "review.html", data)

    for suffix, doc in ((".json", JSON_DOC), ("", None)):
        app.get(f"/review{suffix}", responses=doc, name=f"review{suffix}",
                response_class=HTMLResponse)(review_page)

    @app.post("/review/{item_id}/decide")
    def decide(request: Request, item_id: int, accept: bool = Form(...),
               csrf: str = Form(None)):
        """Accept or reject a proposed link (editor)."""
        check_csrf(request, csrf)
        actor = require(request, "editor")
        module = curate_or_503()
        with store.session() as s:
            item = s.get(ReviewItem, item_id)
            if item is None:
                raise HTTPException(404, f"no review item {item_id}")
            incident_id = item.incident_id
        return curate_call(request, lambda s: module.decide_review(s, item_id, accept, actor),
                           [incident_id], "/review")

    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory --workers N cyberline.web.app:app_from_env``: the store's URL in
    CYBERLINE_WEB_DB, the session secret in CYBERLINE_WEB_SECRET (else the usual secret file),
    the workers' shared search-match folder in CYBERLINE_WEB_SHARED_CACHE (optional)."""
    import os
    import sys
    import time

    app = create_app(Store.open(os.environ["CYBERLINE_WEB_DB"]),
                     secret=os.environ.get("CYBERLINE_WEB_SECRET"),
                     shared_cache=os.environ.get("CYBERLINE_WEB_SHARED_CACHE"))
    began = time.perf_counter()
    size = warm_up(app)
    print(f"cyberline web: facet snapshot of {size:,} incidents built in "
          f"{time.perf_counter() - began:.1f} s (warm-up included)", file=sys.stderr, flush=True)
    return app


def warm_up(app: FastAPI) -> int:
    """Build, before serving, what the first requests of a worker would otherwise build while
    twenty others wait on the same GIL: the facet snapshot, Sudachi's dictionary (~0.5 s a
    process; a search term is tokenized), the facet counts of the unfiltered list (the home
    page; ``queries.prime``, also run on every rebuilt snapshot), a first list page (the
    compiled row query) and the pool's connections. No text search is run: search matches are
    built by the requests that ask for them. Returns the number of incidents in the snapshot."""
    snapshot = app.state.facets.get()
    tokenize("漏えい")
    with app.state.store.session() as s:
        queries.incident_list(s, queries.ListFilters(), unpublished=False,
                              facets=app.state.facets, cache=app.state.search_cache)
    # Fill the connection pool: each new connection's first query reads the schema (SQLite)
    # or starts a backend with empty catalog caches (PostgreSQL).
    engine = app.state.store.engine
    size = engine.pool.size() if isinstance(engine.pool, QueuePool) else 0
    connections = [engine.connect() for _ in range(size)]
    try:
        for connection in connections:
            connection.execute(queries.page_rows(False), {"ids": [0]}).all()
    finally:
        for connection in connections:
            connection.close()
    return len(snapshot)


def _labels(key: str, shares: dict, lang: str) -> dict[str, str]:
    field = key.removeprefix("by_")
    return {value: label(field, value, lang) for value in shares}


def csv_response(rows: list[dict[str, Any]]) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=queries.CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict))
                             else v) for k, v in row.items()})
    # A BOM so that spreadsheet programs read the Japanese text as UTF-8.
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="incidents.csv"'})
