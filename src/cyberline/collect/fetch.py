"""One fetch pass over the watched sources: fetch, store, extract and link, incrementally.

``fetch_pass(store, sources, settings)`` fetches every source (a conditional GET with the
validators stored on the source row), turns the bytes into documents (feed entries, a page, a
PDF), follows links when the source asks for it (each link with its own validators in
fetch_state), and stores documents in short transactions of at most ``BATCH_DOCS`` documents
(what the fetch workers handed the writer meanwhile; a page's validators commit with its
documents), so a pass that fails, is stopped or killed halfway loses at most the batch being
written, which the next pass fetches again. Network work runs concurrently on an asyncio loop
(one request in flight per host); parsing bytes into documents and extracting their reports runs
in worker processes (``FetchSettings.workers``, 0 to parse in-process); database writes go
through one writer thread, in order.

Revisiting: a followed link checked less than ``recheck_after`` seconds ago (6 h by default) is
not asked again; its stored page counts as unchanged. So a pass every few minutes re-reads each
feed (conditionally) and asks only for links it has not seen, as a polite crawler does, and
each known page is revalidated with a conditional GET once per interval. ``cyberline fetch
--recheck`` (recheck_after=0) revalidates every followed link now.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable

from sqlalchemy import select, update

from cyberline.collect.decode import decode_bytes
from cyberline.collect.errors import CollectError
from cyberline.collect.files import documents_from_bytes
from cyberline.collect.http import Fetched, Fetcher
from cyberline.collect.links import page_links
from cyberline.collect.pdf import is_pdf
from cyberline.collect.safety import Resolver, system_resolver
from cyberline.collect.settings import FetchSettings
from cyberline.model import Report, SourceDocument
from cyberline.pipeline import prepare_report, store_batch, store_document
from cyberline.store import Store
from cyberline.store.schema import Document, FetchState, Source, utcnow

log = logging.getLogger(__name__)
ENTRY_TYPE = "application/atom+xml;entry"  # what feeds.parse_feed labels entries with
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
BATCH_DOCS = 25  # the most documents the writer stores in one transaction


@dataclass
class SourceInfo:
    """What a pass needs of a source row (rows are not shared across threads)."""

    id: int
    name: str
    url: str
    kind: str
    language: str | None
    follow_links: bool
    allow_private: bool
    etag: str | None
    last_modified: str | None
    link_pattern: str | None

    @classmethod
    def of(cls, row: Source) -> "SourceInfo":
        return cls(row.id, row.name, row.url, row.kind, row.language, bool(row.follow_links),
                   bool(row.allow_private), row.etag, row.last_modified,
                   (row.settings or {}).get("link_pattern"))


@dataclass
class _SourceRun:
    """How one source fared in this pass (turned into its last_status line)."""

    http: str = ""
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    error: str | None = None
    pending: int = 0
    incomplete: bool = False
    validators: tuple[str | None, str | None] | None = None

    def line(self) -> str:
        if self.error:
            return f"error: {self.error}"
        text = (f"{self.http}: {self.new} new, {self.changed} changed, {self.unchanged} "
                f"unchanged, {self.skipped} skipped")
        return text + (" (interrupted)" if self.incomplete and not self.skipped else "")


@dataclass
class FetchSummary:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    sources: dict[str, str] = field(default_factory=dict)         # name -> status line
    interrupted: bool = False

    @property
    def documents(self) -> int:
        return self.new + self.changed + self.unchanged

    @property
    def ok(self) -> bool:
        return not any(line.startswith("error") for line in self.sources.values())


class Progress:
    """Hooks for a progress display: the amount of work grows as feeds reveal their entries."""

    def planned(self, count: int) -> None: ...

    def done(self, url: str, outcome: str) -> None: ...


@dataclass
class _LinkJob:
    source: SourceInfo
    url: str
    title: str | None = None
    published: datetime | None = None


@dataclass
class _Write:
    source: SourceInfo
    documents: list[SourceDocument]
    validators: tuple | None
    reports: list[Report | None]
    done: asyncio.Future  # the outcome of each document, once committed


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def fetch_pass(store: Store, sources: Iterable[Source], settings: FetchSettings, *,
               progress: Progress | None = None, stop: threading.Event | None = None,
               resolver: Resolver = system_resolver, exempt: Iterable[str] = ()) -> FetchSummary:
    """Fetch the given sources once. Never raises for a bad source: its reason is in the summary."""
    run = _Pass(store, [SourceInfo.of(s) for s in sources], settings, progress or Progress(),
                stop or threading.Event(), resolver, tuple(exempt))
    return asyncio.run(run.run())


class _Pass:
    def __init__(self, store: Store, sources: list[SourceInfo], settings: FetchSettings,
                 progress: Progress, stop: threading.Event, resolver: Resolver,
                 exempt: tuple[str, ...]):
        self.store = store
        self.sources = sources
        self.settings = settings
        self.progress = progress
        self.stop = stop
        self.resolver = resolver
        self.exempt = exempt
        self.summary = FetchSummary()
        self.runs = {s.id: _SourceRun() for s in sources}
        self.states: dict[str, tuple[str | None, str | None, int | None, datetime]] = {}
        self.touched: list[str] = []  # url hashes answered 304: checked_at updated in bulk
        self.seen_links: set[str] = set()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cyberline-store")
        self._pool: Executor | None = None
        self._pool_failed = False
        self._writes: asyncio.Queue | None = None  # _Write items for the writer loop
        self._write_task: asyncio.Task | None = None

    # -- the loop ---------------------------------------------------------------------------

    async def run(self) -> FetchSummary:
        try:
            await self._write(self._load_states)
            queue: asyncio.Queue = asyncio.Queue()
            for source in self.sources:
                self._enqueue(queue, source)
            self.progress.planned(len(self.sources))
            async with Fetcher(self.settings, resolver=self.resolver,
                               exempt=self.exempt) as self.fetcher:
                workers = [asyncio.create_task(self._worker(queue))
                           for _ in range(max(1, self.settings.concurrency))]
                await queue.join()
                for worker in workers:
                    worker.cancel()
                await asyncio.gather(*workers, return_exceptions=True)
            await self._drain_writes()  # every document stored before the validators
            await self._write(self._finish)
        finally:
            self._writer.shutdown(wait=True)
            if self._pool is not None:
                self._pool.shutdown(wait=not self._pool_failed, cancel_futures=True)
        return self.summary

    def _enqueue(self, queue: asyncio.Queue, job: SourceInfo | _LinkJob) -> None:
        source = job if isinstance(job, SourceInfo) else job.source
        self.runs[source.id].pending += 1
        queue.put_nowait(job)

    async def _worker(self, queue: asyncio.Queue) -> None:
        while True:
            job = await queue.get()
            source = job if isinstance(job, SourceInfo) else job.source
            try:
                if self.stop.is_set():
                    # Stopped (SIGINT/SIGTERM): what is queued is left for the next pass.
                    self.summary.interrupted = True
                    self.runs[source.id].incomplete = True
                elif isinstance(job, SourceInfo):
                    await self._source(queue, job)
                else:
                    await self._link(job)
            except Exception as exc:  # noqa: BLE001 - one bad document must not end the pass
                log.exception("unexpected error on %s", getattr(job, "url", job))
                self._skip(source, getattr(job, "url", ""), f"internal error: {exc!r}")
            finally:
                self.runs[source.id].pending -= 1
                queue.task_done()

    async def _write(self, func: Callable, *args):
        return await asyncio.get_running_loop().run_in_executor(self._writer, func, *args)

    async def _parse(self, fetched: Fetched, where: str, published: datetime | None = None,
                     title: str | None = None,
                     extract: bool = True) -> tuple[list[SourceDocument], list[Report | None]]:
        """Bytes -> documents (and their reports) in a worker process: HTML and extraction are
        CPU work that would otherwise hold the event loop and the writer (one GIL)."""
        args = (fetched.data, fetched.content_type, fetched.url, fetched.charset, where,
                published, title, extract)
        future = None
        if self.settings.workers > 0 and not self._pool_failed:
            try:
                if self._pool is None:
                    self._pool = ProcessPoolExecutor(self.settings.workers,
                                                     mp_context=_context())
                future = asyncio.get_running_loop().run_in_executor(self._pool, _parse_job,
                                                                    *args)
            except (RuntimeError, OSError) as exc:  # workers cannot start: parse in-process
                log.warning("no parser worker processes (%s); parsing in-process", exc)
                self._pool_failed = True
        if future is None:
            result = _parse_job(*args)
        else:
            try:
                result = await future
            except BrokenProcessPool:  # a worker died (killed, out of memory): parse here
                log.warning("parser worker died on %s; parsing in-process", where)
                result = _parse_job(*args)
        if isinstance(result, str):
            raise CollectError(where, result)
        return result

    # -- one source -------------------------------------------------------------------------

    async def _source(self, queue: asyncio.Queue, source: SourceInfo) -> None:
        run = self.runs[source.id]
        try:
            fetched = await self.fetcher.get(source.url, allow_private=source.allow_private,
                                             etag=source.etag, last_modified=source.last_modified)
        except CollectError as exc:
            run.error = exc.reason
            self._skip(source, source.url, exc.reason, count=False)
            return
        if fetched.not_modified:
            run.http = "304 not modified"
            self.progress.done(source.url, "unchanged")
            return
        run.http = "200"
        run.validators = (fetched.etag, fetched.last_modified)
        try:
            # Entries of a followed feed are not stored (their pages are): nothing to extract.
            documents, reports = await self._parse(fetched, source.url,
                                                   extract=not source.follow_links)
        except CollectError as exc:
            run.error = exc.reason
            self._skip(source, source.url, exc.reason, count=False)
            return
        self.progress.done(source.url, "fetched")
        if not source.follow_links:
            self.progress.planned(len(documents))
            await self._store(source, documents, reports=reports)
            return
        jobs = self._link_jobs(source, fetched, documents)
        direct = [d for d in documents if d.content_type == ENTRY_TYPE and not _followable(d)]
        self.progress.planned(len(jobs) + len(direct))
        for job in jobs:
            self._enqueue(queue, job)
        if direct:  # feed entries without a link of their own are documents themselves
            await self._store(source, direct)  # (extracted by the writer: rare)

    def _link_jobs(self, source: SourceInfo, fetched: Fetched,
                   documents: list[SourceDocument]) -> list[_LinkJob]:
        if documents and documents[0].content_type == ENTRY_TYPE:
            candidates = [_LinkJob(source, d.url, d.title, d.published)
                          for d in documents if _followable(d)]
        else:
            markup, _ = decode_bytes(fetched.data, fetched.charset)
            candidates = [_LinkJob(source, url) for url in page_links(
                markup, fetched.url, pattern=source.link_pattern,
                limit=self.settings.max_links_per_page)]
        jobs = []
        for job in candidates:
            if job.url not in self.seen_links:  # two entries may link to one notice
                self.seen_links.add(job.url)
                jobs.append(job)
        return jobs

    # -- one followed link ------------------------------------------------------------------

    async def _link(self, job: _LinkJob) -> None:
        key = url_hash(job.url)
        state = self.states.get(key)
        if state is not None:
            etag, last_modified, status, checked_at = state
            recent = utcnow() - checked_at < timedelta(seconds=self.settings.recheck_after)
            if status == 200 and recent:
                self._count(job.source, "unchanged", job.url)
                return
        else:
            etag = last_modified = None
        try:
            fetched = await self.fetcher.get(job.url, allow_private=job.source.allow_private,
                                             etag=etag, last_modified=last_modified)
            if fetched.not_modified:
                self.touched.append(key)
                self._count(job.source, "unchanged", job.url)
                return
            documents, reports = await self._parse(fetched, job.url, job.published, job.title)
        except CollectError as exc:
            self._skip(job.source, job.url, exc.reason)
            return
        validators = (key, job.url, fetched.etag, fetched.last_modified,
                      hashlib.sha256(fetched.data).hexdigest())
        await self._store(job.source, documents, validators, reports)

    # -- bytes -> documents -> database -----------------------------------------------------

    async def _store(self, source: SourceInfo, documents: list[SourceDocument],
                     validators: tuple | None = None,
                     reports: list[Report | None] | None = None) -> None:
        """Hand documents to the writer; they are counted when their batch is committed."""
        for doc in documents:
            doc.language = doc.language or source.language
            doc.source_name = source.name
        if self._writes is None:  # first write of the pass: start the writer loop
            self._writes = asyncio.Queue()
            self._write_task = asyncio.create_task(self._write_loop())
        reports = reports or [None] * len(documents)
        loop = asyncio.get_running_loop()
        writes = []
        for start in range(0, max(len(documents), 1), BATCH_DOCS):  # a feed: many batches
            end = start + BATCH_DOCS
            writes.append(_Write(source, documents[start:end],
                                 validators if end >= len(documents) else None,
                                 reports[start:end], loop.create_future()))
            await self._writes.put(writes[-1])
        # Each fetch worker waits for its documents to be committed (so no more than
        # ``concurrency`` pages are pending, and a stop takes effect as soon as before).
        for write in writes:
            outcomes = await write.done
            for doc, outcome in zip(write.documents, outcomes):
                self._count(source, outcome, doc.url)

    async def _write_loop(self) -> None:
        """Take what is queued (up to BATCH_DOCS documents) and store it in one transaction:
        while the writer stores a batch the next one gathers (up to one write per fetch worker),
        so batches grow with the load and a lone document is not kept waiting."""
        assert self._writes is not None
        done = False
        while not done:
            first = await self._writes.get()
            batch: list[_Write] = []
            count = 0
            item = first
            while True:
                if item is None:
                    done = True
                    break
                batch.append(item)
                count += len(item.documents)
                if count >= BATCH_DOCS:
                    break
                try:
                    item = self._writes.get_nowait()
                except asyncio.QueueEmpty:
                    break
            if not batch:
                continue
            try:
                results = await self._write(self._store_batch_sync, batch)
            except Exception as exc:  # noqa: BLE001 - raised in the fetch worker waiting on it
                for write in batch:
                    write.done.set_exception(exc)
                continue
            for write, outcomes in zip(batch, results):
                if isinstance(outcomes, Exception):
                    write.done.set_exception(outcomes)
                else:
                    write.done.set_result(outcomes)

    async def _drain_writes(self) -> None:
        if self._writes is not None and self._write_task is not None:
            if not self._write_task.done():
                await self._writes.put(None)
            await self._write_task

    def _store_batch_sync(self, batch: list["_Write"]) -> list[list[str] | Exception]:
        """Writer thread: a batch of documents (and the validators of their pages) in one
        transaction; known bytes are skipped in bulk first. A kill loses at most this batch,
        whose validators are not saved either: the next pass fetches its pages again. If the
        batch fails, its writes are stored one by one so that one bad write loses only itself."""
        try:
            known = self._known_hashes([d.content_hash for w in batch for d in w.documents])
            with self.store.session() as session:
                items, slots = [], []
                results: list[list[str] | Exception] = []
                for write in batch:
                    outcomes = []
                    for index, doc in enumerate(write.documents):
                        if doc.content_hash in known:
                            outcomes.append("unchanged")
                        else:
                            known.add(doc.content_hash)
                            items.append((doc, write.source.id, write.reports[index]))
                            slots.append((outcomes, len(outcomes)))
                            outcomes.append("")
                    results.append(outcomes)
                keys = [w.validators[0] for w in batch if w.validators]
                rows = {row.url_hash: row for row in session.scalars(
                    select(FetchState).where(FetchState.url_hash.in_(keys)))} if keys else {}
                for write in batch:
                    if write.validators:
                        self._save_state(session, write.source.id, *write.validators,
                                         row=rows.get(write.validators[0], False))
                for (outcomes, index), outcome in zip(slots, store_batch(session, items)):
                    outcomes[index] = outcome
            return results
        except Exception:  # noqa: BLE001
            if len(batch) == 1:
                raise
            log.warning("storing a batch failed; storing its documents one by one",
                        exc_info=True)
        results = []
        for write in batch:
            try:
                results.append(self._store_sync(write.source.id, write.documents,
                                                write.validators, write.reports))
            except Exception as exc:  # noqa: BLE001 - the fetch worker reports it
                results.append(exc)
        return results

    def _store_sync(self, source_id: int, documents: list[SourceDocument],
                    validators: tuple | None, reports: list[Report | None]) -> list[str]:
        """Writer thread: one transaction per document; known bytes are skipped in bulk first."""
        known = self._known_hashes([d.content_hash for d in documents])
        outcomes = []
        for index, doc in enumerate(documents):
            last = index == len(documents) - 1
            if doc.content_hash in known and not (last and validators):
                outcomes.append("unchanged")
                continue
            with self.store.session() as session:
                if doc.content_hash in known:
                    outcomes.append("unchanged")
                else:
                    outcomes.append(store_document(session, doc, None, source_id=source_id,
                                                   report=reports[index]))
                    known.add(doc.content_hash)
                if last and validators:
                    # In the same transaction as the document: the validators never claim a
                    # version we did not store.
                    self._save_state(session, source_id, *validators)
        return outcomes

    def _known_hashes(self, hashes: list[str]) -> set[str]:
        known: set[str] = set()
        with self.store.session() as session:
            for start in range(0, len(hashes), 500):
                chunk = hashes[start:start + 500]
                known.update(session.scalars(select(Document.content_hash)
                                             .where(Document.content_hash.in_(chunk))))
        return known

    def _save_state(self, session, source_id: int, key: str, url: str, etag: str | None,
                    last_modified: str | None, content_hash: str,
                    row: FetchState | None | bool = None) -> None:
        """``row``: the state row loaded already (False: known to be missing)."""
        if row is None:
            row = session.scalar(select(FetchState).where(FetchState.url_hash == key))
        if not row:
            row = FetchState(url_hash=key, url=url)
            session.add(row)
        row.source_id = source_id
        row.etag, row.last_modified, row.content_hash = etag, last_modified, content_hash
        row.status, row.checked_at = 200, utcnow()

    def _load_states(self) -> None:
        ids = [s.id for s in self.sources if s.follow_links]
        if not ids:
            return
        with self.store.session() as session:
            rows = session.execute(select(FetchState.url_hash, FetchState.etag,
                                          FetchState.last_modified, FetchState.status,
                                          FetchState.checked_at)
                                   .where(FetchState.source_id.in_(ids)))
            self.states = {r[0]: tuple(r[1:]) for r in rows}

    def _finish(self) -> None:
        """Bulk-update the 304s, then write each source's status and (when every document of
        it was handled) its validators: a source left incomplete is fetched in full next time."""
        now = utcnow()
        with self.store.session() as session:
            for start in range(0, len(self.touched), 500):
                session.execute(update(FetchState).where(
                    FetchState.url_hash.in_(self.touched[start:start + 500]))
                    .values(checked_at=now))
        for source in self.sources:
            run = self.runs[source.id]
            self.summary.sources[source.name] = run.line()
            with self.store.session() as session:
                row = session.get(Source, source.id)
                if row is None:
                    continue  # removed while we were fetching
                row.last_fetched_at = now
                row.last_status = run.line()
                if run.validators and not (run.error or run.skipped or run.incomplete):
                    row.etag, row.last_modified = run.validators

    # -- accounting -------------------------------------------------------------------------

    def _count(self, source: SourceInfo, outcome: str, url: str) -> None:
        run = self.runs[source.id]
        setattr(run, outcome, getattr(run, outcome) + 1)
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
        self.progress.done(url, outcome)

    def _skip(self, source: SourceInfo, url: str, reason: str, count: bool = True) -> None:
        log.warning("skipped %s: %s", url, reason)
        if count:
            self.runs[source.id].skipped += 1
        self.summary.skipped.append((url, reason))
        self.progress.done(url, "skipped")


def _context():
    """Worker processes start from a fork server that has imported the parsers and the
    extractor once: a pool starts in milliseconds, and no worker is forked from a process that
    runs threads (the event loop, the writer)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["cyberline.collect.files", "cyberline.pipeline"])
    return context


def _parse_job(data: bytes, content_type: str | None, url: str, charset: str | None, where: str,
               published: datetime | None, title: str | None,
               extract: bool) -> tuple[list[SourceDocument], list[Report | None]] | str:
    """Worker: bytes -> documents and their prepared reports, or the reason they are refused."""
    try:
        if content_type == "application/pdf" and not is_pdf(data):
            raise CollectError(where, "served as application/pdf but is not a PDF")
        media = content_type if content_type in TEXT_TYPES else None
        documents = list(documents_from_bytes(data, where, url=url, published=published,
                                              content_type=media, charset=charset))
    except CollectError as exc:
        return exc.reason
    for doc in documents:
        doc.title = doc.title or title
    reports = [prepare_report(doc) if extract else None for doc in documents]
    return documents, reports


def _followable(doc: SourceDocument) -> bool:
    return doc.url.startswith(("http://", "https://"))


__all__ = ["FetchSummary", "Progress", "SourceInfo", "fetch_pass", "url_hash"]
